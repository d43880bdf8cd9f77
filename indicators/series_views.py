"""What the pages say about series: which series a value rests on, a contributed series beside
the official one, and who may see a batch awaiting review.

Pure Polars and plain strings, no Streamlit: the pages (Compare, Country profile, History,
Upload) show what these functions return as it is, and every text that came from a contributor
is shown as plain text there (st.text / st.dataframe / st.caption through ``plain``).
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence

import polars as pl

from indicators import i18n
from indicators.auth import Contributor
from indicators.measures import MEASURES, base_measure, indicator_meta, status_text
from indicators.series import (
    BASIS_ADOPTED,
    BASIS_CHOSEN,
    BASIS_OFFICIAL,
    CONTRIBUTED,
    OFFICIAL,
    beside_official,
    is_published_measure,
    series_label,
)
from indicators.value_text import format_value
from indicators.views import figure_text

KEY = ("iso3", "year", "measure")
# Batch states whose figures no reader sees: only the uploader's organisation and reviewers
# see such a batch on History.
UNPUBLISHED_STATUSES = ("submitted", "rejected")


# -- the Series choice on Compare and the Country profile ----------------------------------------
def series_choices(contributed: Sequence[str]) -> list[str]:
    """The Series box's options: the official series first, then each organisation."""
    return [OFFICIAL, *contributed]


def series_choice_label(choice: str, lang: str | None = None) -> str:
    """'Official figures' / 'Test NGO (contributed)', in ``lang`` ('Chiffres officiels')."""
    _ = i18n.translator(lang)
    if choice == OFFICIAL:
        return _("Official figures")
    return _("{organisation} (contributed)").format(organisation=choice)


def parse_series(raw: str | None, contributed: Sequence[str], notices: list[str]) -> str:
    """The series a link asks for (``series=Test NGO``), matched without regard to case;
    an unknown name falls back to the official series with a notice."""
    if raw is None or not raw.strip() or raw.strip().lower() == OFFICIAL:
        return OFFICIAL
    wanted = raw.strip().casefold()
    for name in contributed:
        if name.casefold() == wanted:
            return name
    shown = "".join(c for c in raw if c.isprintable())[:40]
    notices.append(f"The link asked for the series of '{shown}', which has no published "
                   "figures; showing the official figures instead.")
    return OFFICIAL


# -- which series a value rests on ---------------------------------------------------------------
def measures_of(indicator: str) -> list[str]:
    """The measures an indicator is computed from (``Measure.used_by``); a published count's
    own view is computed from that count."""
    used = [name for name, m in MEASURES.items() if indicator in m.used_by]
    if used:
        return used
    base = base_measure(indicator.removesuffix("_per_100k"))
    return [base] if base in MEASURES else []


def basis_words(basis: str | None, series: str | None, reviewer: str | None = None,
                lang: str | None = None) -> str:
    """What one picked figure rests on, in words: 'contributed by Test NGO', 'adopted
    correction by Rita' (empty for a plain official figure), in ``lang``."""
    _ = i18n.translator(lang)
    if basis in (None, BASIS_OFFICIAL):
        return ""
    label = series_label(CONTRIBUTED, series, lang)
    if basis == BASIS_ADOPTED:
        if reviewer:
            return _("{series}, adopted correction by {reviewer}").format(series=label,
                                                                          reviewer=reviewer)
        return _("{series}, adopted correction").format(series=label)
    if basis == BASIS_CHOSEN:
        return _("{series}, the series you chose").format(series=label)
    return label


def basis_notes(picked: pl.DataFrame, adoptions: pl.DataFrame | None, *,
                iso3s: Iterable[str] | None, years: tuple[int, int],
                measures: Iterable[str], lang: str | None = None) -> list[str]:
    """One line per measure and series that is not plain official, for the figures picked for
    these countries (None: every country), years and measures: 'Victims reported: contributed
    by Test NGO (GBR 2019).' The footer and card line that says what the values rest on, in
    ``lang``."""
    wanted = list(measures)
    if "basis" not in picked.columns or not wanted:
        return []
    rows = _not_official(picked, tuple(wanted))
    if rows.is_empty():
        return []
    rows = rows.filter(pl.col("year").is_between(years[0], years[1]))
    if iso3s is not None:
        rows = rows.filter(pl.col("iso3").is_in(list(iso3s)))
    if rows.is_empty():
        return []
    reviewers = _adopters(adoptions)
    lines = []
    grouped = rows.sort("measure", "iso3", "year").group_by(
        "measure", "basis", "series", maintain_order=True)
    for (measure, basis, series), group in grouped:
        reviewer = None
        if basis == BASIS_ADOPTED:
            names = {reviewers.get((r["batch_id"], r["iso3"], r["year"], r["measure"]))
                     for r in group.iter_rows(named=True)}
            reviewer = ", ".join(sorted(n for n in names if n)) or None
        _ = i18n.translator(lang)
        label = _(MEASURES[measure].label) if measure in MEASURES else str(measure)
        lines.append(_("{measure}: {basis} ({where}).").format(
            measure=label, basis=basis_words(basis, series, reviewer, lang),
            where=_where(group, lang)))
    return lines


