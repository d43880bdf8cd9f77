"""A country's (or the world's) picture on one or two A4 pages, as a PDF to attach to a brief.

The brief says exactly what the pages say: the cards come from ``views.card``, the charts from
the same builders (``charts.indicator_lines``, ``charts.measure_lines`` …) over the same rows
(``views.lines_data``, ``views.measure_series`` …), exported as SVG through
``figure_export`` (so their text stays selectable), and each chart carries the sentence of
``alt_text`` under it. Three steps, each testable on its own:

* ``country_brief`` / ``world_brief``: frames in → a ``Brief`` (pure);
* ``typst_inputs``: a ``Brief`` and its charts' SVG → the Typst inputs (pure; the template
  ``TEMPLATE`` is fixed text, every word of data travels as JSON, so no figure or name can
  be read as markup);
* ``render``: exports the SVGs and compiles with the ``typst`` package (fonts embedded,
  offline).

A page needs one call: ``render(country_brief(iso3, frame=…, observations=…, countries=…,
sources=…, settings=…))`` or ``render(world_brief(…))``, both returning the PDF's bytes.
"""

from __future__ import annotations

import datetime as dt
import json
import re
from collections.abc import Sequence
from dataclasses import dataclass, field

import plotly.graph_objects as go
import polars as pl

from indicators import alt_text, charts, i18n, victims, views
from indicators.alt_text import lower_first
from indicators.citation import CITATION, DASHBOARD_VERSION, PUBLISHERS
from indicators.compute import WORLD
from indicators.i18n import N_
from indicators.measures import (
    DENOMINATOR_NOTE,
    INDICATORS,
    MEASURES,
    PAPER_CITATION,
    PAPER_INDICATORS,
    REPORTING_PROXY_NOTE,
    SDG_INDICATOR,
    STATUS_RULE,
    STATUSES,
    status_text,
)
from indicators.settings import IndicatorSettings

# Charts are printed 186 mm wide from a figure laid out PRINT_WIDTH pixels wide: the figures'
# 14 px text then prints at about 7.4 pt and the 12 px footer at about 6.3 pt. A chart's
# height is its own title and footer (the figure's margins) plus a plot area of PLOT_HEIGHT.
PRINT_WIDTH = 1000
LINES_PLOT_HEIGHT = 175
# A country's two line charts are a little shorter: its victim profile (forms of exploitation
# by age and sex) takes the room on page 1. Not shorter than this: two-line tick labels
# ('0.8%' over '1 in 120') start to touch (tests/integration/test_text_overlap.py).
COUNTRY_LINES_PLOT_HEIGHT = 160
FIGURES_PLOT_HEIGHT = 150
COMPARED = ("conviction_rate", "identification_rate")
POPULATION_HEADING = N_("SDG 16.2.2 and the victim profile")
POPULATION_NO_DATA = N_(
    "Victim profile: no data. UNODC publishes no breakdown of this country's detected victims "
    "by sex, age, form of exploitation or citizenship in this database."
)
WORLD_PROFILE = N_(
    "The victim profile (sex, age, form of exploitation, citizenship) is published country by "
    "country and not added up here: see the country briefs."
)
PROFILE_TOP = 5
CREDIT = N_("Anti-Trafficking Indicators (open source)")
METHOD_LINK = N_("Method: docs/methodology.md.")


class BriefError(ValueError):
    """A brief was asked for something the data do not have; the message says what."""


@dataclass(frozen=True)
class BriefChart:
    """One chart of the brief: the page's figure, the rows it draws and its sentence."""

    key: str
    figure: go.Figure = field(compare=False, repr=False)
    data: pl.DataFrame = field(compare=False, repr=False)
    alt: str
    plot_height: int | None = LINES_PLOT_HEIGHT

    @property
    def height(self) -> int:
        """Export height: the figure's title and footer bands plus the plot area (a figure
        whose rows set its height, a heatmap, keeps its own)."""
        layout = self.figure.layout
        if self.plot_height is None:
            return int(layout.height or charts.PAGE_HEIGHT)
        return int((layout.margin.t or 0) + (layout.margin.b or 0) + self.plot_height)


@dataclass(frozen=True)
class BriefSection:
    """A heading, sentences, and charts when there are any."""

    heading: str
    text: tuple[str, ...] = ()
    charts: tuple[BriefChart, ...] = ()


@dataclass(frozen=True)
class Brief:
    kind: str  # "country" or "world"
    scope: str
    title: str
    subtitle: str
    facts: tuple[tuple[str, str], ...]
    note: str
    cards: tuple[views.Card, ...]
    details: tuple[tuple[str, ...], ...]
    sections: tuple[BriefSection, ...]
    sources: tuple[dict[str, str], ...]
    method: tuple[tuple[str, str], ...]
    made_on: dt.date
    lang: str = i18n.ENGLISH

    @property
    def charts(self) -> list[BriefChart]:
        return [c for s in self.sections for c in s.charts]


