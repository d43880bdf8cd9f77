"""Page state in the URL query string: parse what a link carries, write what is on screen.

Pure functions, no Streamlit: a page hands in ``st.query_params.to_dict()`` (or any mapping of
names to a string or a list of strings) and the choices that exist, and gets back a state and a
list of plain-words notices. A bad value never raises: it falls back to the default and the
notice says so. ``*_query`` turns a state back into the query mapping, so a link reproduces
exactly what was on screen (``parse(query(state)) == state``).

Query names (shared by every page): ``indicator``, ``countries`` (ISO3 codes, region or UN M49
subregion names or WORLD, comma-separated), ``years`` (``2010-2021``), ``year``, ``baseline``,
``proxies`` (``on``/``off``), plus ``country``, ``scale``, ``map``, ``mark`` (outline the chosen
countries on the map: ``on``/``off``), ``measure`` and ``per`` (``count`` or ``100k``: a
published count as it is or per 100,000 population) where a page uses them (``origin_year``,
which once set the Country page's citizenship charts apart, is left out with a notice: they
follow ``year``). On Compare, ``indicator`` may also name a published count
(``indicator=persons_convicted&per=100k``). ``lang`` (``fr``, ``es``; none for English) is the
dashboard's language, read and written by every page (``pages.shared.choose_language``,
``write_query``), never by the parsers here.
"""

from __future__ import annotations

import re
from collections.abc import Collection, Mapping, Sequence
from dataclasses import dataclass, replace

from indicators.measures import (
    COUNT_VIEW_MEASURES,
    INDICATORS,
    MEASURES,
    count_view_of,
    per_100k_key,
)
from indicators.settings import DEFAULT_BASELINE_YEAR

QueryValue = str | Sequence[str]
Query = Mapping[str, QueryValue]

DEFAULT_INDICATOR = "conviction_rate"
# One country from each region with long UNODC series, and the world for reference.
DEFAULT_SCOPES: tuple[str, ...] = ("WORLD", "GBR", "USA", "PHL", "AUS", "NGA")
# What Compare's indicator list offers: the indicators, then each published count that is not
# itself an indicator (victims prosecuted is indicator 5, a count with a target of zero: listed
# once, as the indicator).
COMPARE_CHOICES: tuple[str, ...] = tuple(dict.fromkeys(
    [*INDICATORS, *(m for m in COUNT_VIEW_MEASURES if m not in INDICATORS)]))
# auto: a log axis when the values span more than two orders of magnitude, else the target is
# shown unless it is far above every value; target: always show it; data: fit the values;
# log: a log axis.
SCALES = ("auto", "target", "data", "log")
MAP_MODES = ("value", "status")
# A published count as it is, or per 100,000 population.
PER_CHOICES = ("count", "100k")
# The Country profile's forms of exploitation by age group and sex (indicators.victims).
FORM_AGE_CHOICES = ("all", "0-17", "18+")
FORM_SEX_CHOICES = ("all", "female", "male")
RECOMMENDED = "recommended"
_ON = {"on", "1", "true", "yes"}
_OFF = {"off", "0", "false", "no"}
_SAFE = re.compile(r"[^A-Za-z0-9 _.,:+\-]")
# str.isdigit() also accepts '²' or '٣', which int() does not read as a year.
_ASCII_YEAR = re.compile(r"[0-9]{1,4}")


def shown(text: str, limit: int = 40) -> str:
    """A value from the URL made safe to echo in a notice: plain characters, short."""
    cleaned = _SAFE.sub("", text)
    return cleaned if len(cleaned) <= limit else cleaned[: limit - 1] + "…"


def _one(query: Query, name: str) -> str | None:
    """The last value of a query name, stripped; None when absent or empty."""
    raw = query.get(name)
    if raw is None:
        return None
    if not isinstance(raw, str):
        raw = raw[-1] if len(raw) else ""
    raw = raw.strip()
    return raw or None


