"""One sentence per chart that says what it shows: the text alternative.

A screen reader reads it beside the chart on the page, the brief prints it under the chart,
and the ZIP's README lists it. Each function takes exactly the frame its chart draws (from
``indicators.views``), so the words and the picture cannot disagree. Pure functions: frames in,
one sentence out. Values are written as the chart writes them (the frames' ``value_text``);
status words come from ``indicators.measures.STATUSES``; a '<5'-based value is a range, and a
missing figure is 'no data', never zero.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

import polars as pl

from indicators.measures import MEASURES, STATUSES, format_value, indicator_meta
from indicators.views import SUPPRESSED_TEXT, country_values_are_flags

NO_DATA = "no data"
# A ranking names every scope up to this many; past it, the top three and the lowest.
RANKING_LIST_ALL = 8


def lower_first(text: str) -> str:
    """'Conviction rate' → 'conviction rate'; an acronym ('SDG 16.2.2') stays as it is."""
    if len(text) > 1 and text[1].isupper():
        return text
    return text[:1].lower() + text[1:]


def status_words(status: str | None) -> str:
    """A status as words inside a sentence: 'off track', 'target met' (no icon)."""
    words = STATUSES.get(status or "no_data", STATUSES["no_data"])[0]
    return lower_first(words)


def _short_status(status: str | None) -> str:
    """The status words before any explanation ('uncertain', not 'uncertain: the range …')."""
    return status_words(status).split(":")[0]


def _span(first: int, last: int) -> str:
    return str(first) if first == last else f"{first}–{last}"


def and_list(items: Sequence[str]) -> str:
    """'a', 'a and b', 'a, b and c'."""
    items = list(items)
    if len(items) <= 1:
        return "".join(items)
    return ", ".join(items[:-1]) + " and " + items[-1]


@dataclass(frozen=True)
class _Point:
    year: int
    lower: float
    upper: float
    text: str
    status: str | None = None


def _points(rows: pl.DataFrame) -> list[_Point]:
    """The figures of one series, in year order; rows without a figure are left out.

    An exact value has lower == upper (views put the value in both); a '<5'-based one has its
    bounds. The text is the chart's own (``value_text``).
    """
    points = []
    for row in rows.sort("year").iter_rows(named=True):
        lower = row["lower"] if row.get("lower") is not None else row.get("value")
        upper = row["upper"] if row.get("upper") is not None else row.get("value")
        if lower is None or upper is None or row.get("year") is None:
            continue
        points.append(_Point(int(row["year"]), float(lower), float(upper), row["value_text"],
                             row.get("status")))
    return points


def change_words(points: Sequence[_Point]) -> str:
    """How a series moved from its first figure to its last, honest about ranges.

    'rose' and 'fell' only when the two figures' ranges do not overlap; the same figure at both
    ends '… in both … and …' (nothing is said about the years between); overlapping ranges
    'went from … to …'. Years without a figure in between are
    counted, so a gap is never read as a steady line.
    """
    if not points:
        return NO_DATA
    first, last = points[0], points[-1]
    if first.year == last.year:
        return f"{first.text} in {first.year}"
    if first.upper < last.lower:
        verb = "rose from"
    elif first.lower > last.upper:
        verb = "fell from"
    elif (first.lower, first.upper) == (last.lower, last.upper) and first.text == last.text:
        return f"{first.text} in both {first.year} and {last.year}" + _gap_words(points)
    else:
        verb = "went from"
    return f"{verb} {first.text} in {first.year} to {last.text} in {last.year}" + _gap_words(
        points
    )


def _gap_words(points: Sequence[_Point]) -> str:
    years = points[-1].year - points[0].year + 1
    missing = years - len({p.year for p in points})
    if missing <= 0:
        return ""
    return f", with no figures in {missing} of those {years} years"


def _target_words(indicator: str, data: pl.DataFrame) -> str:
    """'target more than 30% …', or nothing when no row drawn has a target at its level."""
    if "target" in data.columns and data["target"].drop_nulls().len() == 0:
        return ""
    return f"target {indicator_meta(indicator).target_text}"


# -- indicator over time (charts.indicator_lines, views.lines_data) ---------------------------
def lines(data: pl.DataFrame, indicator: str) -> str:
    """'United Kingdom: conviction rate rose from 0.03% in 2015 to 0.16% in 2020; target more
    than 30% by the baseline year + 10; off track' for one scope; for several, one clause per
    scope (in the chart's order) with its latest status in brackets."""
    meta = indicator_meta(indicator)
    scopes = data["scope"].unique(maintain_order=True).to_list()
    target = _target_words(indicator, data)
    if not scopes:
        return f"{meta.title}: no data" + (f"; {target}" if target else "") + "."
    if len(scopes) == 1:
        rows = data.filter(pl.col("scope") == scopes[0])
        points = _points(rows)
        parts = [f"{rows['name'][0]}: {lower_first(meta.title)} {change_words(points)}"]
        if target:
            parts.append(target)
        if points:
            parts.append(status_words(points[-1].status))
        return "; ".join(parts) + "."
    years = [y for y in data["year"].to_list() if y is not None]
    clauses = []
    for scope in scopes:
        rows = data.filter(pl.col("scope") == scope)
        points = _points(rows)
        if points:
            clauses.append(f"{rows['name'][0]} {change_words(points)} "
                           f"({status_words(points[-1].status)})")
        else:
            clauses.append(f"no data for {rows['name'][0]}")
    head = f"{meta.title}, {_span(min(years), max(years))}" if years else meta.title
    return f"{head}: " + "; ".join(clauses + ([target] if target else [])) + "."


# -- a card's trend (charts.sparkline, views.card(...).series) ----------------------------------
def sparkline(series: pl.DataFrame, indicator: str, scope_name: str,
              highlight_year: int | None = None) -> str:
    """'World: conviction rate went from 0.051% in 2003 to 0.030% in 2020; the diamond marks
    2020, the year on the card.' The card beside it gives the value, target and status."""
    meta = indicator_meta(indicator)
    texts = [format_value(r["value"], meta.unit, lower=r["lower"], upper=r["upper"],
                          target=r.get("target"))
             for r in series.iter_rows(named=True)]
    rows = series.with_columns(pl.Series("value_text", texts, dtype=pl.String))
    points = _points(rows)
    sentence = f"{scope_name}: {lower_first(meta.title)} {change_words(points)}"
    if highlight_year is not None and any(p.year == highlight_year for p in points):
        sentence += f"; the diamond marks {highlight_year}, the year on the card"
    return sentence + "."


# -- one year, highest first (charts.ranking_bars, views.ranking_data) -------------------------
def ranking(data: pl.DataFrame, indicator: str, year: int) -> str:
    """'Victim identification rate in 2019, highest first: A 12% (off track), B 3.0% (off
    track); no data for C; target more than 20% every year.'"""
    meta = indicator_meta(indicator)
    with_figures = [r for r in data.iter_rows(named=True) if r["lower"] is not None]
    without = [r["name"] for r in data.iter_rows(named=True) if r["lower"] is None]

    def item(row: dict) -> str:
        return f"{row['name']} {row['value_text']} ({status_words(row['status'])})"

    parts = []
    if not with_figures:
        parts.append(f"{meta.title} in {year}: no data for {and_list(without)}"
                     if without else f"{meta.title} in {year}: no data")
    elif len(with_figures) <= RANKING_LIST_ALL:
        parts.append(f"{meta.title} in {year}, highest first: "
                     + ", ".join(item(r) for r in with_figures))
    else:
        parts.append(f"{meta.title} in {year}, {len(with_figures)} with figures, highest "
                     "first: " + ", ".join(item(r) for r in with_figures[:3])
                     + f"; lowest: {item(with_figures[-1])}")
    if with_figures and without:
        parts.append(f"no data for {and_list(without)}" if len(without) <= RANKING_LIST_ALL
                     else f"no data for {len(without)} more")
    target = _target_words(indicator, data)
    if target:
        parts.append(target)
    return "; ".join(parts) + "."


# -- the map (charts.world_map, views.latest_figures) ------------------------------------------
def world_map(data: pl.DataFrame, indicator: str, year: int, first_year: int) -> str:
    """'Victim identification rate, each country's latest figure from 2012 to 2021: 120 of 200
    countries have one; highest A 30% (2019), lowest B 0.010% (2020); 2 target met, 118 off
    track; target more than 20% every year.'"""
    meta = indicator_meta(indicator)
    total = data.height
    has = data.filter(pl.col("lower").is_not_null())
    head = (f"{meta.title}, each country's latest figure from {first_year} to {year}: "
            f"{has.height} of {total} countr{'y' if total == 1 else 'ies'} "
            f"{'has' if has.height == 1 else 'have'} one")
    parts = [head]
    if has.height and country_values_are_flags(indicator):
        sharing = has.filter(pl.col("lower") >= 1).height
        parts.append(f"{sharing} share data and {has.height - sharing} do not")
    elif has.height:
        ranked = has.with_columns(pl.coalesce("value", "lower").alias("_rank")).sort(
            ["_rank", "name"], descending=[True, False])
        top, bottom = ranked.row(0, named=True), ranked.row(-1, named=True)
        if has.height == 1:
            parts.append(f"{top['name']} {top['value_text']} ({top['year']})")
        else:
            parts.append(f"highest {top['name']} {top['value_text']} ({top['year']}), lowest "
                         f"{bottom['name']} {bottom['value_text']} ({bottom['year']})")
        counts = has.group_by("status").len()
        by_status = dict(zip(counts["status"].to_list(), counts["len"].to_list(), strict=True))
        parts.append(", ".join(f"{by_status[s]} {_short_status(s)}" for s in STATUSES
                               if by_status.get(s)))
    target = _target_words(indicator, data)
    if target and not country_values_are_flags(indicator):
        parts.append(target)
    return "; ".join(parts) + "."


# -- a country's published figures (charts.measure_lines, views.measure_series) ----------------
def published_figures(data: pl.DataFrame, country_name: str) -> str:
    """'United Kingdom's published figures: detected trafficking victims rose from 5 in 2004 to
    10,620 in 2020; persons convicted …'. A '<5' figure reads '<5'."""
    if data.is_empty():
        return f"{country_name}: no published figures."
    clauses = []
    for measure in data["measure"].unique(maintain_order=True).to_list():
        rows = data.filter(pl.col("measure") == measure)
        clauses.append(f"{lower_first(rows['label'][0])} {change_words(_points(rows))}")
    return f"{country_name}'s published figures: " + "; ".join(clauses) + "."


# -- coverage ------------------------------------------------------------------------------------
def _years_word(count: int) -> str:
    return f"{count} year{'' if count == 1 else 's'}"


def coverage_strip(data: pl.DataFrame, country_name: str) -> str:
    """'United Kingdom, 2003–2021: persons convicted in 15 years (2 of them '<5'); no figures
    for victims reported and victims prosecuted.' (``views.coverage_strip_data``)."""
    years = data["year"].to_list()
    head = f"{country_name}, {_span(min(years), max(years))}" if years else country_name
    have, none = [], []
    for measure in data["measure"].unique(maintain_order=True).to_list():
        rows = data.filter(pl.col("measure") == measure)
        label = lower_first(rows["label"][0])
        present = rows.filter(pl.col("state") != "missing")
        if present.is_empty():
            none.append(label)
            continue
        suppressed = present.filter(pl.col("state") == "suppressed").height
        extra = f" ({suppressed} of them '{SUPPRESSED_TEXT}')" if suppressed else ""
        have.append(f"{label} in {_years_word(present.height)}{extra}")
    parts = []
    if have:
        parts.append("figures for " + "; ".join(have))
    if none:
        parts.append("no figures for " + and_list(none))
    return f"{head}: " + "; ".join(parts) + "."


def coverage_matrix(data: pl.DataFrame, measure: str) -> str:
    """'Detected trafficking victims, 2003–2021: 150 of 200 countries have at least one figure;
    the most in 2018 (120 countries), the fewest in 2003 (40).' (``views.coverage_matrix``)."""
    label = MEASURES[measure].label if measure in MEASURES else measure
    years = data["year"].to_list()
    countries = data["iso3"].n_unique()
    present = data.filter(pl.col("state") != "missing")
    with_any = present["iso3"].n_unique()
    head = f"{label}, {_span(min(years), max(years))}" if years else label
    parts = [f"{with_any} of {countries} countr{'y' if countries == 1 else 'ies'} "
             f"{'has' if with_any == 1 else 'have'} at least one figure"]
    if with_any:
        parts.append(_most_fewest(present.group_by("year").agg(
            pl.col("iso3").n_unique().alias("countries")), sorted(set(years))))
    return f"{head}: " + "; ".join(parts) + "."


def _most_fewest(per_year: pl.DataFrame, years: Sequence[int]) -> str:
    """'the most in 2018 (120 countries), the fewest in 2003 (40)': latest year on ties."""
    counts = dict(zip(per_year["year"].to_list(), per_year["countries"].to_list(), strict=True))
    full = [(counts.get(y, 0), y) for y in years]
    most = max(full, key=lambda c: (c[0], c[1]))
    fewest = min(full, key=lambda c: (c[0], -c[1]))
    return f"the most in {most[1]} ({most[0]} countries), the fewest in {fewest[1]} ({fewest[0]})"


def coverage_summary(data: pl.DataFrame) -> str:
    """'Countries with each figure, 2003–2021: detected trafficking victims from 0 (2003) to
    120 (2018); …' (``views.coverage_summary``: measure × year counts)."""
    years = sorted(set(data["year"].to_list()))
    head = "Countries with each figure" + (f", {_span(years[0], years[-1])}" if years else "")
    clauses = []
    for measure in data["measure"].unique(maintain_order=True).to_list():
        rows = data.filter(pl.col("measure") == measure)
        label = lower_first(rows["label"][0])
        if rows["countries"].max() == 0:
            clauses.append(f"{label}: none")
            continue
        low = rows.sort(["countries", "year"]).row(0, named=True)
        high = rows.sort(["countries", "year"], descending=[True, True]).row(0, named=True)
        clauses.append(f"{label} from {low['countries']} ({low['year']}) to "
                       f"{high['countries']} ({high['year']})")
    if not clauses:
        return f"{head}: no figures."
    return f"{head}: " + "; ".join(clauses) + "."