# -- checks ------------------------------------------------------------------------------------
def _check_year(frame: pl.DataFrame, year: int | None, what: str) -> None:
    if year is None:
        return
    years = frame["year"]
    if years.is_empty():
        raise BriefError("The database has no figures yet; run `indicators init` first.")
    if year < years.min() or year > years.max():
        raise BriefError(f"No figures for {what} {year}: the data run from {years.min()} to "
                         f"{years.max()}. Pick a year in that range.")


def _check_inputs(frame: pl.DataFrame, settings: IndicatorSettings, year: int | None) -> None:
    _check_year(frame, year, "the year")
    _check_year(frame, settings.baseline_year, "the baseline year")


def country_code(countries: pl.DataFrame, code: str) -> str:
    """The ISO3 code as the store writes it, or a BriefError that says what to type."""
    iso3 = code.strip().upper()
    if iso3 not in set(countries["iso3"].to_list()):
        raise BriefError(f"No country with the ISO3 code '{code}' in the data. Use a "
                         "three-letter ISO code such as GBR, NGA or BRA.")
    return iso3


# -- the parts ---------------------------------------------------------------------------------
def _span(frame: pl.DataFrame) -> tuple[int, int]:
    return int(frame["year"].min()), int(frame["year"].max())


def _cards(
    frame: pl.DataFrame, scope: str, year: int | None, settings: IndicatorSettings,
    lang: str = i18n.ENGLISH,
) -> tuple[tuple[views.Card, ...], tuple[tuple[str, ...], ...]]:
    """The five cards as the pages make them (the pages' year rule, ``views.default_year``),
    and each card's small print."""
    page = views.default_year(frame, None if scope == WORLD else (scope,))
    cards = tuple(views.card(frame, key, scope=scope, year=year,
                             baseline_year=settings.baseline_year, page_year=page, lang=lang)
                  for key in PAPER_INDICATORS)
    return cards, tuple(tuple(card_details(c, lang)) for c in cards)


def year_shown(cards: Sequence[views.Card], year: int | None,
               page: views.YearChoice | None = None) -> str:
    """The year the cards show, in words: the year chosen, or the pages' default year and why
    (a card showing another year says so in its small print)."""
    if year is not None:
        return f"{year} (chosen)"
    if not any(c.status != "no_data" for c in cards):
        return "none: no year has the figures the indicators need"
    if page is not None and page.year is not None:
        return page.reason
    years = sorted({c.year for c in cards if c.year is not None and c.status != "no_data"})
    return str(years[-1])


def _mixed_years(frame: pl.DataFrame, scope: str, cards: Sequence[views.Card],
                 year: int | None, settings: IndicatorSettings,
                 page: views.YearChoice, lang: str = i18n.ENGLISH) -> str:
    """The pages' line for above the cards when they show figures of different years
    (``views.mixed_years_text``, over the same six cards: the five and SDG 16.2.2), or ''."""
    sdg = views.card(frame, SDG_INDICATOR, scope=scope, year=year,
                     baseline_year=settings.baseline_year, page_year=page, lang=lang)
    return views.mixed_years_text([*cards, sdg], year or page.year, lang)


def card_details(card: views.Card, lang: str = i18n.ENGLISH) -> list[str]:
    """The small print of a card, in the page's order: coverage, year (only when the card's
    figure is for another year than the brief's: ``card.year_note``), trend, projection,
    series break, proxy."""
    _ = i18n.translator(lang)
    lines = [f"{_('Coverage:')} {_(card.coverage_text)}"]
    if card.year_note:
        lines.append(f"{_('Year:')} {_(card.year_note)}")
    for line in (card.trend_text, card.projection_text, card.break_text):
        if line:
            lines.append(_(line))
    if card.proxy and card.proxy.startswith(DENOMINATOR_NOTE):
        lines.append(_("Denominator: Walk Free's 2021 estimate (see the note above)."))
    elif card.proxy and not card.coverage_text.startswith("From a proxy"):
        lines.append(_(card.proxy))  # a country's coverage line already names its proxy
    if card.note and card.status == "no_data":
        lines.append(_(card.note))
    if card.definition and card.status == "no_data":
        lines.append(_(card.definition))
    return lines


def _sources(sources: pl.DataFrame) -> tuple[dict[str, str], ...]:
    """One entry per published source, its releases together ('data portal release of 30 May
    2023 (years 2003–2021); … of 14 April 2025 (…)'), in the order first listed."""
    found: dict[tuple[str, ...], dict[str, str]] = {}
    for row in sources.iter_rows(named=True):
        entry = {k: str(row.get(k) or "") for k in
                 ("id", "publisher", "title", "edition", "licence", "url", "citation")}
        key = (entry["publisher"], entry["title"], entry["licence"], entry["url"])
        if key in found and entry["edition"]:
            kept = found[key]
            kept["edition"] = "; ".join(e for e in (kept["edition"], entry["edition"]) if e)
            kept["id"] = entry["id"]  # the newest release's
        else:
            found.setdefault(key, entry)
    return tuple(found.values())


