"""One sentence per chart that says what it shows: the text alternative.

A screen reader reads it beside the chart on the page, the brief prints it under the chart,
and the ZIP's README lists it. Each function takes exactly the frame its chart draws (from
``indicators.views``), so the words and the picture cannot disagree. Pure functions: frames in,
one sentence out. Values are written as the chart writes them (the frames' ``value_text``);
status words come from ``indicators.measures.STATUSES``; a '<5'-based value is a range, and a
missing figure is 'no data', never zero.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass

import polars as pl

from indicators.i18n import N_, localise_value, place_name, translator
from indicators.measures import MEASURES, STATUSES, indicator_meta
from indicators.value_text import format_value
from indicators.views import SUPPRESSED_TEXT, country_values_are_flags, has_target

NO_DATA = N_("no data")
# A ranking names every scope up to this many; past it, the top three and the lowest.
RANKING_LIST_ALL = 8


def lower_first(text: str) -> str:
    """'Conviction rate' → 'conviction rate'; an acronym ('SDG 16.2.2') stays as it is."""
    if len(text) > 1 and text[1].isupper():
        return text
    return text[:1].lower() + text[1:]


def status_words(status: str | None, lang: str | None = None) -> str:
    """A status as words inside a sentence: 'off track', 'target met' (no icon), in ``lang``."""
    words = STATUSES.get(status or "no_data", STATUSES["no_data"])[0]
    return lower_first(translator(lang)(words))


def _short_status(status: str | None, lang: str | None = None) -> str:
    """The status words before any explanation ('uncertain', not 'uncertain: the range …')."""
    return status_words(status, lang).split(":")[0].rstrip()


def _span(first: int, last: int) -> str:
    return str(first) if first == last else f"{first}–{last}"


def and_list(items: Sequence[str], lang: str | None = None) -> str:
    """'a', 'a and b', 'a, b and c' ('a, b et c', 'a, b y c')."""
    items = list(items)
    if len(items) <= 1:
        return "".join(items)
    # TRANSLATORS: the last two of a list: 'a, b and c'
    _ = translator(lang)
    return _("{items} and {last}").format(items=", ".join(items[:-1]), last=items[-1])


def _semi(lang: str | None) -> str:
    """The '; ' between a sentence's clauses, as ``lang`` writes it."""
    # TRANSLATORS: the mark between two clauses of a sentence (French: ' ; ')
    _ = translator(lang)
    return _("; ")


def _colon(head: str, rest: str, lang: str | None) -> str:
    """'head: rest', as ``lang`` writes it ('head : rest')."""
    # TRANSLATORS: a sentence's head and what follows it (French: '{head} : {rest}')
    _ = translator(lang)
    return _("{head}: {rest}").format(head=head, rest=rest)


def label_change(label: str, change: str, lang: str | None = None) -> str:
    """'detected trafficking victims rose from …': a series' name and how it moved."""
    _ = translator(lang)
    # TRANSLATORS: a series' name and how it moved ('persons convicted rose from 4 to 12')
    return _("{label} {change}").format(label=lower_first(label), change=change)


def _place(row: dict, lang: str | None) -> str:
    """A row's place named in ``lang`` (its own name in English)."""
    return place_name(str(row.get("scope") or ""), str(row["name"]), lang)


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
    return _points_of(rows.iter_rows(named=True))


def _points_of(rows: Iterable[dict]) -> list[_Point]:
    """``_points`` of one series' rows as dicts (a series has one row a year)."""
    points = []
    for row in sorted((r for r in rows if r.get("year") is not None), key=lambda r: r["year"]):
        lower = row["lower"] if row.get("lower") is not None else row.get("value")
        upper = row["upper"] if row.get("upper") is not None else row.get("value")
        if lower is None or upper is None or row.get("year") is None:
            continue
        points.append(_Point(int(row["year"]), float(lower), float(upper), row["value_text"],
                             row.get("status")))
    return points


def change_words(points: Sequence[_Point], lang: str | None = None) -> str:
    """How a series moved from its first figure to its last, honest about ranges.

    'rose' and 'fell' only when the two figures' ranges do not overlap; the same figure at both
    ends '… in both … and …' (nothing is said about the years between); overlapping ranges
    'went from … to …'. Years without a figure in between are
    counted, so a gap is never read as a steady line. In ``lang`` (English by default).
    """
    _ = translator(lang)
    if not points:
        return _(NO_DATA)
    first, last = points[0], points[-1]
    words = {"first": localise_value(first.text, lang), "first_year": first.year,
             "last": localise_value(last.text, lang), "last_year": last.year}
    if first.year == last.year:
        return _("{value} in {year}").format(value=words["first"], year=first.year)
    if first.upper < last.lower:
        template = _("rose from {first} in {first_year} to {last} in {last_year}")
    elif first.lower > last.upper:
        template = _("fell from {first} in {first_year} to {last} in {last_year}")
    elif (first.lower, first.upper) == (last.lower, last.upper) and first.text == last.text:
        return _("{first} in both {first_year} and {last_year}").format(**words) + _gap_words(
            points, lang)
    else:
        template = _("went from {first} in {first_year} to {last} in {last_year}")
    return template.format(**words) + _gap_words(points, lang)


