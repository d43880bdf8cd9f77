"""Country names, ISO2/ISO3 codes, aliases and UN M49 regions.

Name matching uses country_converter's curated regular expressions, plus the aliases the store
keeps (the spellings publishers actually used), and refuses names that could mean more than one
country instead of guessing.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass
from functools import lru_cache

import polars as pl

# Names that look like one country but are not: a wrong guess would put figures on the wrong map.
AMBIGUOUS_NAMES: dict[str, tuple[str, ...]] = {
    "congo": ("COG", "COD"),
    "the congo": ("COG", "COD"),
    "korea": ("KOR", "PRK"),
    "georgia": ("GEO", "Georgia, the US state (not a country)"),
    "virgin islands": ("VGB", "VIR"),
    "macedonia": ("MKD", "Macedonia, the Greek region (not a country)"),
}

# Spellings seen in published sources that country_converter does not match on its own.
EXTRA_ALIASES: dict[str, str] = {
    "kosovo under unscr 1244": "XKX",
    "kosovo under unsc resolution 1244": "XKX",
    "türkiye": "TUR",
    "turkiye": "TUR",
    "lao pdr": "LAO",
    "cape verde": "CPV",
    "republic of the congo": "COG",
    "democratic republic of the congo": "COD",
    "state of palestine": "PSE",
    "hong kong": "HKG",
    "taiwan": "TWN",
    "north korea": "PRK",
    "south korea": "KOR",
}

# Regions in UN M49 wording; country_converter says "America".
_CONTINENT_TO_M49 = {"America": "Americas"}


@dataclass(frozen=True)
class CountryMatch:
    """The result of matching one name: an ISO3 code, or the candidates when it is not sure."""

    text: str
    iso3: str | None
    candidates: tuple[str, ...] = ()

    @property
    def ambiguous(self) -> bool:
        return self.iso3 is None and len(self.candidates) > 1


@lru_cache(maxsize=1)
def _converter():  # noqa: ANN202 - country_converter has no type stubs
    import country_converter as coco
    import pandas as pd
    from country_converter import country_converter as coco_module

    # Read the table ourselves: with pandas 3 the default NA handling turns Namibia's "NA" into NaN.
    table = pd.read_csv(
        coco_module.COUNTRY_DATA_FILE,
        sep="\t",
        encoding="utf-8",
        keep_default_na=False,
        na_values=[""],
        dtype=str,
    )
    return coco.CountryConverter(country_data=table)


@lru_cache(maxsize=1)
def country_table() -> pl.DataFrame:
    """Every country and territory with its ISO3 code, name and UN M49 region and subregion."""
    data = _converter().data
    frame = pl.DataFrame(
        {
            "iso3": data["ISO3"].astype(str).tolist(),
            "iso2": data["ISO2"].astype(str).tolist(),
            "name": data["name_short"].astype(str).tolist(),
            "official_name": data["name_official"].astype(str).tolist(),
            "region": [_CONTINENT_TO_M49.get(c, c) for c in data["continent"].astype(str)],
            "subregion": data["UNregion"].astype(str).tolist(),
        }
    )
    return frame.filter(pl.col("region") != "Antarctica").sort("iso3")


def normalise_name(text: str) -> str:
    """Lower case, accents kept, spaces and punctuation squeezed: the key aliases are stored by."""
    text = unicodedata.normalize("NFC", text).strip().lower()
    text = re.sub(r"[\s_]+", " ", text)
    return text.strip(" .,;")


def _regex_matches(text: str) -> list[str]:
    converter = _converter()
    found = []
    for iso3, regex in zip(converter.data["ISO3"], converter.regexes, strict=True):
        if regex.search(text):
            found.append(str(iso3))
    return found


def match_country(
    text: str | None,
    aliases: dict[str, str] | None = None,
    *,
    overrides: dict[str, str] | None = None,
) -> CountryMatch:
    """Match a country name, ISO2 or ISO3 code to one ISO3 code.

    `aliases` maps normalised names to ISO3 (the store's alias list). Ambiguous names
    ("Congo", "Korea", "Georgia") return no code and the likely candidates, unless a
    source-specific `overrides` entry settles them (Walk Free's "Georgia" is the country).
    """
    raw = "" if text is None else str(text)
    key = normalise_name(raw)
    if not key:
        return CountryMatch(raw, None)
    if overrides and key in overrides:
        return CountryMatch(raw, overrides[key])
    if key in AMBIGUOUS_NAMES:
        return CountryMatch(raw, None, AMBIGUOUS_NAMES[key])
    if aliases and key in aliases:
        return CountryMatch(raw, aliases[key])
    if key in EXTRA_ALIASES:
        return CountryMatch(raw, EXTRA_ALIASES[key])
    table = country_table()
    upper = key.upper()
    if re.fullmatch(r"[A-Z]{3}", upper) and upper in set(table["iso3"].to_list()):
        return CountryMatch(raw, upper)
    if re.fullmatch(r"[A-Z]{2}", upper):
        by_iso2 = table.filter(pl.col("iso2").str.contains(f"(^|\\^){upper}(\\$|$)"))
        if by_iso2.height == 1:
            return CountryMatch(raw, by_iso2["iso3"][0])
        return CountryMatch(raw, None, tuple(by_iso2["iso3"].to_list()))
    found = _regex_matches(key)
    if len(found) == 1:
        return CountryMatch(raw, found[0])
    if len(found) > 1:
        return CountryMatch(raw, None, tuple(found))
    return CountryMatch(raw, None, tuple(_close_names(key)))


def _close_names(key: str, limit: int = 3) -> list[str]:
    import difflib

    names = country_table().select("iso3", "name")
    lookup = {normalise_name(n): iso3 for iso3, n in names.iter_rows()}
    close = difflib.get_close_matches(key, list(lookup), n=limit, cutoff=0.75)
    return [lookup[name] for name in close]


def country_name(iso3: str) -> str:
    """The short English name for an ISO3 code (the code itself when unknown)."""
    names = dict(country_table().select("iso3", "name").iter_rows())
    return names.get(iso3, iso3)


def describe_candidates(candidates: tuple[str, ...]) -> str:
    """'COG (Congo Republic) or COD (DR Congo)': candidates as a person reads them."""
    names = dict(country_table().select("iso3", "name").iter_rows())
    parts = [f"{c} ({names[c]})" if c in names else c for c in candidates]
    if len(parts) <= 1:
        return "".join(parts)
    return ", ".join(parts[:-1]) + " or " + parts[-1]