def _method(lang: str = i18n.ENGLISH) -> tuple[tuple[str, str], ...]:
    _ = i18n.translator(lang)
    statuses = "; ".join(f"{icon} {_(words)}" for words, icon in STATUSES.values())
    # The denominator and the proxies are said at the top and on each card; not again here.
    said = (views.unlabelled(DENOMINATOR_NOTE), views.unlabelled(REPORTING_PROXY_NOTE))
    caveats = views.caveats(lang)
    return (
        *(caveats[i] for i, c in enumerate(views.CAVEATS)
          if not any(text in c[1] for text in said)),
        (_("Status"), statuses + ". " + _(STATUS_RULE)),
        # the line every CSV, ZIP and API answer carries: the publishers, the dashboard, and
        # the paper whose indicators of success these are
        (_("How to cite"), (CITATION if lang == i18n.ENGLISH else _(
            "Data: {publishers}. Indicators computed by the Anti-Trafficking Indicators "
            "dashboard (version {version}) after {paper}.").format(
            publishers="; ".join(views.source_words(p, lang) for p in PUBLISHERS),
            version=DASHBOARD_VERSION, paper=PAPER_CITATION))
         + " " + _(METHOD_LINK)),
    )


def _comparison(frame: pl.DataFrame, indicator: str, scopes: list[str], names: dict[str, str],
                sources: pl.DataFrame, settings: IndicatorSettings, title: str,
                plot_height: int = LINES_PLOT_HEIGHT, lang: str | None = None) -> BriefChart:
    span = _span(frame)
    lines = views.lines_data(frame, indicator, scopes, span, names)
    if i18n.parse_language(lang):
        lines = lines.with_columns(pl.struct("scope", "name").map_elements(
            lambda r: i18n.place_name(r["scope"], r["name"], lang), return_dtype=pl.String)
            .alias("name"))
    fig = charts.indicator_lines(
        lines, indicator, sources=views.sources_used(lines["source"], sources),
        baseline_year=settings.baseline_year, deadline_year=settings.deadline_year,
        years=span, title=title, lang=lang,
    )
    return BriefChart(f"{indicator}-lines", fig, lines, alt_text.lines(lines, indicator, lang),
                      plot_height)


def population_section(
    frame: pl.DataFrame,
    observations: pl.DataFrame,
    scope: str,
    *,
    names: dict[str, str],
    groups: Sequence[str] = (),
    year: int | None = None,
    baseline_year: int | None = None,
    page_year: views.YearChoice | None = None,
    lang: str | None = None,
) -> BriefSection:
    """SDG 16.2.2 (set apart from the paper's five) and the victim profile, in words: the two
    A4 pages have no room for more charts, and a sentence states each published figure.

    The SDG value is the pages' card (``views.card``, in the pages' year ``page_year``), with
    its inputs for a country, and its ``groups`` (its subregion and region,
    ``views.compared_groups``) and the world the same year; the profile is ``victims``' rows:
    sex and age and form of exploitation (counts, and per 100,000 people in brackets), the largest
    citizenships with the own nationals apart, and where the country's nationals were detected
    abroad. Nothing is added up; a country without figures reads 'no data'.
    """
    code = i18n.parse_language(lang) or i18n.ENGLISH
    card = views.card(frame, SDG_INDICATOR, scope=scope, year=year, baseline_year=baseline_year,
                      page_year=page_year, **({"lang": code} if code != i18n.ENGLISH else {}))
    _ = i18n.translator(code)
    texts = [_sdg_text(card, frame, observations, scope, names, groups, code)]
    if scope == WORLD:
        texts.append(_(WORLD_PROFILE))
    else:
        texts.extend(_profile_texts(observations, scope, names, year or card.year, code)
                     or [_(POPULATION_NO_DATA)])
    return BriefSection(_(POPULATION_HEADING), tuple(texts))


# -- the same sentences in French or Spanish -----------------------------------------------------
# The victim groups' words as ``victims`` writes them (SEX_AGE_LABELS, FORM_LABELS, FORM_GROUPS
# and the places' own words), marked here for the catalogs; translated where the brief says them.
VICTIM_WORDS = (
    N_("Girls (female, 0–17)"), N_("Women (female, 18 or over)"), N_("Boys (male, 0–17)"),
    N_("Men (male, 18 or over)"), N_("Other sex, 0–17"), N_("Other sex, 18 or over"),
    N_("Sex and age unknown"), N_("Female, age not given"), N_("Male, age not given"),
    N_("Sexual exploitation"), N_("Forced labour"), N_("Other forms of exploitation"),
    N_("children"), N_("girls"), N_("boys"), N_("adults"), N_("women"), N_("men"),
    N_("Own nationals"), N_("Unknown citizenship"), N_("Stateless"),
)
OWN_NATIONALS_SUFFIX = " (own nationals)"


def _and(items: Sequence[str], lang: str) -> str:
    """'a, b and c' in ``lang`` (``alt_text.and_list`` with the language's 'and')."""
    if len(items) < 2:
        return "".join(items)
    return ", ".join(items[:-1]) + " " + i18n.translator(lang)("and") + " " + items[-1]