# Each table's figures of some measures that are not plain official, picked once: every new
# selection asks for its notes, and a snapshot's observations stay the same object for as long
# as the snapshot lives (most data have no such figure, and the notes are then known at once).
# Kept with the table itself, so a new table (new data) never gets an old one's rows.
_NOT_OFFICIAL: dict[tuple[int, tuple[str, ...]], tuple[pl.DataFrame, pl.DataFrame]] = {}
_NOT_OFFICIAL_KEPT = 16


def _not_official(picked: pl.DataFrame, measures: tuple[str, ...]) -> pl.DataFrame:
    """``picked``'s figures of ``measures`` whose basis is not plain official, in its order."""
    key = (id(picked), measures)
    found = _NOT_OFFICIAL.get(key)
    if found is None or found[0] is not picked:
        rows = picked.filter(pl.col("measure").is_in(list(measures))
                             & (pl.col("basis") != BASIS_OFFICIAL))
        if len(_NOT_OFFICIAL) >= _NOT_OFFICIAL_KEPT:
            _NOT_OFFICIAL.clear()
        found = _NOT_OFFICIAL[key] = (picked, rows)
    return found[1]


def _adopters(adoptions: pl.DataFrame | None) -> dict[tuple, str]:
    if adoptions is None or adoptions.is_empty():
        return {}
    return {(r["batch_id"], r["iso3"], r["year"], r["measure"]): r["reviewer"]
            for r in adoptions.iter_rows(named=True)}


def _where(group: pl.DataFrame, lang: str | None = None) -> str:
    """'GBR 2019', 'GBR 2018–2020', 'GBR 2019, FRA 2020' or '12 countries'."""
    places = []
    for (iso3,), rows in group.group_by("iso3", maintain_order=True):
        first, last = rows["year"].min(), rows["year"].max()
        places.append(f"{iso3} {first}" if first == last else f"{iso3} {first}–{last}")
    if len(places) > 4:
        _ = i18n.translator(lang)
        return _("{count} countries").format(count=len(places))
    return ", ".join(places)


def indicator_basis_notes(picked: pl.DataFrame, adoptions: pl.DataFrame | None,
                          indicator: str, *, iso3s: Iterable[str] | None,
                          years: tuple[int, int], lang: str | None = None) -> list[str]:
    """``basis_notes`` for the measures one indicator is computed from, in ``lang``."""
    return basis_notes(picked, adoptions, iso3s=iso3s, years=years,
                       measures=measures_of(indicator), lang=lang)


def with_row_notes(latest: pl.DataFrame, picked: pl.DataFrame,
                   adoptions: pl.DataFrame | None, indicator: str) -> pl.DataFrame:
    """Each country's row of a table (``views.latest_figures``: scope, year, note) with what
    its value rests on added to its note, where that is not plain official: 'Victims reported:
    contributed by Test NGO (KEN 2021).'"""
    measures = measures_of(indicator)
    if "basis" not in picked.columns or latest.is_empty() or not measures:
        return latest
    special = picked.filter(pl.col("measure").is_in(measures)
                            & (pl.col("basis") != BASIS_OFFICIAL))
    if special.is_empty():
        return latest
    notes: dict[tuple[str, int], str] = {}
    for scope, year in special.select("iso3", "year").unique().iter_rows():
        found = basis_notes(special, adoptions, iso3s=[scope], years=(year, year),
                            measures=measures)
        if found:
            notes[(scope, year)] = " ".join(found)
    added = pl.Series([notes.get((s, y)) for s, y in
                       zip(latest["scope"].to_list(), latest["year"].to_list(), strict=True)],
                      dtype=pl.String)
    return latest.with_columns(
        pl.when(pl.lit(added).is_null()).then(pl.col("note"))
        .otherwise(pl.concat_str([pl.col("note"), pl.lit(added)], separator=" ",
                                 ignore_nulls=True)).alias("note"))


def with_series_note(data: pl.DataFrame, notes: Sequence[str]) -> pl.DataFrame:
    """A chart's rows with a ``series_note`` column (the charts print it in their footer);
    unchanged when every value is plain official."""
    if not notes:
        return data
    return data.with_columns(pl.lit(" ".join(notes), pl.String).alias("series_note"))


