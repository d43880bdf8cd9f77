"""Published figures as people read them: one figure's text, a country's figures over time
(with possible breaks in the series marked) and the table of them.
"""

from __future__ import annotations

from collections.abc import Iterable

import polars as pl

from indicators import i18n
from indicators.compute import mark_series_breaks
from indicators.measures import CONTEXT_MEASURES, MEASURES
from indicators.views.names import NO_DATA, SUPPRESSED_TEXT
from indicators.views.sources import source_words


def figure_text(value: float | None, value_status: str | None, lower: float | None,
                upper: float | None) -> str:
    """One published figure as people read it: '1,240', '<5', '136,000 (estimate)'."""
    if value is None and lower is not None and upper is not None:
        if value_status == "suppressed" and lower == 1 and upper == 4:
            return SUPPRESSED_TEXT
        return f"{lower:,.0f}–{upper:,.0f}"
    if value is None:
        return NO_DATA
    text = f"{value:,.0f}"
    return f"{text} (estimate)" if value_status == "estimate" else text


ESTIMATE_MARK = " (estimate)"


def localised_figure(text: str, lang: str | None = None) -> str:
    """A ``figure_text`` in ``lang``'s notation and words ('136 000 (estimation)')."""
    if text.endswith(ESTIMATE_MARK):
        estimate = i18n.context_translator(lang)("kind of figure", "estimate")
        return f"{i18n.localise_value(text.removesuffix(ESTIMATE_MARK), lang)} ({estimate})"
    return i18n.localise_value(text, lang)


def measure_series(
    observations: pl.DataFrame, iso3: str, measures: Iterable[str] | None = None
) -> pl.DataFrame:
    """One country's published figures over time, with their source and whether each is a
    possible break in its series (``compute.mark_series_breaks``): the raw-measures chart and
    table."""
    wanted = list(measures) if measures is not None else list(MEASURES)
    rows = observations.filter((pl.col("iso3") == iso3) & pl.col("measure").is_in(wanted))
    order = {m: i for i, m in enumerate(wanted)}
    records = []
    for row in rows.iter_rows(named=True):
        source = row.get("source_citation") or row.get("source_id") or ""
        records.append({
            "iso3": iso3,
            "measure": row["measure"],
            "label": MEASURES[row["measure"]].label if row["measure"] in MEASURES
            else row["measure"],
            "unit": MEASURES[row["measure"]].unit if row["measure"] in MEASURES else "",
            "year": row["year"],
            "value": row["value"],
            "value_status": row["value_status"],
            "lower": row["lower"] if row["value"] is None else row["value"],
            "upper": row["upper"] if row["value"] is None else row["value"],
            "value_text": figure_text(row["value"], row["value_status"], row["lower"],
                                      row["upper"]),
            "source": source,
            "note": row.get("note"),
            "_order": order.get(row["measure"], len(order)),
        })
    schema = {
        "iso3": pl.String, "measure": pl.String, "label": pl.String, "unit": pl.String,
        "year": pl.Int32, "value": pl.Float64, "value_status": pl.String, "lower": pl.Float64,
        "upper": pl.Float64, "value_text": pl.String, "source": pl.String, "note": pl.String,
        "_order": pl.Int64,
    }
    # a jump of more than 3 times from one year to the next is marked, never smoothed away
    return mark_series_breaks(
        pl.DataFrame(records, schema=schema).sort("_order", "year").drop("_order"))


def raw_count_measures() -> list[str]:
    """The counts a country profile draws over time: UNODC's, then uploaded ones (not the
    yes/no flag, not Walk Free's one-year estimates)."""
    from indicators.measures import GLOTIP_MEASURES

    rest = [m for m in MEASURES if not MEASURES[m].is_flag and m not in GLOTIP_MEASURES
            and m not in ("estimated_victims", *CONTEXT_MEASURES)]
    return [*GLOTIP_MEASURES, *rest]


def figures_table(series: pl.DataFrame, lang: str | None = None) -> pl.DataFrame:
    """A country's figures for reading: measure, year, figure as published, kind, source. Its
    headers, measures, kinds and figures in ``lang`` (English by default); the sources and
    the data's own notes as published."""
    if (i18n.parse_language(lang) or i18n.ENGLISH) == i18n.ENGLISH:
        return series.select(
            pl.col("label").alias("Measure"),
            pl.col("year").alias("Year"),
            pl.col("value_text").alias("Figure"),
            pl.col("value_status").alias("Kind"),
            pl.col("source").alias("Source"),
            pl.col("note").fill_null("").alias("Note"),
        ).sort("Measure", "Year")
    _, pgettext = i18n.translator(lang), i18n.context_translator(lang)
    kinds = {"reported": pgettext("kind of figure", "reported"),
             "suppressed": pgettext("kind of figure", "suppressed"),
             "estimate": pgettext("kind of figure", "estimate")}
    measure, year = _("Measure"), _("Year")
    return series.select(
        pl.col("label").replace({m: _(m) for m in series["label"].unique().to_list() if m})
        .alias(measure),
        pl.col("year").alias(year),
        pl.col("value_text").replace({v: localised_figure(v, lang) for v in
                                      series["value_text"].drop_nulls().unique().to_list()})
        .alias(_("Figure")),
        pl.col("value_status").replace(kinds).alias(_("Kind")),
        pl.col("source").replace({t: source_words(t, lang) for t in
                                  series["source"].drop_nulls().unique().to_list()})
        .alias(_("Source")),
        pl.col("note").fill_null("").alias(_("Note")),
    ).sort(measure, year)