def _value(text: str, lang: str) -> str:
    return i18n.localise_value(text, lang)


def _sdg_text(card: views.Card, frame: pl.DataFrame, observations: pl.DataFrame,
              scope: str, names: dict[str, str], groups: Sequence[str], lang: str) -> str:
    """The SDG 16.2.2 sentence: the value, how it was made, the groups beside it, in ``lang``."""
    _ = i18n.translator(lang)
    meta = INDICATORS[SDG_INDICATOR]
    head = _("{number}. {title} (SDG 16.2.2; not one of the paper's five, no target)").format(
        number=meta.number, title=_(meta.title))
    if card.status == "no_data" or card.year is None:
        return (_("{head}: no data: UNODC publishes no value and no year has both the detected "
                  "victims and the population of the same year for this country.")
                if scope != WORLD else
                _("{head}: no data: UNODC publishes no value and no year has both the detected "
                  "victims and the population of the same year.")).format(head=head)
    text = _("{head}: {value} in {year}").format(head=head, value=_value(card.value_text, lang),
                                                 year=card.year)
    if scope == WORLD:
        text += _("; coverage: {coverage}").format(coverage=card.coverage_text)
    elif card.basis == "published":
        text += _(" (UNODC's published value)")
    else:
        detected = views.measure_series(observations, scope, ["victims_detected"]).filter(
            pl.col("year") == card.year)
        people = views.measure_series(observations, scope, ["population"]).filter(
            pl.col("year") == card.year)
        if detected.height and people.height:
            text += _(" (computed, UNODC publishing none: {detected} detected victims ÷ {people} "
                      "people × {base})").format(
                detected=_value(detected["value_text"][0], lang),
                people=i18n.number(round(people["value"][0]), lang),
                base=i18n.number(100_000, lang))
    others = []
    for other in () if scope == WORLD else (*groups, WORLD):
        shown = views.card(frame, SDG_INDICATOR, scope=other, year=card.year)
        if shown.status != "no_data":
            label = _("the world") if other == WORLD else names.get(other, other)
            others.append(f"{label} {_value(shown.value_text, lang)}")
    if others:
        text += _("; {others} that year (computed, from the countries with both figures)").format(
            others=_and(others, lang))
    text += "."
    if card.projection_text:
        text += " " + card.projection_text
    return text


def _place_words(name: str, lang: str) -> str:
    """A place of ``victims.places`` ('Allemagne (own nationals)', 'Own nationals') in
    ``lang``."""
    _ = i18n.translator(lang)
    if name.endswith(OWN_NATIONALS_SUFFIX):
        return _("{name} (own nationals)").format(name=name[:-len(OWN_NATIONALS_SUFFIX)])
    return _(name) if name in VICTIM_WORDS else name


def _profile_texts(observations: pl.DataFrame, iso3: str, names: dict[str, str],
                   year: int | None, lang: str = i18n.ENGLISH) -> list[str]:
    """Who the victims are (by sex and age, by form), their citizenships and where the country's
    nationals were detected abroad, in the brief's year: in ``lang``'s words and number marks."""
    _ = i18n.translator(lang)
    ngettext = i18n.plural_translator(lang)

    def pick(years: list[int]) -> int | None:
        return year if year in years else victims.latest(years)

    texts = []
    splits = victims.victim_splits(observations, iso3)
    clauses = []
    grouped_year = pick(victims.form_group_years(observations, iso3))
    for split, words in ((victims.SEX_AGE, _("by sex and age in {year}: {items}")),
                         (victims.FORM, _("by form of exploitation in {year}: {items}"))):
        rows = victims.split_rows(splits, split)
        chosen = pick(rows["year"].unique().to_list())
        rows = rows.filter(pl.col("year") == chosen) if chosen is not None else rows.clear()
        if split == victims.FORM and grouped_year is not None and chosen in (grouped_year,
                                                                             None):
            per = {r["label"]: r["per_100k_text"] for r in rows.iter_rows(named=True)
                   if r["per_100k_lower"] is not None}
            grouped = victims.forms_by_group(observations, iso3, grouped_year)
            clauses.append(_("by form, age and sex in {year} (all ages first): {items}").format(
                year=grouped_year, items=victims.forms_by_group_words(
                    grouped, {k: _value(v, lang) for k, v in per.items()}, compact=True,
                    lang=lang)))
            continue
        if rows.height:
            items = ", ".join(
                f"{lower_first(_(r['label']).split(' (')[0])} {_value(r['value_text'], lang)}"
                + (f" ({_value(r['per_100k_text'], lang)})" if r["per_100k_lower"] is not None
                   else "")
                for r in rows.iter_rows(named=True))
            clauses.append(words.format(year=chosen, items=items))
    if clauses:
        texts.append(_("Who the victims are (UNODC; each group is its own published figure, "
                       "never added into the total; per 100,000 people in brackets): {clauses}.")
                     .format(clauses=i18n.semicolon(lang).join(clauses)))
    for kind, title in (
        (victims.CITIZENSHIP, _("Citizenship of the victims detected in {year}")),
        (victims.ABROAD, _("Citizens of {name} detected as victims abroad in {year}").format(
            name=names.get(iso3, iso3), year="{year}")),
    ):
        years = victims.place_years(observations, iso3, kind)
        chosen = victims.latest(years) if year is None else \
            year if year in years else victims.nearest(years, year)
        if chosen is None:
            continue
        shown = victims.places(observations, iso3, kind, chosen, names, PROFILE_TOP)
        items = i18n.semicolon(lang).join(
            f"{_place_words(r['name'], lang)} {_value(r['value_text'], lang)}"
                          for r in shown.drawn.iter_rows(named=True))
        rest = shown.rows.height - shown.drawn.height
        more = (ngettext("{count} more category", "{count} more categories", rest)
                if kind == victims.CITIZENSHIP else
                ngettext("{count} more country", "{count} more countries", rest))
        rest_text = i18n.semicolon(lang) + more.format(count=rest) if rest else ""
        if year is not None and chosen != year:
            texts.append(_("{title}: no figures; the nearest year with figures is {chosen}: "
                           "{items}{rest}.").format(title=title.format(year=year), chosen=chosen,
                                                    items=items, rest=rest_text))
        else:
            texts.append(_("{title}: {items}{rest}.").format(
                title=title.format(year=chosen), items=items, rest=rest_text))
    return texts