# -- single values -----------------------------------------------------------------------------
def parse_indicator(query: Query, notices: list[str], default: str = DEFAULT_INDICATOR,
                    counts: Collection[str] = ()) -> str:
    """An indicator's key or number; also one of ``counts`` (published counts) if given."""
    raw = _one(query, "indicator")
    if raw is None:
        return default
    key = raw.lower()
    if key in INDICATORS or key in counts:
        return key
    by_number = {str(i.number): k for k, i in INDICATORS.items()}
    if key in by_number:
        return by_number[key]
    notices.append(
        f"The link asked for an indicator called '{shown(raw)}', which does not exist; showing "
        f"{INDICATORS[default].title} instead."
    )
    return default


def parse_year(
    query: Query,
    notices: list[str],
    name: str,
    years: tuple[int, int],
    default: int | None,
    what: str,
) -> int | None:
    """A single year inside ``years`` (inclusive); ``recommended`` or absent gives ``default``."""
    raw = _one(query, name)
    if raw is None or raw.lower() == RECOMMENDED:
        return default
    low, high = years
    if _ASCII_YEAR.fullmatch(raw) and low <= int(raw) <= high:
        return int(raw)
    fallback = "the recommended year" if default is None else str(default)
    notices.append(
        f"The link asked for {what} '{shown(raw)}', but the data run from {low} to {high}; "
        f"showing {fallback} instead."
    )
    return default


def parse_year_range(
    query: Query, notices: list[str], years: tuple[int, int]
) -> tuple[int, int]:
    raw = _one(query, "years")
    if raw is None:
        return years
    match = re.fullmatch(r"(\d{4})\s*(?:-|–|to|:|,)\s*(\d{4})", raw)
    if match:
        start, end = sorted((int(match.group(1)), int(match.group(2))))
        start, end = max(start, years[0]), min(end, years[1])
        if start <= end:
            return (start, end)
    elif _ASCII_YEAR.fullmatch(raw) and years[0] <= int(raw) <= years[1]:
        return (int(raw), int(raw))
    notices.append(
        f"The link asked for the years '{shown(raw)}', which are not a range inside "
        f"{years[0]}–{years[1]}; showing {years[0]}–{years[1]} instead."
    )
    return years


def parse_flag(query: Query, notices: list[str], name: str, default: bool, what: str) -> bool:
    raw = _one(query, name)
    if raw is None:
        return default
    if raw.lower() in _ON:
        return True
    if raw.lower() in _OFF:
        return False
    notices.append(
        f"The link set {what} to '{shown(raw)}'; use 'on' or 'off'. Showing "
        f"{'on' if default else 'off'} instead."
    )
    return default


def parse_choice(
    query: Query, notices: list[str], name: str, choices: Sequence[str], default: str, what: str
) -> str:
    raw = _one(query, name)
    if raw is None:
        return default
    if raw.lower() in choices:
        return raw.lower()
    notices.append(
        f"The link set {what} to '{shown(raw)}'; it can be {', '.join(choices)}. Showing "
        f"'{default}' instead."
    )
    return default


def match_scopes(parts: Sequence[str], scopes: Collection[str]) -> tuple[list[str], list[str]]:
    """``parts`` (ISO3 codes, region and subregion names, WORLD; any case) matched to
    ``scopes``: the scopes
    named, in the order given without repeats, and the parts that name none."""
    lookup = {s.lower(): s for s in scopes}
    chosen: list[str] = []
    unknown: list[str] = []
    for part in parts:
        if not part:
            continue
        scope = lookup.get(part.lower())
        if scope is None:
            unknown.append(part)
        elif scope not in chosen:
            chosen.append(scope)
    return chosen, unknown


def parse_scopes(
    query: Query,
    notices: list[str],
    scopes: Collection[str],
    default: Sequence[str],
    name: str = "countries",
) -> tuple[str, ...]:
    """Countries (ISO3), regions and subregions (by name) and WORLD, in the order given,
    without repeats:
    every one named is kept (a chart of many draws the first few in colour, the rest grey)."""
    raw = query.get(name)
    if raw is None:
        return tuple(s for s in default if s in scopes)
    parts: list[str] = []
    for value in [raw] if isinstance(raw, str) else list(raw):
        parts.extend(p.strip() for p in value.split(",") if p.strip())
    if not parts:
        return ()  # an empty list is a choice too: nothing selected
    chosen, unknown = match_scopes(parts, scopes)
    if unknown:
        listed = ", ".join(f"'{shown(u, 20)}'" for u in unknown[:5])
        more = f" and {len(unknown) - 5} more" if len(unknown) > 5 else ""
        notices.append(
            f"The link named countries or regions the data do not have ({listed}{more}); "
            "they are left out."
        )
    if not chosen:
        notices.append("Nothing from the link's list could be shown; showing the default list.")
        return tuple(s for s in default if s in scopes)
    return tuple(chosen)