def _gap_words(points: Sequence[_Point], lang: str | None = None) -> str:
    years = points[-1].year - points[0].year + 1
    missing = years - len({p.year for p in points})
    if missing <= 0:
        return ""
    _ = translator(lang)
    return _(", with no figures in {missing} of those {years} years").format(
        missing=missing, years=years)


def _target_words(indicator: str, data: pl.DataFrame, lang: str | None = None) -> str:
    """'target more than 30% …', or nothing when no row drawn has a target at its level."""
    if "target" in data.columns and not has_target(data):
        return ""
    _ = translator(lang)
    return _("target {target}").format(target=_(indicator_meta(indicator).target_text))


# -- indicator over time (charts.indicator_lines, views.lines_data) ---------------------------
def lines(data: pl.DataFrame, indicator: str, lang: str | None = None) -> str:
    """'United Kingdom: conviction rate rose from 0.03% in 2015 to 0.16% in 2020; target more
    than 30% by the baseline year + 10; off track' for one scope; for several, one clause per
    scope (in the chart's order) with its latest status in brackets. In ``lang``."""
    _ = translator(lang)
    meta = indicator_meta(indicator)
    title = _(meta.title)
    semi = _semi(lang)
    by_scope: dict[str, list[dict]] = {}  # each scope's rows, in the chart's order
    for row in data.iter_rows(named=True):
        by_scope.setdefault(row["scope"], []).append(row)
    target = _target_words(indicator, data, lang)
    if not by_scope:
        return _colon(title, _(NO_DATA), lang) + (f"{semi}{target}" if target else "") + "."
    if len(by_scope) == 1:
        [rows] = by_scope.values()
        points = _points_of(rows)
        parts = [_("{name}: {indicator} {change}").format(
            name=_place(rows[0], lang), indicator=lower_first(title),
            change=change_words(points, lang))]
        if target:
            parts.append(target)
        if points:
            parts.append(status_words(points[-1].status, lang))
        return semi.join(parts) + "."
    years = [y for y in data["year"].to_list() if y is not None]
    clauses = []
    for rows in by_scope.values():
        points = _points_of(rows)
        name = _place(rows[0], lang)
        if points:
            clauses.append(_("{name} {change} ({status})").format(
                name=name, change=change_words(points, lang),
                status=status_words(points[-1].status, lang)))
        else:
            clauses.append(_("no data for {name}").format(name=name))
    head = f"{title}, {_span(min(years), max(years))}" if years else title
    return _colon(head, semi.join(clauses + ([target] if target else [])), lang) + "."


# -- a card's trend (charts.sparkline, views.card(...).series) ----------------------------------
def sparkline(series: pl.DataFrame, indicator: str, scope_name: str,
              highlight_year: int | None = None, lang: str | None = None) -> str:
    """'World: conviction rate went from 0.051% in 2003 to 0.030% in 2020; the diamond marks
    2020, the year on the card.' The card beside it gives the value, target and status. In
    ``lang`` (``scope_name`` is given in it)."""
    _ = translator(lang)
    meta = indicator_meta(indicator)
    texts = [format_value(r["value"], meta.unit, lower=r["lower"], upper=r["upper"],
                          target=r.get("target"))
             for r in series.iter_rows(named=True)]
    rows = series.with_columns(pl.Series("value_text", texts, dtype=pl.String))
    points = _points(rows)
    sentence = _("{name}: {indicator} {change}").format(
        name=scope_name, indicator=lower_first(_(meta.title)),
        change=change_words(points, lang))
    if highlight_year is not None and any(p.year == highlight_year for p in points):
        sentence += _semi(lang) + _("the diamond marks {year}, the year on the card").format(
            year=highlight_year)
    return sentence + "."