# -- the brief -----------------------------------------------------------------------------------
def country_brief(
    iso3: str,
    *,
    frame: pl.DataFrame,
    observations: pl.DataFrame,
    countries: pl.DataFrame,
    sources: pl.DataFrame,
    settings: IndicatorSettings,
    year: int | None = None,
    link: str | None = None,
    made_on: dt.date | None = None,
    lang: str | None = None,
) -> Brief:
    """One country: its five cards, against its UN M49 subregion, its region and the world
    for conviction and identification (as the Country profile page:
    ``views.compared_groups``), its published figures over time, SDG 16.2.2 and the victim
    profile where the data have them, then the sources and the method; in ``lang`` (English
    by default): the place names CLDR's, the words the catalogs'."""
    iso3 = country_code(countries, iso3)
    _check_inputs(frame, settings, year)
    code = i18n.parse_language(lang) or i18n.ENGLISH
    _ = i18n.translator(code)
    names = views.scope_names(countries)
    names = {k: i18n.place_name(k, v, code) for k, v in names.items()}
    name = names.get(iso3, iso3)
    region, subregion = (i18n.place_name(p, p, code) if p else p
                         for p in views.place_of(countries, iso3))
    groups = views.compared_groups(countries, iso3, names)
    against = views.against_words(groups)
    if code != i18n.ENGLISH:
        against = alt_text.and_list([names.get(g, g) for g in groups] + [_("the world")]) \
            .replace(" and ", " " + _("and") + " ")
    page = views.default_year(frame, (iso3,))
    cards, details = _cards(frame, iso3, year, settings, code)
    comparisons = tuple(
        _comparison(frame, key, [iso3, *groups, WORLD], names, sources, settings,
                    _("{name}: {indicator}, against {against}").format(
                        name=name, indicator=_(INDICATORS[key].title), against=against),
                    COUNTRY_LINES_PLOT_HEIGHT, code)
        for key in COMPARED
    )
    span = _span(frame)
    series = views.measure_series(observations, iso3, views.raw_count_measures())
    figures = charts.measure_lines(
        series, country_name=name, sources=views.sources_used(series["source"], sources),
        years=span, expected=views.raw_count_measures(), columns=5, lang=code,
    )
    estimates = views.measure_series(observations, iso3, ["estimated_victims", "gsi_population"])
    figure_text = []
    if estimates.height and code == i18n.ENGLISH:
        figure_text.append("Walk Free's estimates: " + "; ".join(
            f"{lower_first(r['label'])} in {r['year']}: {r['value_text']}"
            for r in estimates.to_dicts()
        ) + ".")
    elif estimates.height:
        figure_text.append(_("Walk Free's estimates: {items}.").format(
            items=i18n.semicolon(code).join(
            _("{measure} in {year}: {value}").format(
                measure=lower_first(_(MEASURES[r["measure"]].label)), year=r["year"],
                value=_value(r["value_text"], code).replace("(estimate)", _("(estimate)")))
            for r in estimates.to_dicts())))
    else:
        figure_text.append(_("Walk Free publishes no estimate of people in modern slavery for "
                             "this country, so its rates (indicators 1 and 4) are no data."))
    sections = (
        # SDG 16.2.2 right under the paper's five, set apart; then the charts
        population_section(frame, observations, iso3, names=names, groups=groups, year=year,
                           baseline_year=settings.baseline_year, page_year=page, lang=code),
        BriefSection(_("{name} against {against}").format(name=name, against=against),
                     charts=comparisons),
        BriefSection(_("Published figures over time"), tuple(figure_text), (
            BriefChart("published-figures", figures, series,
                       alt_text.published_figures(series, name, code), FIGURES_PLOT_HEIGHT),
        )),
    )
    return Brief(
        kind="country",
        scope=iso3,
        title=name,
        subtitle=_("Country brief: the five indicators of success of Saif & Khan (2026)"),
        facts=_facts(" · ".join(p for p in (iso3, subregion, region) if p), cards, year,
                     settings, sources, link, page,
                     _mixed_years(frame, iso3, cards, year, settings, page, code), code),
        note=_(DENOMINATOR_NOTE) + " "
        + _("A rate compares each year's count with that one estimate."),
        cards=cards,
        details=details,
        sections=sections,
        sources=_sources(sources),
        method=_method(code),
        made_on=made_on or dt.date.today(),
        lang=code,
    )


