"""The pages' tables and pickers: the Compare table, a year's country table, the scopes and
countries on offer, and the measure catalogue.
"""

from __future__ import annotations

import re
from collections.abc import Collection

import polars as pl

from indicators import i18n
from indicators.compute import WORLD, scope_members
from indicators.i18n import N_, translator
from indicators.measures import (
    INDICATORS,
    MEASURES,
    SERIES_BREAK_WORDS,
    indicator_meta,
    status_text,
)
from indicators.value_text import format_value
from indicators.views.names import _sources_of, name_order
from indicators.views.sources import source_words

TRENDS_SHORT = {"improving": N_("improving"), "worsening": N_("worsening"),
                "flat": N_("flat"), "rising": N_("rising"), "falling": N_("falling"),
                "unclear": N_("unclear"), "none": N_("none yet")}


# The computation's notes on a country's row (indicators/compute: rates.py, changes.py), each
# as a pattern of its English sentence and its message; the year is its one placeholder.
COMPUTED_NOTES: tuple[tuple[str, str], ...] = (
    (r"No estimate of people in modern slavery for this country\.",
     N_("No estimate of people in modern slavery for this country.")),
    (r"No World Bank population figure for this country and year\.",
     N_("No World Bank population figure for this country and year.")),
    (r"Before the baseline year (?P<year>\d{4})\.", N_("Before the baseline year {year}.")),
    (r"No figure for the baseline year (?P<year>\d{4})\.",
     N_("No figure for the baseline year {year}.")),
    (r"The baseline figure is zero, so a percentage change is undefined\.",
     N_("The baseline figure is zero, so a percentage change is undefined.")),
)


def computed_note(note: str, lang: str | None = None) -> str:
    """A row's note with the computation's own sentences (``COMPUTED_NOTES``) in ``lang``;
    anything else in it (a figure's note as published) as it is."""
    _ = i18n.translator(lang)
    for pattern, message in COMPUTED_NOTES:
        note = re.sub(pattern, lambda found, m=message: _(m).format(**found.groupdict()), note)
    return note


def _replaced(column: str, words: dict[str, str]) -> pl.Expr:
    """``column`` with each of its texts replaced by ``words`` (itself where not in it)."""
    return pl.col(column).replace(words) if words else pl.col(column)


def compare_table(latest: pl.DataFrame, lang: str | None = None) -> pl.DataFrame:
    """The Compare page's table: words, not codes; 'no data' where there is no figure. Its
    headers and words in ``lang`` (English by default), the countries and regions by
    ``i18n.place_name``, the values in the locale's notation; sources and the data's own
    notes as published."""
    _ = i18n.translator(lang)
    english = (i18n.parse_language(lang) or i18n.ENGLISH) == i18n.ENGLISH
    names, regions, values, statuses, proxies, notes, sources = {}, {}, {}, {}, {}, {}, {}
    if not english:
        names = {s: i18n.place_name(s, n, lang) for s, n in
                 latest.select("scope", "name").unique().iter_rows() if n is not None}
        regions = {r: i18n.place_name(r, r, lang) for r in latest["region"].drop_nulls()}
        values = {v: i18n.localise_value(v, lang) for v in latest["value_text"].drop_nulls()}
        statuses = {f"{s}|{b}": status_text(s, b, _) for s, b in
                    latest.select("status", "basis").unique().iter_rows()}
        proxies = {p: _(p) for p in latest["proxy"].drop_nulls() if p}
        notes = {n: computed_note(n, lang) for n in latest["note"].drop_nulls()}
        sources = {t: source_words(t, lang) for t in latest["source"].drop_nulls()}
    status = (pl.concat_str([pl.col("status").fill_null("None"),
                             pl.col("basis").fill_null("None")], separator="|")
              .replace_strict(statuses, default=pl.col("status_text"))
              if statuses else pl.col("status_text"))
    return latest.select(
        (pl.col("scope").replace_strict(names, default=pl.col("name"))
         if names else pl.col("name")).alias(_("Country")),
        pl.col("scope").alias("ISO3"),
        _replaced("region", regions).fill_null("—").alias(_("Region")),
        _replaced("value_text", values).alias(_("Value")),
        status.alias(_("Status")),
        pl.col("trend").replace_strict({k: _(v) for k, v in TRENDS_SHORT.items()},
                                       default=None, return_dtype=pl.String)
        .fill_null("").alias(_("Trend")),
        pl.col("year").alias(_("Year of figure")),
        pl.col("denominator_year").alias(_("Estimate year (denominator)")),
        pl.when(pl.col("source") == "").then(pl.lit("—"))
        .otherwise(_replaced("source", sources)).alias(_("Source")),
        pl.concat_str([_replaced("note", notes), _replaced("proxy", proxies)], separator=" ",
                      ignore_nulls=True).fill_null("").alias(_("Note")),
        # last: its header is long, and the source comes first
        break_column(lang).alias(break_header(lang)),
    )