def parse_country(
    query: Query, notices: list[str], countries: Collection[str], default: str
) -> str:
    raw = _one(query, "country")
    if raw is None:
        return default
    found = {c.lower(): c for c in countries}.get(raw.lower())
    if found:
        return found
    notices.append(
        f"The link asked for a country with the code '{shown(raw, 12)}', which the data do not "
        f"have; showing {default} instead."
    )
    return default


# -- pages -------------------------------------------------------------------------------------
@dataclass(frozen=True)
class CompareState:
    """What the Compare page shows. ``year`` None means the recommended (well-covered) year."""

    indicator: str = DEFAULT_INDICATOR
    scopes: tuple[str, ...] = DEFAULT_SCOPES
    years: tuple[int, int] = (2003, 2021)
    year: int | None = None
    baseline: int = DEFAULT_BASELINE_YEAR
    proxies: bool = True
    scale: str = "auto"
    map_mode: str = "value"
    # outline the chosen countries on the map; off by default, so the map does not depend on
    # the country selection (a change of countries then leaves it as it is)
    mark: bool = False
    # With a published count as ``indicator``: as it is or per 100,000 population.
    per: str = "count"

    @property
    def view(self) -> str:
        """The key of what is drawn: the indicator, the count, or the count's per-100,000
        view (for detected victims, SDG 16.2.2 itself)."""
        return view_key(self.indicator, self.per)


def view_key(indicator: str, per: str) -> str:
    """The frame key of an indicator or a count view (see ``CompareState.view``)."""
    if indicator in INDICATORS or per != "100k":
        return indicator
    return per_100k_key(indicator)


def parse_compare(
    query: Query, *, scopes: Collection[str], years: tuple[int, int]
) -> tuple[CompareState, list[str]]:
    """The Compare page's state from a query; unknown names are ignored."""
    notices: list[str] = []
    baseline_default = DEFAULT_BASELINE_YEAR if years[0] <= DEFAULT_BASELINE_YEAR <= years[1] \
        else years[0]
    per = parse_choice(query, notices, "per", PER_CHOICES, "count", "the count")
    raw = (_one(query, "indicator") or "").lower()
    view = count_view_of(raw) if raw not in INDICATORS else None
    if view is not None and view[1]:
        # a count view's own key in a link ('persons_convicted_per_100k')
        indicator, per = view[0], "100k"
    else:
        indicator = parse_indicator(query, notices, counts=COUNT_VIEW_MEASURES)
    state = CompareState(
        indicator=indicator,
        per=per,
        scopes=parse_scopes(query, notices, scopes, DEFAULT_SCOPES),
        years=parse_year_range(query, notices, years),
        year=parse_year(query, notices, "year", years, None, "the year"),
        baseline=parse_year(query, notices, "baseline", years, baseline_default,
                            "the baseline year") or baseline_default,
        proxies=parse_flag(query, notices, "proxies", True, "proxies"),
        scale=parse_choice(query, notices, "scale", SCALES, "auto", "the chart scale"),
        map_mode=parse_choice(query, notices, "map", MAP_MODES, "value", "the map"),
        mark=parse_flag(query, notices, "mark", False, "marking the chosen countries"),
    )
    return state, notices


def compare_query(state: CompareState) -> dict[str, str]:
    query = {
        "indicator": state.indicator,
        "countries": ",".join(state.scopes),
        "years": f"{state.years[0]}-{state.years[1]}",
        "year": RECOMMENDED if state.year is None else str(state.year),
        "baseline": str(state.baseline),
        "proxies": "on" if state.proxies else "off",
        "scale": state.scale,
        "map": state.map_mode,
        "per": state.per,
    }
    if state.mark:
        query["mark"] = "on"
    return query