def world_brief(
    *,
    frame: pl.DataFrame,
    observations: pl.DataFrame,
    countries: pl.DataFrame,
    sources: pl.DataFrame,
    settings: IndicatorSettings,
    year: int | None = None,
    link: str | None = None,
    made_on: dt.date | None = None,
    lang: str | None = None,
) -> Brief:
    """The world: its five cards, the world against each region for conviction and
    identification, and which figures the countries published over time."""
    _check_inputs(frame, settings, year)
    code = i18n.parse_language(lang) or i18n.ENGLISH
    _ = i18n.translator(code)
    names = {k: i18n.place_name(k, v, code) for k, v in views.scope_names(countries).items()}
    regions = sorted(countries["region"].drop_nulls().unique().to_list())
    page = views.default_year(frame)
    cards, details = _cards(frame, WORLD, year, settings, code)
    comparisons = tuple(
        _comparison(frame, key, [WORLD, *regions], names, sources, settings,
                    _("{indicator}: the world and its regions").format(
                        indicator=_(INDICATORS[key].title)), lang=code)
        for key in COMPARED
    )
    coverage = views.coverage_summary(observations, _span(frame))
    heatmap = charts.coverage_summary_heatmap(coverage, sources=sources, lang=code,
                                              printed=True)
    sections = (
        BriefSection(_("The world against its regions"), charts=comparisons),
        BriefSection(_("Published figures over time"), charts=(
            BriefChart("published-figures", heatmap, coverage,
                       alt_text.coverage_summary(coverage, code), None),
        )),
        # last here: the world's cards leave no room for it above the charts on page 1
        population_section(frame, observations, WORLD, names=names, year=year,
                           baseline_year=settings.baseline_year, lang=code),
    )
    return Brief(
        kind="world",
        scope=WORLD,
        title=i18n.place_name(WORLD, views.WORLD_NAME, code),
        subtitle=_("World brief: the five indicators of success of Saif & Khan (2026)"),
        facts=_facts(_("All countries with figures; regions: {regions}").format(
                         regions=", ".join(i18n.place_name(r, r, code) for r in regions)),
                     cards, year, settings, sources, link, page,
                     _mixed_years(frame, WORLD, cards, year, settings, page, code), code),
        note=_(DENOMINATOR_NOTE) + " " + _(
            "World and regional values add up only the countries with both figures that year "
            "(a ratio of sums, never an average of rates); each card says how many."),
        cards=cards,
        details=details,
        sections=sections,
        sources=_sources(sources),
        method=_method(code),
        made_on=made_on or dt.date.today(),
        lang=code,
    )


def _facts(place: str, cards: Sequence[views.Card], year: int | None,
           settings: IndicatorSettings, sources: pl.DataFrame,
           link: str | None, page: views.YearChoice | None = None, mixed: str = "",
           lang: str = i18n.ENGLISH) -> tuple[tuple[str, str], ...]:
    _ = i18n.translator(lang)
    shown = year_shown(cards, year, page)
    if lang != i18n.ENGLISH and year is not None:
        shown = _("{year} (chosen)").format(year=year)
    elif lang != i18n.ENGLISH and page is not None and page.year is not None and shown == \
            page.reason:
        shown = views.year_reason(page, lang)  # the pages' reason, in the brief's language
    facts = [
        (_("Where"), place),
        (_("Year shown"), _(shown)),
        *(((_("Years"), _(mixed)),) if mixed else ()),
        (_("Baseline year"), _("{baseline}; deadline {deadline}").format(
            baseline=settings.baseline_year, deadline=settings.deadline_year) + "; "
         + (_("proxies used where a series is missing (each card says which)")
            if settings.use_proxies else _("no proxies: gaps stay no data"))),
        (_("Data as of"), views.data_as_of(sources, lang) or _("no sources in the database")),
    ]
    if link:
        facts.append((_("Online"), link))
    return tuple(facts)