# -- one year, highest first (charts.ranking_bars, views.ranking_data) -------------------------
def ranking(data: pl.DataFrame, indicator: str, year: int, lang: str | None = None) -> str:
    """'Victim identification rate in 2019, highest first: A 12% (off track), B 3.0% (off
    track); no data for C; target more than 20% every year.' In ``lang``."""
    _ = translator(lang)
    meta = indicator_meta(indicator)
    with_figures = [r for r in data.iter_rows(named=True) if r["lower"] is not None]
    without = [_place(r, lang) for r in data.iter_rows(named=True) if r["lower"] is None]
    head = _("{title} in {year}").format(title=_(meta.title), year=year)

    def item(row: dict) -> str:
        return (f"{_place(row, lang)} {localise_value(row['value_text'], lang)} "
                f"({status_words(row['status'], lang)})")

    parts = []
    if not with_figures:
        parts.append(_colon(head, _("no data for {name}").format(name=and_list(without, lang))
                            if without else _(NO_DATA), lang))
    elif len(with_figures) <= RANKING_LIST_ALL:
        parts.append(_colon(_("{head}, highest first").format(head=head),
                            ", ".join(item(r) for r in with_figures), lang))
    else:
        parts.append(_colon(
            _("{head}, {n} with figures, highest first").format(head=head,
                                                               n=len(with_figures)),
            ", ".join(item(r) for r in with_figures[:3]), lang)
            + _semi(lang) + _colon(_("lowest"), item(with_figures[-1]), lang))
    if with_figures and without:
        parts.append(_("no data for {name}").format(name=and_list(without, lang))
                     if len(without) <= RANKING_LIST_ALL
                     else _("no data for {n} more").format(n=len(without)))
    target = _target_words(indicator, data, lang)
    if target:
        parts.append(target)
    return _semi(lang).join(parts) + "."


# -- the map (charts.world_map, views.latest_figures) ------------------------------------------
def world_map(data: pl.DataFrame, indicator: str, year: int, first_year: int,
              lang: str | None = None) -> str:
    """'Victim identification rate, each country's latest figure from 2012 to 2021: 120 of 200
    countries have one; highest A 30% (2019), lowest B 0.010% (2020); 2 target met, 118 off
    track; target more than 20% every year.' In ``lang``."""
    _ = translator(lang)
    meta = indicator_meta(indicator)
    total = data.height
    has = data.filter(pl.col("lower").is_not_null())
    if total == 1:
        count = (_("{n} of {total} country has one") if has.height == 1 else
                 _("{n} of {total} country have one"))
    else:
        count = (_("{n} of {total} countries has one") if has.height == 1 else
                 _("{n} of {total} countries have one"))
    head = _colon(_("{title}, each country's latest figure from {first} to {year}").format(
        title=_(meta.title), first=first_year, year=year),
        count.format(n=localise_value(str(has.height), lang),
                     total=localise_value(str(total), lang)), lang)
    parts = [head]
    if has.height and country_values_are_flags(indicator):
        sharing = has.filter(pl.col("lower") >= 1).height
        parts.append(_("{sharing} share data and {rest} do not").format(
            sharing=sharing, rest=has.height - sharing))
    elif has.height:
        ranked = has.with_columns(pl.coalesce("value", "lower").alias("_rank")).sort(
            ["_rank", "name"], descending=[True, False])
        top, bottom = ranked.row(0, named=True), ranked.row(-1, named=True)

        def place(row: dict) -> str:
            return f"{_place(row, lang)} {localise_value(row['value_text'], lang)} ({row['year']})"

        if has.height == 1:
            parts.append(place(top))
        else:
            parts.append(_("highest {top}, lowest {bottom}").format(top=place(top),
                                                                  bottom=place(bottom)))
        counts = has.group_by("status").len()
        by_status = dict(zip(counts["status"].to_list(), counts["len"].to_list(), strict=True))
        parts.append(", ".join(f"{by_status[s]} {_short_status(s, lang)}" for s in STATUSES
                               if by_status.get(s)))
    target = _target_words(indicator, data, lang)
    if target and not country_values_are_flags(indicator):
        parts.append(target)
    return _semi(lang).join(parts) + "."


# -- a country's published figures (charts.measure_lines, views.measure_series) ----------------
def published_figures(data: pl.DataFrame, country_name: str, lang: str | None = None) -> str:
    """'United Kingdom's published figures: detected trafficking victims rose from 5 in 2004 to
    10,620 in 2020; persons convicted …'. A '<5' figure reads '<5'. In ``lang``
    (``country_name`` is given in it)."""
    _ = translator(lang)
    if data.is_empty():
        return _("{name}: no published figures.").format(name=country_name)
    clauses = []
    for measure in data["measure"].unique(maintain_order=True).to_list():
        rows = data.filter(pl.col("measure") == measure)
        clauses.append(label_change(_(rows["label"][0]), change_words(_points(rows), lang),
                                    lang))
    return _colon(_("{name}'s published figures").format(name=country_name),
                  _semi(lang).join(clauses), lang) + "."


# -- coverage ------------------------------------------------------------------------------------
def _years_word(count: int, lang: str | None = None) -> str:
    _ = translator(lang)
    return (_("{n} year") if count == 1 else _("{n} years")).format(n=count)


