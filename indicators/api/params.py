"""Query parameters of the read API, checked strictly: a value the data do not have is an
error (HTTP 400) said in one plain sentence, never a silent fallback as on the pages.

The names and values are the page URLs' (indicators.page_state): ``indicator`` (key or
number), ``countries`` (ISO3 codes, region or UN M49 subregion names or WORLD,
comma-separated), ``years``
(``2010-2021``), ``year`` (a year or ``recommended``), ``baseline``, ``proxies`` (on/off).
"""

from __future__ import annotations

import re
from collections.abc import Collection, Mapping

from indicators.measures import INDICATORS
from indicators.page_state import RECOMMENDED, match_scopes, parse_flag, shown

DEFAULT_LIMIT = 1000
MAX_LIMIT = 10000
_YEAR = re.compile(r"[0-9]{4}")
_RANGE = re.compile(r"([0-9]{4})\s*(?:-|–|to|:|,)\s*([0-9]{4})")


class ApiError(Exception):
    """A request the API cannot answer: an HTTP status and one plain sentence."""

    def __init__(self, status: int, sentence: str) -> None:
        super().__init__(sentence)
        self.status = status
        self.sentence = sentence


def bad(sentence: str) -> ApiError:
    return ApiError(400, sentence)


def check_names(query: Mapping[str, str], allowed: Collection[str]) -> None:
    """Refuse a parameter this endpoint does not take (a typo would otherwise be ignored)."""
    for name in query:
        if name not in allowed:
            raise bad(f"This address does not take a parameter called '{shown(name, 20)}'; it "
                      f"takes {', '.join(sorted(allowed))}.")


def one(query: Mapping[str, str], name: str) -> str | None:
    raw = query.get(name)
    if raw is None:
        return None
    return raw.strip() or None


def indicator(query: Mapping[str, str]) -> str | None:
    """An indicator's key or number (None: every indicator)."""
    raw = one(query, "indicator")
    if raw is None:
        return None
    key = raw.lower()
    if key in INDICATORS:
        return key
    by_number = {str(i.number): k for k, i in INDICATORS.items()}
    if key in by_number:
        return by_number[key]
    raise bad(f"There is no indicator called '{shown(raw)}'; the indicators are "
              f"{', '.join(INDICATORS)} (see /api/v1/indicators/meta.json).")


def year(query: Mapping[str, str], name: str, span: tuple[int, int]) -> int | None:
    """A year inside ``span``; None when absent or 'recommended'."""
    raw = one(query, name)
    if raw is None or raw.lower() == RECOMMENDED:
        return None
    if _YEAR.fullmatch(raw) and span[0] <= int(raw) <= span[1]:
        return int(raw)
    raise bad(f"The {name} '{shown(raw)}' is not a year from {span[0]} to {span[1]}, the years "
              "the data cover.")


def year_range(query: Mapping[str, str], span: tuple[int, int]) -> tuple[int, int] | None:
    raw = one(query, "years")
    if raw is None:
        return None
    match = _RANGE.fullmatch(raw)
    if match:
        start, end = sorted((int(match.group(1)), int(match.group(2))))
    elif _YEAR.fullmatch(raw):
        start = end = int(raw)
    else:
        raise bad(f"The years '{shown(raw)}' are not a range such as {span[0]}-{span[1]}.")
    start, end = max(start, span[0]), min(end, span[1])
    if start > end:
        raise bad(f"The years '{shown(raw)}' are outside {span[0]}-{span[1]}, the years the "
                  "data cover.")
    return start, end


def flag(query: Mapping[str, str], name: str, default: bool) -> bool:
    """on/off (also 1/0, true/false, yes/no), read as the pages read it."""
    notices: list[str] = []
    value = parse_flag(query, notices, name, default, name)
    if notices:
        raise bad(f"The parameter {name} is '{shown(one(query, name) or '')}'; use on or off.")
    return value


def listed(query: Mapping[str, str], name: str) -> list[str]:
    raw = one(query, name)
    return [] if raw is None else [p.strip() for p in raw.split(",") if p.strip()]


def scopes(query: Mapping[str, str], known: Collection[str], name: str = "countries"
           ) -> list[str]:
    """Countries (ISO3), regions and subregions (by name) and WORLD, in the order given; []
    when absent."""
    chosen, unknown = match_scopes(listed(query, name), known)
    if unknown:
        names = ", ".join(f"'{shown(u, 20)}'" for u in unknown[:5])
        raise bad(f"The data have no country or region called {names} (see "
                  "/api/v1/countries.json and /api/v1/regions.json).")
    return chosen


def choice(query: Mapping[str, str], name: str, known: Collection[str], what: str
           ) -> list[str]:
    """Values of a comma-separated filter that must each be one of ``known``."""
    values = listed(query, name)
    lookup = {k.lower(): k for k in known}
    unknown = [v for v in values if v.lower() not in lookup]
    if unknown:
        raise bad(f"The data have no {what} called '{shown(unknown[0])}'.")
    return [lookup[v.lower()] for v in values]


def paging(query: Mapping[str, str]) -> tuple[int, int]:
    """(offset, limit): at most MAX_LIMIT rows an answer; the next page's address is given."""
    def number(name: str, default: int) -> int:
        raw = one(query, name)
        if raw is None:
            return default
        if not raw.isascii() or not raw.isdigit():
            raise bad(f"The parameter {name} must be a whole number, not '{shown(raw)}'.")
        return int(raw)

    limit = number("limit", DEFAULT_LIMIT)
    if not 1 <= limit <= MAX_LIMIT:
        raise bad(f"The limit must be from 1 to {MAX_LIMIT} rows; ask for the next page with "
                  "offset.")
    return number("offset", 0), limit
