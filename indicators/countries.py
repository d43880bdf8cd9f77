"""Country names, ISO2/ISO3 codes, aliases and UN M49 regions.

Name matching uses country_converter's curated regular expressions, plus the aliases the store
keeps (the spellings publishers actually used), and refuses names that could mean more than one
country instead of guessing.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterable
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
    # Old and common names people still write (checked by hand; never a guess between two).
    "holland": "NLD",
    "swaziland": "SWZ",
    "burma": "MMR",
    "ivory coast": "CIV",
    "zaire": "COD",
    "czech republic": "CZE",
    "turkey": "TUR",
}

# Spellings found in published files (UNODC's citizenship and repatriation categories: names and
# demonyms in English, Spanish, French, Italian, with typos), keyed by `fold_name`. Each was
# checked by hand against the file; none is a guess between two countries. Used by the source
# importers only (`match_published_name`), not for uploads.
PUBLISHED_SPELLINGS: dict[str, str] = {
    "abania": "ALB", "b & h": "BIH", "alemana": "DEU", "alemania": "DEU", "armenie": "ARM",
    "barsil": "BRA", "belga": "BEL", "belicena": "BLZ", "bhuatnese": "BTN",
    "bielorrusia": "BLR", "brasil": "BRA", "brasilera": "BRA", "brasilero": "BRA",
    "bresil": "BRA", "bresilien": "BRA", "burmese": "MMR", "camerun": "CMR",
    "china, taiwan province of china": "TWN", "chinois": "CHN", "chino": "CHN",
    "columbia": "COL", "corea del sur": "KOR", "costa d'avorio": "CIV", "croazia": "HRV",
    "emiratos arabes unidos": "ARE", "erithera": "ERI", "espana": "ESP", "spania": "ESP",
    "estados unidos de america": "USA", "ethiopie": "ETH", "ethopia": "ETH", "etiopia": "ETH",
    "filipinas": "PHL", "filippine": "PHL", "francais": "FRA", "francia": "FRA", "gana": "GHA",
    "gran bretana": "GBR", "guatemaltecos": "GTM", "guinea ecuatorial": "GNQ", "guinee": "GIN",
    "hodruanian": "HND", "holanda": "NLD", "honduranian": "HND", "hondurena": "HND",
    "hondureno": "HND", "hongrie": "HUN", "hungria": "HUN", "indien": "IND",
    "indonesie": "IDN", "italien": "ITA", "kazahstan": "KAZ", "kazalhstan": "KAZ",
    "keniano": "KEN", "kirguizstan": "KGZ", "libanon": "LBN", "lybia": "LBY",
    "marruecos": "MAR", "monte negro": "MNE", "moroco": "MAR", "morrocan": "MAR",
    "nederland": "NLD", "noruega": "NOR", "pays-bas": "NLD", "phillipines": "PHL",
    "pologne": "POL", "polonia": "POL", "portugais": "PRT", "republica checa": "CZE",
    "republica dominicana": "DOM", "republique de moldavie": "MDA",
    "republique tcheque": "CZE", "roumain": "ROU", "roumanie": "ROU", "rusia": "RUS",
    "russie": "RUS", "salvadorena": "SLV", "singapur": "SGP", "siria": "SYR",
    "south korean": "KOR", "spanish": "ESP", "sudafrica": "ZAF", "suiza": "CHE",
    "sweeden": "SWE", "tailandia": "THA", "tunisa": "TUN", "tunisie": "TUN",
    "turquia": "TUR", "ucrania": "UKR", "venezolana": "VEN", "venezolano": "VEN",
    # UNODC's release of 14 April 2025 writes many citizenships as nationalities, some
    # misspelt ('Ghanean', 'Swedesh', 'Uzbecki'). 'Georgia' as a citizenship can only be the
    # country. Left out as not sure: 'Congo' (COG or COD), 'Guayanean' (Guyana or French
    # Guiana), 'American' (the United States or the Americas).
    "afganistan": "AFG", "albanie": "ALB", "belice": "BLZ", "botzwana": "BWA",
    "british": "GBR", "burundean": "BDI", "camboya": "KHM", "cameroun": "CMR",
    "canadians": "CAN", "cape ver": "CPV", "centrel african republic": "CAF", "chine": "CHN",
    "chines": "CHN", "chinese": "CHN", "chiness": "CHN", "cina popolare": "CHN",
    "colombie": "COL", "comorian islands": "COM", "cypriot": "CYP", "czeck republic": "CZE",
    "danish": "DNK", "democratic kongo": "COD", "djiboutean": "DJI", "dr kongo": "COD",
    "dutch": "NLD", "ecuatoriana": "ECU", "egitto": "EGY", "egybt": "EGY",
    "emirati (uae)": "ARE", "eritreja": "ERI", "estados unidos": "USA", "filipino": "PHL",
    "filippino": "PHL", "finns": "FIN", "french": "FRA", "georgia": "GEO", "german": "DEU",
    "germans": "DEU", "ghanean": "GHA", "greek": "GRC", "guatemalean": "GTM",
    "guatemalteca": "GTM", "guinee conakry": "GIN", "hondureans": "HND", "hungaria": "HUN",
    "hungarian": "HUN", "hungarians": "HUN", "inde": "IND", "kosovar": "XKX",
    "kyrgysi": "KGZ", "laotian": "LAO", "lybians": "LBY", "malian": "MLI", "maltese": "MLT",
    "marroquie": "MAR", "moldavia": "MDA", "moldavian": "MDA", "moroccan": "MAR",
    "nicaraguense": "NIC", "norvegian": "NOR", "philippine": "PHL", "poles": "POL",
    "polish": "POL", "rmi": "MHL", "rwandean": "RWA", "salvadorean": "SLV",
    "saudi": "SAU", "swasiland": "SWZ", "swedesh": "SWE", "tailandesa": "THA",
    "tazanians": "TZA", "thai": "THA", "timor este": "TLS", "turkish": "TUR",
    "ugandean": "UGA", "ukranian": "UKR", "uzbecki": "UZB",
}

# The character a damaged file shows where a letter was lost in a wrong re-encoding
# ("C\ufffdte d\ufffdIvoire"); some copies show a question mark instead.
DAMAGED_CHARACTERS = ("\ufffd", "?")

# Regions in UN M49 wording; country_converter says "America".
_CONTINENT_TO_M49 = {"America": "Americas"}
# Where country_converter's UN subregion is not UN M49's (checked against M49 and UNODC's 2025
# workbook, whose Subregion column agrees with M49): Nauru is in Micronesia.
_SUBREGION_FIXES = {"NRU": "Micronesia"}


@dataclass(frozen=True)
class CountryMatch:
    """The result of matching one name: an ISO3 code, or the candidates when it is not sure."""

    text: str
    iso3: str | None
    candidates: tuple[str, ...] = ()  # the places an ambiguous name could mean
    close: tuple[str, ...] = ()  # for a name no country has: close spellings ("did you mean")
    # found by a name pattern inside the text ('Niger State' → NER, 'Kenyaa' → KEN), not by a
    # known name, code or alias: ``match_uploaded`` does not take such a match
    by_pattern: bool = False

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
            "subregion": [_SUBREGION_FIXES.get(iso3, sub) for iso3, sub in zip(
                data["ISO3"].astype(str), data["UNregion"].astype(str), strict=True)],
        }
    )
    return frame.filter(pl.col("region") != "Antarctica").sort("iso3")


def normalise_name(text: str) -> str:
    """Lower case, accents kept, spaces and punctuation squeezed: the key aliases are stored by."""
    text = unicodedata.normalize("NFC", text).strip().lower()
    text = re.sub(r"[\s_]+", " ", text)
    return text.strip(" .,;")


def fold_name(text: str) -> str:
    """Lower case, accents and curly quotes removed, spaces squeezed: 'CAMERÚN' → 'camerun'."""
    text = unicodedata.normalize("NFKD", str(text))
    text = "".join(c for c in text if not unicodedata.combining(c))
    text = text.replace("\u2019", "'").replace("\u2018", "'").replace("`", "'")
    text = re.sub(r"\s+", " ", text.strip().lower())
    return text.strip(" .,;")


def repair_text(text: str) -> str:
    """Undo the commonest damage: UTF-8 read as Windows-1252 ('CÃ´te d'Ivoire' → "Côte
    d'Ivoire"). Text that is not damaged that way comes back unchanged."""
    if not any(mark in text for mark in ("Ã", "Â", "â€")):
        return text
    for codec in ("cp1252", "latin-1"):
        try:
            return text.encode(codec).decode("utf-8")
        except (UnicodeEncodeError, UnicodeDecodeError):
            continue
    return text


def is_damaged(text: str) -> bool:
    """Whether letters were lost: a replacement character, or a '?' inside a name."""
    return "\ufffd" in text or bool(re.search(r"\w\?|\?\w", text))


@lru_cache(maxsize=1)
def _known_spellings() -> dict[str, str]:
    """Every spelling (folded) that names exactly one country: names, official names, the
    aliases here and the published spellings."""
    spellings: dict[str, set[str]] = {}
    table = country_table()
    for iso3, name, official in table.select("iso3", "name", "official_name").iter_rows():
        for text in (name, official):
            spellings.setdefault(fold_name(text), set()).add(iso3)
    for text, iso3 in {**EXTRA_ALIASES, **PUBLISHED_SPELLINGS}.items():
        spellings.setdefault(fold_name(text), set()).add(iso3)
    return {text: next(iter(codes)) for text, codes in spellings.items() if len(codes) == 1}


def match_damaged(text: str, aliases: dict[str, str] | None = None) -> CountryMatch:
    """Match a name whose lost letters show as '\ufffd' or '?': each lost letter stands for
    exactly one character, and the name must fit exactly one country ('C?te d?Ivoire' → CIV,
    'PER?' → PER, 'ESPA?A' → ESP). No fit, or several countries, gives no code."""
    pattern = "".join(
        "." if char in DAMAGED_CHARACTERS else re.escape(char) for char in fold_name(text)
    )
    spellings = dict(_known_spellings())
    for alias, iso3 in (aliases or {}).items():
        spellings.setdefault(fold_name(alias), iso3)
    regex = re.compile(pattern)
    found = sorted({iso3 for name, iso3 in spellings.items() if regex.fullmatch(name)})
    if len(found) == 1:
        return CountryMatch(text, found[0])
    return CountryMatch(text, None, tuple(found))


def match_published_name(
    text: str | None,
    aliases: dict[str, str] | None = None,
    *,
    overrides: dict[str, str] | None = None,
) -> CountryMatch:
    """Match a country name as a publisher's file has it: damaged encodings repaired, lost
    letters matched exactly, spellings seen in published files recognised, then the rules of
    `match_country`. Never picks one of several candidates."""
    raw = "" if text is None else str(text)
    if not aliases:
        iso3, candidates = _match_published(raw, tuple(sorted((overrides or {}).items())))
        return CountryMatch(raw, iso3, candidates)
    return _match_published_uncached(raw, aliases, overrides)


@lru_cache(maxsize=4096)
def _match_published(raw: str, overrides: tuple[tuple[str, str], ...]
                     ) -> tuple[str | None, tuple[str, ...]]:
    found = _match_published_uncached(raw, None, dict(overrides))
    return found.iso3, found.candidates


def _match_published_uncached(raw: str, aliases: dict[str, str] | None,
                              overrides: dict[str, str] | None) -> CountryMatch:
    repaired = repair_text(raw)
    key = fold_name(repaired)
    if overrides and key in overrides:
        return CountryMatch(raw, overrides[key])
    if key in PUBLISHED_SPELLINGS:
        return CountryMatch(raw, PUBLISHED_SPELLINGS[key])
    if is_damaged(repaired):
        found = match_damaged(repaired, aliases)
        return CountryMatch(raw, found.iso3, found.candidates)
    found = match_country(repaired, aliases, overrides=overrides)
    if found.iso3 is None and key != normalise_name(repaired):
        folded = match_country(key, aliases, overrides=overrides)  # 'MÉXICO' → 'mexico'
        if folded.iso3 is not None:
            return CountryMatch(raw, folded.iso3)
    return CountryMatch(raw, found.iso3, found.candidates)


def _regex_matches(text: str) -> list[str]:
    return [iso3 for iso3, regex in _iso3_regexes() if regex.search(text)]


@lru_cache(maxsize=1)
def _iso3_regexes() -> tuple[tuple[str, re.Pattern[str]], ...]:
    """country_converter's ISO3 codes with their name patterns, read once (a pandas column of
    Arrow strings is slow to walk, and `init` matches some 800 names)."""
    converter = _converter()
    return tuple((str(iso3), regex)
                 for iso3, regex in zip(converter.data["ISO3"], converter.regexes, strict=True))


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
        return CountryMatch(raw, found[0], by_pattern=True)
    if len(found) > 1:
        return CountryMatch(raw, None, tuple(found))
    folded = fold_name(raw)
    # 'Zaïre' is 'zaire' once its accent is set aside; a text whose folded form normalises
    # back to the same key ('Q6.1_2s_2021') has nothing more to try.
    if folded != key and normalise_name(folded) != key:
        again = match_country(folded, aliases, overrides=overrides)
        if again.iso3 is not None or again.ambiguous:
            return CountryMatch(raw, again.iso3, again.candidates, by_pattern=again.by_pattern)
    return CountryMatch(raw, None, close=close_names(raw))


def match_uploaded(texts: Iterable[str], aliases: dict[str, str]) -> dict[str, CountryMatch]:
    """Each country text of an organisation's file matched as ``match_country`` does, but a
    name is taken only when it is a known name, code or alias, or one written with other
    accents, punctuation or a leading 'the' ('The Gambia', 'Guinea Bissau'). A name that a
    country's name pattern finds inside a longer or misspelt text ('Niger State', 'Kenya
    (regional total)', 'Kenyaa', 'England') is not taken: the match is offered as 'did you
    mean', for the file to say which country it is (a figure for a state, a region or one
    nation of the United Kingdom is not the country's figure)."""
    loose = _unambiguous((*aliases.items(), *_spellings_for_hints()))
    matched = {}
    for text in texts:
        found = match_country(text, aliases)
        if found.by_pattern:
            again = loose.get(_loose_name(text))
            found = (CountryMatch(found.text, again) if again is not None
                     else CountryMatch(found.text, None, close=(str(found.iso3),),
                                       by_pattern=True))
        matched[text] = found
    return matched


def _unambiguous(spellings: Iterable[tuple[str, str]]) -> dict[str, str]:
    """Known spellings (the store's aliases, the country list's names and official names,
    the aliases here) as ``_loose_name`` writes them, each with its country; a loose name two
    countries share, or one of AMBIGUOUS_NAMES, is left out."""
    seen: dict[str, set[str]] = {}
    for known, iso3 in spellings:
        seen.setdefault(_loose_name(known), set()).add(iso3)
    ambiguous = {_loose_name(name) for name in AMBIGUOUS_NAMES}
    return {name: next(iter(codes)) for name, codes in seen.items()
            if len(codes) == 1 and name not in ambiguous}


def _loose_name(text: str) -> str:
    """A name with its accents, punctuation and a leading 'the' set aside: 'The Gambia' →
    'gambia', 'Guinea-Bissau' → 'guinea bissau'."""
    words = re.sub(r"[^\w]+", " ", fold_name(text)).split()
    return " ".join(words[1:] if words[:1] == ["the"] and len(words) > 1 else words)


def close_names(text: str, limit: int = 3) -> tuple[str, ...]:
    """The countries whose name is the closest spelling of `text`, if it is close: one letter
    wrong, missing, extra or swapped with its neighbour (two in a name of more than seven
    letters). 'Kenia' → KEN, 'Untied Kingdom' → GBR; 'Holland' is not close to 'Poland'."""
    key = fold_name(text)
    allowed = 1 if len(key) <= 7 else 2
    # (edits, whether the first letter differs) of each country's closest spelling
    scores: dict[str, tuple[int, bool]] = {}
    for name, iso3 in _spellings_for_hints():
        if key and abs(len(name) - len(key)) <= allowed:
            score = (_edits(key, name, allowed), name[:1] != key[:1])
            if score[0] <= allowed and score < scores.get(iso3, (allowed + 1, True)):
                scores[iso3] = score
    if not scores:
        return ()
    nearest = min(edits for edits, _ in scores.values())
    close = sorted((score, iso3) for iso3, score in scores.items() if score[0] == nearest)
    return tuple(iso3 for _, iso3 in close[:limit])


@lru_cache(maxsize=1)
def _spellings_for_hints() -> tuple[tuple[str, str], ...]:
    """Folded names, official names and the aliases here, each with its country."""
    table = country_table()
    pairs = {(fold_name(text), iso3)
             for iso3, name, official in table.select("iso3", "name", "official_name").iter_rows()
             for text in (name, official)}
    pairs |= {(fold_name(text), iso3) for text, iso3 in EXTRA_ALIASES.items()}
    return tuple(sorted(pairs))


def _edits(a: str, b: str, limit: int | None = None) -> int:
    """Letters to change, add, remove or swap with a neighbour to turn `a` into `b`; with a
    ``limit``, any count over it may come back as ``limit + 1`` (counts up to it are exact).

    Each row of the table is at least the smaller of the row before and the one before that
    plus one, so once two rows in a row are all over the limit, every later one is, and so is
    the count: the rest of the table is not worked out."""
    before: list[int] = []
    row = list(range(len(b) + 1))
    for i, ca in enumerate(a, start=1):
        current = [i] + [0] * len(b)
        for j, cb in enumerate(b, start=1):
            current[j] = min(row[j] + 1, current[j - 1] + 1, row[j - 1] + (ca != cb))
            if i > 1 and j > 1 and ca == b[j - 2] and a[i - 2] == cb:
                current[j] = min(current[j], before[j - 2] + 1)
        if limit is not None and min(current) > limit and min(row) > limit:
            return limit + 1
        before, row = row, current
    return row[-1]


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