# -- every possible break in one place -----------------------------------------------------------
BREAK_COLUMNS = (
    "iso3", "country", "measure", "measure_label", "year_before", "value_before", "year",
    "value", "times", "source", "note",
)


def mark_breaks_with_before(figures: pl.DataFrame) -> pl.DataFrame:
    """The published counts among ``figures`` (iso3, measure, year, value, any other columns)
    that are a possible break in their series (``compute.mark_series_breaks``), each with the
    figure the year before (`value_before`). The figures are not touched. The one reading of
    breaks for the Series breaks page and the API's /breaks."""
    counts = figures.filter(pl.col("measure").is_in(raw_count_measures()))
    marked = mark_series_breaks(counts.sort("iso3", "measure", "year"))
    before = marked.select("iso3", "measure", (pl.col("year") + 1).alias("year"),
                           pl.col("value").alias("value_before"))
    return marked.filter(pl.col("series_break")).join(
        before, on=["iso3", "measure", "year"], how="left").drop("series_break")


def series_breaks(observations: pl.DataFrame, names: dict[str, str]) -> pl.DataFrame:
    """Every flagged break (``mark_breaks_with_before``) as one row: country, measure, the
    year before and its figure, the year and its figure, `times` (the figure ÷ the one the
    year before: derived, to two significant figures), source and note; by country, measure
    and year. Its CSV is the Series breaks page's download."""
    found = mark_breaks_with_before(observations)
    labels = {m: MEASURES[m].label if m in MEASURES else m
              for m in found["measure"].unique().to_list()}
    source = (pl.col("source_citation") if "source_citation" in found.columns
              else pl.col("source_id")).cast(pl.String)
    times = pl.col("value") / pl.col("value_before")
    return found.select(
        "iso3",
        pl.col("iso3").replace_strict(names, default=pl.col("iso3"), return_dtype=pl.String)
        .alias("country"),
        "measure",
        pl.col("measure").replace_strict(labels, return_dtype=pl.String).alias("measure_label"),
        (pl.col("year") - 1).cast(pl.Int32).alias("year_before"),
        "value_before",
        pl.col("year").cast(pl.Int32),
        "value",
        # round to two significant figures: 8.549 → 8.5, 0.1170 → 0.12
        pl.struct(times.alias("t")).map_elements(
            lambda r: float(f"{r['t']:.2g}"), return_dtype=pl.Float64).alias("times"),
        source.fill_null("").alias("source"),
        pl.col("note").cast(pl.String),
    ).sort("country", "measure_label", "year").select(BREAK_COLUMNS)


def breaks_table(breaks: pl.DataFrame, lang: str | None = None) -> pl.DataFrame:
    """``series_breaks`` for reading: 'Detected trafficking victims', '601 (2016) → 5,138
    (2017)', 'rose 8.5-fold' (5,138 ÷ 601 = 8.55; a fall: 98 → 18 'fell 5.4-fold', 98 ÷ 18),
    the fold to two significant figures; headers, countries, measures and words in ``lang``
    (English by default: UNODC's country names)."""
    _ = i18n.translator(lang)

    def number(value: float) -> str:
        return i18n.localise_value(f"{value:,.0f}", lang)

    def times_words(before: float, after: float) -> str:
        if after >= before:
            return _("rose {times}-fold").format(times=i18n.localise_value(
                f"{float(f'{after / before:.2g}'):g}", lang))
        return _("fell {times}-fold").format(times=i18n.localise_value(
            f"{float(f'{before / after:.2g}'):g}", lang))

    country, iso3, measure, year = _("Country"), "ISO3", _("Measure"), _("Year")
    pgettext = i18n.context_translator(lang)
    before_after, source = _("Before → after"), _("Source")
    change = pgettext("series break", "Change")  # its size; an upload's 'Change' is another word
    return pl.DataFrame({
        country: [i18n.country_name(code, name, lang)
                  for code, name in zip(breaks["iso3"], breaks["country"], strict=True)],
        iso3: breaks["iso3"],
        measure: [_(label) for label in breaks["measure_label"]],
        year: breaks["year"],
        before_after: [
            f"{number(b)} ({yb}) → {number(a)} ({y})" for b, yb, a, y in zip(
                breaks["value_before"], breaks["year_before"], breaks["value"], breaks["year"],
                strict=True)],
        change: [times_words(b, a) for b, a in zip(breaks["value_before"], breaks["value"],
                                                    strict=True)],
        source: [source_words(t, lang) if t else t for t in breaks["source"]],
    }, schema={country: pl.String, iso3: pl.String, measure: pl.String, year: pl.Int32,
               before_after: pl.String, change: pl.String, source: pl.String})