# -- Typst -------------------------------------------------------------------------------------
TEMPLATE = r"""
#let d = json(bytes(sys.inputs.at("brief")))
#let muted = rgb("#555555")
#let ink = rgb("#222222")
#set document(title: d.document_title, author: "Anti-Trafficking Indicators")
#set page(
  paper: "a4",
  margin: (x: 12mm, top: 10mm, bottom: 13mm),
  footer: context {
    set text(size: 7pt, fill: muted)
    d.running_footer
    h(1fr)
    box[#d.labels.page #counter(page).display(d.labels.page_pattern, both: true)]
  },
)
#set text(font: ("Liberation Sans", "DejaVu Sans"), size: 8.5pt, fill: ink, lang: d.lang,
          hyphenate: false)
#set par(leading: 0.42em, spacing: 0.6em)
#show heading: set text(size: 10.5pt, weight: "bold")
#show heading: set block(above: 0.8em, below: 0.45em)

#let chart_width = float(sys.inputs.at("chart_width", default: "100")) * 1%
#let compact = sys.inputs.at("compact", default: "") == "1"
#let chart(c) = block(breakable: false, width: 100%, above: 0.4em, below: 0.6em)[
  #align(center, image(bytes(sys.inputs.at(c.key)), format: "svg", width: chart_width,
                       alt: c.alt))
  #v(-0.25em)
  #block(inset: (x: 1.2mm))[#text(size: 7.5pt)[#emph[#d.labels.in_words] #c.alt]]
]

#grid(columns: (1fr, auto), align: (left + bottom, right + bottom),
  stack(spacing: 6pt, text(size: 17pt, weight: "bold")[#d.title],
        text(size: 9pt, fill: muted)[#d.subtitle]),
  text(size: 7.5pt, fill: muted)[#d.made],
)
#v(-0.05em)
#line(length: 100%, stroke: 0.7pt + ink)
#v(-0.1em)
#grid(columns: (auto, 1fr), column-gutter: 8pt, row-gutter: 0.42em,
  ..d.facts.map(f => (text(weight: "bold")[#f.at(0)], [#f.at(1)])).flatten())
#block(fill: luma(244), inset: 4pt, radius: 2pt, width: 100%, above: 0.6em)[
  #text(size: 7.5pt)[#d.note]]

#heading(level: 1, d.labels.indicators)
#table(
  // French and Spanish status words are longer ('Pas en bonne voie'): a wider value column
  columns: if d.lang == "en" { (27%, 17%, 1fr) } else { (25%, 22%, 1fr) },
  stroke: (x, y) => (top: 0.4pt + luma(190)),
  inset: (x: 4pt, y: 3.5pt),
  ..d.cards.map(c => (
    [#text(weight: "bold")[#c.number. #c.title] \
     #text(size: 7.5pt)[#strong[#d.labels.target] #c.target]],
    [#text(size: 12pt, weight: "bold")[#c.value] \
     #text(size: 7.5pt, fill: muted)[#c.year] \
     #box(width: 6pt, height: 6pt, fill: rgb(c.colour), stroke: 0.3pt + muted)
     #text(weight: "bold")[#c.status]],
    text(size: if compact { 6.8pt } else { 7.3pt },
         c.details.map(l => [#l]).join(linebreak())),
  )).flatten()
)

#for s in d.sections [
  #heading(level: 1, s.heading)
  #for t in s.text [#par(t)]
  #for c in s.charts { chart(c) }
]

#block(breakable: true, above: 0.8em)[
  #line(length: 100%, stroke: 0.4pt + muted)
  #v(-0.3em)
  #text(size: 8pt, weight: "bold")[#d.labels.sources]
  #set text(size: if compact { 5.8pt } else { 6.3pt })
  #set par(spacing: 0.4em, leading: 0.32em)
  #columns(3, gutter: 4mm)[
    #for s in d.sources [#par[#strong(s.publisher): #s.title. #d.labels.release #s.edition.
      #d.labels.licence #s.licence.#if s.url != "" [ #s.url]]]
    #for m in d.method [#par[#strong(m.at(0)): #m.at(1)]]
  ]
]
"""


def typst_inputs(brief: Brief, svgs: dict[str, str]) -> dict[str, str]:
    """The template's inputs: the brief as JSON (every word of data) and each chart's SVG."""
    missing = [c.key for c in brief.charts if c.key not in svgs]
    if missing:
        raise ValueError(f"No SVG for the chart(s) {', '.join(missing)}.")
    _ = i18n.translator(brief.lang)
    document = {
        "lang": brief.lang,
        "labels": {
            "page": _("Page"),
            # TRANSLATORS: typst's page numbering pattern, '1 of 1' (the 1s are numbers)
            "page_pattern": _("1 of 1"),
            "in_words": _("In words:"),
            "indicators": _("The five indicators"),
            "target": _("Target:"),
            "sources": _("Sources, licences and method"),
            "release": _("Release:"),
            "licence": _("Licence:"),
        },
        "document_title": f"{brief.title}: {brief.subtitle}",
        "title": brief.title,
        "subtitle": brief.subtitle,
        "made": _("Made on {date}").format(date=made_date(brief)),
        "running_footer": _running_footer(brief),
        "facts": [list(f) for f in brief.facts],
        "note": brief.note,
        "cards": [_card_json(c, d, brief.lang)
                  for c, d in zip(brief.cards, brief.details, strict=True)],
        "sections": [
            {"heading": s.heading, "text": list(s.text),
             "charts": [{"key": c.key, "alt": c.alt} for c in s.charts]}
            for s in brief.sections
        ],
        "sources": [source | {k: views.source_words(source[k], brief.lang)
                              for k in ("edition", "licence", "citation")}
                    for source in brief.sources],
        "method": [list(m) for m in brief.method],
    }
    inputs = {"brief": json.dumps(document, ensure_ascii=False)}
    inputs.update({c.key: svgs[c.key] for c in brief.charts})
    return inputs