def coverage_strip(data: pl.DataFrame, country_name: str, lang: str | None = None) -> str:
    """'United Kingdom, 2003–2021: persons convicted in 15 years (2 of them '<5'); no figures
    for victims reported and victims prosecuted.' (``views.coverage_strip_data``). In
    ``lang`` (``country_name`` is given in it)."""
    _ = translator(lang)
    years = data["year"].to_list()
    head = f"{country_name}, {_span(min(years), max(years))}" if years else country_name
    have, none = [], []
    for measure in data["measure"].unique(maintain_order=True).to_list():
        rows = data.filter(pl.col("measure") == measure)
        label = lower_first(_(rows["label"][0]))
        present = rows.filter(pl.col("state") != "missing")
        if present.is_empty():
            none.append(label)
            continue
        suppressed = present.filter(pl.col("state") == "suppressed").height
        extra = (" " + _("({n} of them '{suppressed}')").format(n=suppressed,
                                                               suppressed=SUPPRESSED_TEXT)
                 if suppressed else "")
        have.append(_("{label} in {years}").format(
            label=label, years=_years_word(present.height, lang)) + extra)
    parts = []
    if have:
        parts.append(_("figures for {items}").format(items=_semi(lang).join(have)))
    if none:
        parts.append(_("no figures for {items}").format(items=and_list(none, lang)))
    return _colon(head, _semi(lang).join(parts), lang) + "."


def coverage_matrix(data: pl.DataFrame, measure: str, lang: str | None = None) -> str:
    """'Detected trafficking victims, 2003–2021: 150 of 200 countries have at least one figure;
    the most in 2018 (120 countries), the fewest in 2003 (40).' (``views.coverage_matrix``).
    In ``lang``."""
    _ = translator(lang)
    label = _(MEASURES[measure].label) if measure in MEASURES else measure
    years = data["year"].to_list()
    countries = data["iso3"].n_unique()
    present = data.filter(pl.col("state") != "missing")
    with_any = present["iso3"].n_unique()
    head = f"{label}, {_span(min(years), max(years))}" if years else label
    if countries == 1:
        count = (_("{n} of {total} country has at least one figure") if with_any == 1 else
                 _("{n} of {total} country have at least one figure"))
    else:
        count = (_("{n} of {total} countries has at least one figure") if with_any == 1 else
                 _("{n} of {total} countries have at least one figure"))
    parts = [count.format(n=localise_value(str(with_any), lang),
                          total=localise_value(str(countries), lang))]
    if with_any:
        parts.append(_most_fewest(present.group_by("year").agg(
            pl.col("iso3").n_unique().alias("countries")), sorted(set(years)), lang))
    return _colon(head, _semi(lang).join(parts), lang) + "."


def _most_fewest(per_year: pl.DataFrame, years: Sequence[int], lang: str | None = None) -> str:
    """'the most in 2018 (120 countries), the fewest in 2003 (40)': latest year on ties."""
    counts = dict(zip(per_year["year"].to_list(), per_year["countries"].to_list(), strict=True))
    full = [(counts.get(y, 0), y) for y in years]
    most = max(full, key=lambda c: (c[0], c[1]))
    fewest = min(full, key=lambda c: (c[0], -c[1]))
    _ = translator(lang)
    return _(
        "the most in {most_year} ({most} countries), the fewest in {fewest_year} ({fewest})"
    ).format(most_year=most[1], most=localise_value(str(most[0]), lang),
             fewest_year=fewest[1], fewest=localise_value(str(fewest[0]), lang))


def coverage_summary(data: pl.DataFrame, lang: str | None = None) -> str:
    """'Countries with each figure, 2003–2021: detected trafficking victims from 0 (2003) to
    120 (2018); …' (``views.coverage_summary``: measure × year counts). In ``lang``."""
    _ = translator(lang)
    years = sorted(set(data["year"].to_list()))
    head = _("Countries with each figure") + (f", {_span(years[0], years[-1])}" if years
                                              else "")
    clauses = []
    for measure in data["measure"].unique(maintain_order=True).to_list():
        rows = data.filter(pl.col("measure") == measure)
        label = lower_first(_(rows["label"][0]))
        if rows["countries"].max() == 0:
            clauses.append(_colon(label, _("none"), lang))
            continue
        low = rows.sort(["countries", "year"]).row(0, named=True)
        high = rows.sort(["countries", "year"], descending=[True, True]).row(0, named=True)
        clauses.append(_("{label} from {low} ({low_year}) to {high} ({high_year})").format(
            label=label, low=localise_value(str(low["countries"]), lang), low_year=low["year"],
            high=localise_value(str(high["countries"]), lang), high_year=high["year"]))
    if not clauses:
        return _colon(head, _("no figures."), lang)
    return _colon(head, _semi(lang).join(clauses), lang) + "."