BREAK_NOTE = SERIES_BREAK_WORDS[0].upper() + SERIES_BREAK_WORDS[1:] + "."
BREAK_COLUMN = "Possible break in the series (check the source)"


def break_header(lang: str | None = None) -> str:
    """``BREAK_COLUMN`` in ``lang``."""
    words = i18n.translator(lang)(SERIES_BREAK_WORDS)
    return words[0].upper() + words[1:]


def _format(template: str, **columns: pl.Expr) -> pl.Expr:
    """``pl.format`` of a translated ``template`` with named placeholders ('{year}, ce
    chiffre (depuis {before})'), whatever their order in it."""
    order = re.findall(r"\{(\w+)\}", template)
    return pl.format(re.sub(r"\{\w+\}", "{}", template), *(columns[n] for n in order))


def break_column(lang: str | None = None) -> pl.Expr:
    """A row's possible break in words (the Series breaks page lists them all): '2017, this
    figure' when the count behind the value broke from the year before; '2017, which the trend
    spans' when the latest break after the baseline year is earlier; 'none' otherwise; '' for
    a row without a figure. In ``lang`` (English by default)."""
    if (i18n.parse_language(lang) or i18n.ENGLISH) == i18n.ENGLISH:
        return (
            pl.when(pl.col("year").is_null()).then(pl.lit(""))
            .when(pl.col("series_break").fill_null(False))
            .then(pl.format("{}, this figure (from {})", pl.col("year"), pl.col("year") - 1))
            .when(pl.col("break_year").is_not_null())
            .then(pl.format("{}, which the trend spans", pl.col("break_year")))
            .otherwise(pl.lit("none"))
        )
    _ = i18n.translator(lang)
    return (
        pl.when(pl.col("year").is_null()).then(pl.lit(""))
        .when(pl.col("series_break").fill_null(False))
        # TRANSLATORS: a table cell: the figure's year broke from the year before
        .then(_format(_("{year}, this figure (from {before})"), year=pl.col("year"),
                      before=pl.col("year") - 1))
        .when(pl.col("break_year").is_not_null())
        # TRANSLATORS: a table cell: a break in a year the row's trend runs over
        .then(_format(_("{year}, which the trend spans"), year=pl.col("break_year")))
        # TRANSLATORS: a table cell: no possible break in the series
        .otherwise(pl.lit(_("none (no break)")))
    )


def country_table(
    frame: pl.DataFrame, countries: pl.DataFrame, indicator: str, year: int
) -> pl.DataFrame:
    """Every country for one indicator and year: value in words, status, year of the
    denominator and the sources. Countries without the figures say 'no data'."""
    meta = indicator_meta(indicator)
    rows = frame.filter(
        (pl.col("indicator") == indicator)
        & (pl.col("scope_type") == "country")
        & (pl.col("year") == year)
    ).join(
        countries.select(pl.col("iso3").alias("scope"), "name", "region"), on="scope", how="left"
    )
    records = []
    for row in rows.iter_rows(named=True):
        records.append(
            {
                "Country": row["name"] or row["scope"],
                "ISO3": row["scope"],
                "Region": row["region"] or "—",
                "Value": format_value(row["value"], meta.unit, lower=row["lower"],
                                      upper=row["upper"], target=row.get("target")),
                "Status": status_text(row["status"], row.get("basis")),
                "Year": row["year"],
                "Estimate year": row["denominator_year"],
                "Source": _sources_of(row),
                "Note": " ".join(p for p in (row["note"], row["proxy"]) if p) or "",
                # the one ranking rule (chart_data.RANK_RULE): a range by its upper end
                "sort_value": row["value"] if row["value"] is not None else row["upper"],
            }
        )
    schema = {
        "Country": pl.String, "ISO3": pl.String, "Region": pl.String, "Value": pl.String,
        "Status": pl.String, "Year": pl.Int32, "Estimate year": pl.Int32, "Source": pl.String,
        "Note": pl.String, "sort_value": pl.Float64,
    }
    table = pl.DataFrame(records, schema=schema)
    return table.sort(["sort_value", "Country"], descending=[True, False], nulls_last=True).drop(
        "sort_value"
    )