# -- a contributed series beside the official one ------------------------------------------------
def beside_lines(figures: pl.DataFrame, organisation: str, iso3: str | None = None,
                 names: dict[str, str] | None = None, limit: int = 20,
                 lang: str | None = None) -> list[str]:
    """Where ``organisation``'s figure of a measure the official series publishes differs from
    the official one: 'Test NGO reports 9,000 persons convicted in 2019 (their casework);
    official: 251.' (the note is the organisation's own words, shown as plain text). In
    ``lang`` (English by default), the countries by ``i18n.place_name``."""
    beside = beside_official(figures).filter(pl.col("series") == organisation)
    # a measure no official series publishes has nothing to be beside: it is simply the
    # organisation's figure (the footers and cards say so)
    published = [m for m in beside["measure"].unique().to_list() if is_published_measure(m)]
    beside = beside.filter(pl.col("measure").is_in(published))
    if iso3 is not None:
        beside = beside.filter(pl.col("iso3") == iso3)
    differing = beside.filter(
        pl.col("official_value_status").is_null()
        | pl.col("official_value").ne_missing(pl.col("value"))
        | pl.col("official_value_status").ne_missing(pl.col("value_status"))
    ).sort("iso3", "measure", "year")
    lines = []
    english = (i18n.parse_language(lang) or i18n.ENGLISH) == i18n.ENGLISH
    _ = i18n.translator(lang)
    for row in differing.head(limit).iter_rows(named=True):
        label = MEASURES[row["measure"]].label.lower() if row["measure"] in MEASURES \
            else row["measure"]
        text = figure_text(row["value"], row["value_status"], row["lower"], row["upper"])
        place = "" if iso3 is not None else f" for {(names or {}).get(row['iso3'], row['iso3'])}"
        note = f" ({row['note']})" if row.get("note") else ""
        official = ("no official figure" if row["official_value_status"] is None else
                    "official: " + figure_text(row["official_value"],
                                               row["official_value_status"], None, None))
        if english:
            lines.append(f"{organisation} reports {text} {label}{place} in {row['year']}{note}; "
                         f"{official}.")
            continue
        if row["measure"] in MEASURES:
            label = _(MEASURES[row["measure"]].label).lower()
        if iso3 is None:
            place = _(" for {name}").format(name=i18n.place_name(
                row["iso3"], (names or {}).get(row["iso3"], row["iso3"]), lang))
        official = (_("no official figure") if row["official_value_status"] is None else
                    _("official: {figure}").format(figure=i18n.localise_value(figure_text(
                        row["official_value"], row["official_value_status"], None, None),
                        lang)))
        # TRANSLATORS: '{place}' is empty or ' for <country>'; '{note}' empty or ' (<note>)'
        lines.append(_("{organisation} reports {figure} {measure}{place} in {year}{note}; "
                       "{official}.").format(
            organisation=organisation, figure=i18n.localise_value(text, lang), measure=label,
            place=place, year=row["year"], note=note, official=official))
    if differing.height > limit:
        more = differing.height - limit
        lines.append(f"… and {more} more." if english else
                     _("… and {count} more.").format(count=i18n.number(more, lang)))
    return lines


def both_series(official: pl.DataFrame, contributed: pl.DataFrame, organisation: str,
                indicator: str, *, years: tuple[int, int],
                scopes: Iterable[str] | None = None) -> pl.DataFrame:
    """One indicator's country values from the official figures and from ``organisation``'s
    series, for each country and year where the two differ (the countries the organisation has
    figures for): the rows Compare and the Country profile show side by side. Columns: scope,
    year, series ('official' / 'contributed by Test NGO'), value, lower, upper, status."""
    wanted = ["scope", "year", "value", "lower", "upper", "status", "basis"]

    def rows(frame: pl.DataFrame) -> pl.DataFrame:
        found = frame.filter((pl.col("indicator") == indicator)
                             & (pl.col("scope_type") == "country")
                             & pl.col("year").is_between(years[0], years[1]))
        if scopes is not None:
            found = found.filter(pl.col("scope").is_in(list(scopes)))
        if "basis" not in found.columns:
            found = found.with_columns(pl.lit(None, pl.String).alias("basis"))
        return found.select(wanted)

    left, right = rows(official), rows(contributed)
    joined = left.join(right, on=["scope", "year"], how="inner", suffix="_contributed")
    differ = joined.filter(
        pl.col("value").ne_missing(pl.col("value_contributed"))
        | pl.col("lower").ne_missing(pl.col("lower_contributed"))
        | pl.col("upper").ne_missing(pl.col("upper_contributed"))
    ).select("scope", "year")
    label = series_label(CONTRIBUTED, organisation)
    both = pl.concat([
        left.join(differ, on=["scope", "year"], how="semi").with_columns(
            pl.lit(series_label(OFFICIAL, None)).alias("series"), pl.lit(0).alias("_order")),
        right.join(differ, on=["scope", "year"], how="semi").with_columns(
            pl.lit(label).alias("series"), pl.lit(1).alias("_order")),
    ])
    return both.sort("scope", "year", "_order").drop("_order").select(
        "scope", "year", "series", "value", "lower", "upper", "status", "basis")