@dataclass(frozen=True)
class CountryState:
    country: str = "GBR"
    indicator: str = DEFAULT_INDICATOR
    year: int | None = None
    baseline: int = DEFAULT_BASELINE_YEAR
    proxies: bool = True
    # Who the victims are: counts or per 100,000 people. The citizenship charts follow
    # ``year`` (no year of their own).
    per: str = "count"
    # The forms of exploitation for all ages, children (0-17) or adults (18+), and within an
    # age group for both sexes, female or male (victims.FORM_AGES, victims.FORM_SEXES).
    form_age: str = "all"
    form_sex: str = "all"


def parse_country_page(
    query: Query, *, countries: Collection[str], years: tuple[int, int], default_country: str
) -> tuple[CountryState, list[str]]:
    notices: list[str] = []
    baseline_default = DEFAULT_BASELINE_YEAR if years[0] <= DEFAULT_BASELINE_YEAR <= years[1] \
        else years[0]
    state = CountryState(
        country=parse_country(query, notices, countries, default_country),
        indicator=parse_indicator(query, notices),
        year=parse_year(query, notices, "year", years, None, "the year"),
        baseline=parse_year(query, notices, "baseline", years, baseline_default,
                            "the baseline year") or baseline_default,
        proxies=parse_flag(query, notices, "proxies", True, "proxies"),
        per=parse_choice(query, notices, "per", PER_CHOICES, "count",
                         "the victims' figures"),
        form_age=parse_choice(_age_spelled(query), notices, "age", FORM_AGE_CHOICES, "all",
                              "the forms of exploitation's age group"),
        form_sex=parse_choice(query, notices, "sex", FORM_SEX_CHOICES, "all",
                              "the forms of exploitation's sex"),
    )
    if state.form_sex != "all" and state.form_age == "all":
        notices.append("The link asked for the forms of exploitation by sex for all ages; UNODC "
                       "publishes them by sex only for children or adults, so both sexes are "
                       "shown.")
        state = replace(state, form_sex="all")
    old = _one(query, "origin_year")
    if old is not None and old != (str(state.year) if state.year else RECOMMENDED):
        notices.append(
            f"The link set a year of its own for the citizenships ('{shown(old, 12)}'); the "
            "citizenship charts follow the page's year, so it is left out."
        )
    return state, notices



def _age_spelled(query: Query) -> Query:
    """'18+' arrives as '18 ' when a link did not encode the '+'; 'children' and 'adults'
    are understood too."""
    raw = _one(query, "age")
    if raw is None:
        return query
    text = raw.strip().lower()
    return {**query, "age": {"18": "18+", "adults": "18+", "children": "0-17"}.get(text, text)}


def country_query(state: CountryState) -> dict[str, str]:
    return {
        "country": state.country,
        "indicator": state.indicator,
        "year": RECOMMENDED if state.year is None else str(state.year),
        "baseline": str(state.baseline),
        "proxies": "on" if state.proxies else "off",
        "per": state.per,
    } | ({"age": state.form_age} if state.form_age != "all" else {}) | (
        {"sex": state.form_sex} if state.form_sex != "all" else {})


@dataclass(frozen=True)
class OverviewState:
    year: int | None = None  # None: each card's recommended year


def parse_overview(query: Query, *, years: tuple[int, int]) -> tuple[OverviewState, list[str]]:
    notices: list[str] = []
    return OverviewState(year=parse_year(query, notices, "year", years, None, "the year")), \
        notices


def overview_query(state: OverviewState) -> dict[str, str]:
    return {"year": RECOMMENDED if state.year is None else str(state.year)}


@dataclass(frozen=True)
class MethodologyState:
    measure: str = "victims_detected"


def parse_methodology(query: Query, *, measures: Collection[str]) -> tuple[MethodologyState,
                                                                            list[str]]:
    notices: list[str] = []
    default = MethodologyState().measure
    raw = _one(query, "measure")
    measure = default
    if raw is not None:
        if raw.lower() in measures:
            measure = raw.lower()
        else:
            label = MEASURES[default].label if default in MEASURES else default
            notices.append(
                f"The link asked for a measure called '{shown(raw)}', which the data do not "
                f"have; showing {label} instead."
            )
    return MethodologyState(measure=measure), notices


def methodology_query(state: MethodologyState) -> dict[str, str]:
    return {"measure": state.measure}