def scope_options(frame: pl.DataFrame, countries: pl.DataFrame, names: dict[str, str],
                  lang: str | None = None) -> list[str]:
    """What the Compare page offers: the world, the regions, the UN M49 subregions, then every
    country with at least one indicator value, by name (its name in ``lang``)."""
    with_figures = set(frame.filter(
        (pl.col("scope_type") == "country") & (pl.col("status") != "no_data")
    )["scope"].unique().to_list())
    members = scope_members(countries)

    def shown(scope: str) -> str:
        return name_order(i18n.place_name(scope, names.get(scope, scope), lang), lang)

    regions = sorted(members["region"].drop_nulls().unique().to_list(), key=shown)
    subregions = sorted(members["subregion"].drop_nulls().unique().to_list(), key=shown)
    codes = sorted((c for c in countries["iso3"].to_list() if c in with_figures), key=shown)
    return [WORLD, *regions, *subregions, *codes]


def countries_of(countries: pl.DataFrame, scopes: Collection[str]) -> tuple[str, ...] | None:
    """The countries a set of scopes stands for: a country itself, a region's or a UN M49
    subregion's countries; None (every country) when the world is among them or nothing is
    chosen. What the year rule (``default_year``) counts for the scopes on screen."""
    if not scopes or WORLD in scopes:
        return None
    members = scope_members(countries)
    chosen = list(scopes)
    groups = set(members["region"].drop_nulls()) | set(members["subregion"].drop_nulls())
    inside = members.filter(pl.col("region").is_in(chosen) | pl.col("subregion").is_in(chosen))
    return tuple(sorted(set(inside["iso3"]) | {s for s in chosen if s not in groups}))


def countries_with_figures(observations: pl.DataFrame, countries: pl.DataFrame,
                           names: dict[str, str], lang: str | None = None) -> list[str]:
    """ISO3 codes of the countries with any published or uploaded figure, by name (by their
    names in ``lang``: ``i18n.place_name``, sorted as ``names.name_order`` sorts)."""
    present = set(observations["iso3"].unique().to_list())
    return sorted((c for c in countries["iso3"].to_list() if c in present),
                  key=lambda c: name_order(i18n.place_name(c, names.get(c, c), lang), lang))


def place_of(countries: pl.DataFrame, iso3: str) -> tuple[str | None, str | None]:
    """(region, subregion) of a country, or (None, None)."""
    rows = countries.filter(pl.col("iso3") == iso3)
    if rows.is_empty():
        return None, None
    return rows["region"][0], rows["subregion"][0]


def compared_groups(countries: pl.DataFrame, iso3: str, names: dict[str, str]) -> list[str]:
    """What a country is set against besides the world, smallest first: its UN M49
    subregion and its region, each only when the computation has it as a scope (a key of
    ``scope_names``): ['Western Africa', 'Africa'] for Nigeria."""
    region, subregion = place_of(countries, iso3)
    return [g for g in (subregion, region) if g and g in names]


def against_words(groups: list[str], lang: str | None = None) -> str:
    """'Western Africa, Africa and the world' (the country page's and brief's wording); in
    ``lang`` with CLDR's names ('Afrique de l’Ouest, Afrique et le monde')."""
    if (i18n.parse_language(lang) or i18n.ENGLISH) == i18n.ENGLISH:
        return f"{', '.join(groups) or 'its region'} and the world"
    _ = i18n.translator(lang)
    shown = ", ".join(i18n.place_name(g, g, lang) for g in groups) or _("its region")
    # TRANSLATORS: what a country is set against: '{groups}' are its subregion and region
    return _("{groups} and the world").format(groups=shown)


# The measures' units in words, marked for the catalogs (English shows the unit as it is).
UNIT_WORDS: dict[str, str] = {
    "people": N_("people"), "offences": N_("offences"),
    "per 100,000 people": N_("per 100,000 people"),
    "flag (1 = yes, 0 = no)": N_("flag (1 = yes, 0 = no)"),
}


def measures_table(lang: str | None = None) -> pl.DataFrame:
    """The measure catalogue for the methodology page (its words in ``lang``; the codes as
    they are)."""
    _ = translator(lang)
    return pl.DataFrame([
        {
            _(N_("Measure")): _(m.label),
            _(N_("Unit")): _(UNIT_WORDS.get(m.unit, m.unit)) if lang else m.unit,
            _(N_("Definition")): _(m.definition),
            _(N_("Used by")): "; ".join(
                _("{title} (indicator {number})").format(title=_(INDICATORS[k].title),
                                                         number=INDICATORS[k].number)
                for k in m.used_by if k in INDICATORS
            ) or "—",
            _(N_("Code")): m.name,
        }
        for m in MEASURES.values()
    ])