def both_series_table(rows: pl.DataFrame, indicator: str, names: dict[str, str],
                      lang: str | None = None) -> pl.DataFrame:
    """``both_series`` for reading: country, year, series, value and status in words; in
    ``lang`` (English by default): headers, CLDR's country names, the series, values and
    statuses."""
    meta = indicator_meta(indicator)
    if (i18n.parse_language(lang) or i18n.ENGLISH) != i18n.ENGLISH:
        _ = i18n.translator(lang)

        def series_words(series: str) -> str:
            if series == OFFICIAL:
                return _("official")
            return _("contributed by {name}").format(
                name=series.removeprefix("contributed by "))

        country, year, shown, value, status = (
            _("Country"), _("Year"), _("Series"), _("Value"), _("Status"))
        return pl.DataFrame([{
            country: i18n.place_name(r["scope"], names.get(r["scope"], r["scope"]), lang),
            "ISO3": r["scope"],
            year: r["year"],
            shown: series_words(r["series"]),
            value: i18n.localise_value(format_value(
                r["value"], meta.unit, lower=r["lower"], upper=r["upper"],
                target=r.get("target")), lang),
            status: status_text(r["status"], r["basis"], _),
        } for r in rows.iter_rows(named=True)], schema={
            country: pl.String, "ISO3": pl.String, year: pl.Int32, shown: pl.String,
            value: pl.String, status: pl.String})
    return pl.DataFrame([{
        "Country": names.get(r["scope"], r["scope"]),
        "ISO3": r["scope"],
        "Year": r["year"],
        "Series": r["series"],
        "Value": format_value(r["value"], meta.unit, lower=r["lower"], upper=r["upper"],
                              target=r.get("target")),
        "Status": status_text(r["status"], r["basis"]),
    } for r in rows.iter_rows(named=True)], schema={
        "Country": pl.String, "ISO3": pl.String, "Year": pl.Int32, "Series": pl.String,
        "Value": pl.String, "Status": pl.String})


def both_series_lines(official: pl.DataFrame, contributed: pl.DataFrame,
                      organisation: str, lang: str | None = None) -> pl.DataFrame:
    """Two charts' rows (``views.lines_data``) as one: each country's official line and its
    line from ``organisation``'s series, named so the legend tells them apart ('United
    Kingdom (official)', 'United Kingdom (contributed by Test NGO)'); those words in
    ``lang`` (English by default)."""
    _ = i18n.translator(lang)
    label = (series_label(CONTRIBUTED, organisation)
             if (i18n.parse_language(lang) or i18n.ENGLISH) == i18n.ENGLISH else
             _("contributed by {name}").format(name=organisation))
    ours = official.with_columns(
        pl.format("{} ({})", "name", pl.lit(_("official"))).alias("name"))
    theirs = contributed.with_columns(
        pl.format("{} ({})", "name", pl.lit(label)).alias("name"),
        pl.format("{} · {}", "scope", pl.lit(organisation)).alias("scope"))
    return pl.concat([ours, theirs], how="diagonal_relaxed")


# -- who sees a batch awaiting review -----------------------------------------------------------
def may_see_batch(person: Contributor | None, status: str | None,
                  organisation: str | None) -> bool:
    """A batch awaiting review (or rejected) is seen by its own organisation and by reviewers
    only; every other batch by everyone."""
    if status not in UNPUBLISHED_STATUSES:
        return True
    if person is None:
        return False
    return person.can_review or (bool(person.organisation)
                                 and person.organisation == organisation)


def visible_batches(batches: pl.DataFrame, person: Contributor | None) -> pl.DataFrame:
    """The batches this person may see on History (see ``may_see_batch``)."""
    keep = [may_see_batch(person, status, organisation) for status, organisation in
            zip(batches["status"].to_list(), batches["organisation"].to_list(), strict=True)]
    return batches.filter(pl.Series(keep, dtype=pl.Boolean))


def reviewer_name(person: Contributor) -> str:
    """The name a review is recorded under: the person's name, else their organisation."""
    return (person.name or person.organisation or person.role).strip()