def _running_footer(brief: Brief) -> str:
    """'United Kingdom, country brief · made on 2026-12-01 with Anti-Trafficking Indicators
    (open source) · sources: UNODC, Walk Free' (the details are at the end)."""
    _ = i18n.translator(brief.lang)
    publishers = list(dict.fromkeys(s["publisher"] for s in brief.sources if s["publisher"]))
    parts = [f"{brief.title}, {lower_first(brief.subtitle.split(':')[0])}",
             _("made on {date} with {credit}").format(date=made_date(brief), credit=_(CREDIT))]
    if publishers:  # one line with "Page 1 of 2"
        parts.append(_("sources: {publishers}").format(publishers=", ".join(publishers)))
    return " · ".join(parts)


def made_date(brief: Brief) -> str:
    """The day the brief was made: ISO in English (as before), the locale's own long date in
    French and Spanish (babel.dates: '1 décembre 2026', '1 de diciembre de 2026')."""
    if brief.lang == i18n.ENGLISH:
        return brief.made_on.isoformat()
    from babel.dates import format_date

    return format_date(brief.made_on, format="long", locale=brief.lang)


def _card_json(card: views.Card, details: Sequence[str],
               lang: str = i18n.ENGLISH) -> dict[str, object]:
    _ = i18n.translator(lang)
    return {
        "number": card.number,
        "title": _(card.title),
        "paper": card.paper_wording,
        "target": _(card.target_text),
        "value": i18n.localise_value(card.value_text, lang),
        "year": _("in {year}").format(year=card.year) if card.year is not None
        else _("no year with figures"),
        "status": status_text(card.status, card.basis, _) if lang != i18n.ENGLISH
        else card.status_text,
        "colour": charts.STATUS_COLOURS.get(card.status, charts.STATUS_COLOURS["no_data"]),
        "details": list(details),
    }


# A brief is two pages. A country with much to say (a long victim profile, many sources) may
# not fit with its charts at full width: they are then printed a little smaller, down to this
# share of the width (their text stays at least about 6.3 pt), before a third page is allowed.
PAGES = 2
CHART_WIDTHS = (100, 95, 90, 85)
# A French or Spanish brief says the same in more words: when it still does not fit, its small
# print (the cards' details, the sources and the method) is set a little smaller, with its
# charts at these widths (never for an English brief, which fits before this).
COMPACT_WIDTHS = (85, 80, 75)


def page_count(pdf: bytes) -> int:
    """Pages of a PDF typst wrote (its page objects are not compressed)."""
    return len(re.findall(rb"/Type\s*/Page[^s]", pdf))


def compile_pdf(brief: Brief, svgs: dict[str, str]) -> bytes:
    """Typeset the brief (typst: fonts embedded, no network) on PAGES pages when the charts,
    printed at one of CHART_WIDTHS, let it; else at the smallest width."""
    import typst

    made = dt.datetime.combine(brief.made_on, dt.time(12), tzinfo=dt.UTC)
    inputs = typst_inputs(brief, svgs)
    pdf = b""
    tries = [(w, "") for w in CHART_WIDTHS]
    if brief.lang != i18n.ENGLISH:  # an English brief is set as it always was
        tries += [(w, "1") for w in COMPACT_WIDTHS]
    for width, compact in tries:
        try:
            pdf = typst.compile(TEMPLATE.encode("utf-8"), format="pdf",
                                sys_inputs={**inputs, "chart_width": str(width),
                                            "compact": compact},
                                timestamp=made)
        except typst.TypstError as exc:
            first = str(exc).strip().splitlines()[0] if str(exc).strip() else \
                type(exc).__name__
            raise BriefError(f"The PDF could not be typeset ({first}); please report "
                             "this.") from exc
        if page_count(pdf) <= PAGES:
            break
    return pdf


def chart_svgs(brief: Brief) -> dict[str, str]:
    """Each chart of the brief as SVG at print size, through the one export browser."""
    from indicators import figure_export

    return {
        c.key: figure_export.figure_bytes(c.figure, "svg", size=(PRINT_WIDTH, c.height))
        .decode("utf-8")
        for c in brief.charts
    }


def render(brief: Brief) -> bytes:
    """The brief as PDF bytes."""
    return compile_pdf(brief, chart_svgs(brief))


def file_name(brief_scope: str, made_on: dt.date | None = None) -> str:
    """'brief-gbr-2026-12-01.pdf', 'brief-world-2026-12-01.pdf'."""
    from indicators.figure_export import file_stem

    return file_stem("brief", brief_scope, (made_on or dt.date.today()).isoformat()) + ".pdf"
