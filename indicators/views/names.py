"""Names and words every view shares: scope names and labels, axis titles, the one universe
of "N of M", and the caveats a reader is told.
"""

from __future__ import annotations

from collections.abc import Mapping

import polars as pl

from indicators import i18n
from indicators.compute import WORLD, scope_members
from indicators.i18n import ENGLISH, N_, number, translator
from indicators.measures import (
    DATA_SHARING_PROXY_NOTE,
    DENOMINATOR_NOTE,
    MEASURES,
    REPORTING_PROXY_NOTE,
    indicator_meta,
)

WORLD_NAME = "World"
NO_DATA = "no data"
SUPPRESSED_TEXT = "<5"

VOLUNTARY_REPORTING_NOTE = N_(
    "Reporting is voluntary: countries send UNODC what their authorities recorded, in the "
    "years they chose to, so the set of countries changes from year to year. A regional or "
    "world value covers only the countries that reported that year; read it with its "
    "coverage."
)
DETECTED_NOT_PREVALENCE_NOTE = N_(
    "Detected victims, prosecutions and convictions measure what the authorities saw and did, "
    "not how much trafficking there is: a rise can mean better detection as much as more crime."
)


def unlabelled(note: str) -> str:
    """A note without its leading 'Proxy: ' or 'Denominator: ' label."""
    head, _, rest = note.partition(": ")
    return rest[0].upper() + rest[1:] if rest and head in ("Proxy", "Denominator") else note


ONE_ESTIMATE_NOTE = N_("It is one estimate, for 2021, set against every year's figures: the rates "
                       "show the size of the gap, not a precise yearly ratio.")
CAVEATS: tuple[tuple[str, str], ...] = (
    (N_("The denominator"), unlabelled(DENOMINATOR_NOTE) + " " + ONE_ESTIMATE_NOTE),
    (N_("Proxies (they can be switched off)"), "Indicator 2: " + unlabelled(REPORTING_PROXY_NOTE)
     + " Indicator 3: " + unlabelled(DATA_SHARING_PROXY_NOTE)),
    (N_("Voluntary reporting"), VOLUNTARY_REPORTING_NOTE),
    (N_("What the counts measure"), DETECTED_NOT_PREVALENCE_NOTE),
    (N_("'<5' and gaps"), N_("UNODC publishes counts from 1 to 4 as '<5'. They are kept as ranges "
     "(1 to 4), so a value built on one is a range too, drawn as a band or a hatched bar. A "
     "missing figure is a gap, shown as 'no data', never as zero.")),
)


def caveats(lang: str | None = None) -> tuple[tuple[str, str], ...]:
    """``CAVEATS`` in ``lang``: each title and text translated whole (English: ``CAVEATS``)."""
    if not lang or lang == ENGLISH:
        return CAVEATS
    _ = translator(lang)

    def note(text: str) -> str:  # a measures note in lang, without its 'Proxy: ' label
        translated = _(text)
        return unlabelled(text) if translated == text else \
            translated.split(":", 1)[-1].strip()

    composed = {
        N_("The denominator"): note(DENOMINATOR_NOTE) + " " + _(ONE_ESTIMATE_NOTE),
        N_("Proxies (they can be switched off)"): _("Indicator {number}: {text}").format(
            number=2, text=note(REPORTING_PROXY_NOTE)) + " " + _(
            "Indicator {number}: {text}").format(number=3, text=note(DATA_SHARING_PROXY_NOTE)),
    }
    return tuple((_(title), composed.get(title) or _(text)) for title, text in CAVEATS)


def scope_names(countries: pl.DataFrame) -> dict[str, str]:
    """ISO3 → country name, region → region, subregion → subregion, WORLD → World."""
    names = dict(zip(countries["iso3"].to_list(), countries["name"].to_list(), strict=True))
    for group in scope_kinds(countries):
        names[group] = group
    names[WORLD] = WORLD_NAME
    return names


def scope_kinds(countries: pl.DataFrame) -> dict[str, str]:
    """Each region's and UN M49 subregion's name → 'region' or 'subregion' (the subregions
    as the computation counts them: ``compute.scope_members``)."""
    members = scope_members(countries)
    kinds = {r: "subregion" for r in members["subregion"].drop_nulls().unique().to_list()}
    return kinds | {r: "region" for r in members["region"].drop_nulls().unique().to_list()}


def scope_label(scope: str, names: dict[str, str],
                kinds: Mapping[str, str] | None = None, lang: str | None = None) -> str:
    """How a scope reads in a picker: 'World', 'Europe (region)', 'Western Africa
    (subregion)' (with ``kinds``, ``scope_kinds``), 'United Kingdom'; in ``lang`` with CLDR's
    names ('Monde', 'Europe (région)', 'Royaume-Uni'), UNODC's in English."""
    if scope == WORLD:
        return i18n.place_name(WORLD, WORLD_NAME, lang)
    name = names.get(scope, scope)
    if name != scope or len(scope) == 3:
        return i18n.place_name(scope, name, lang)
    _ = i18n.translator(lang)
    kind = (kinds or {}).get(scope, "region")
    kind_words = _("subregion") if kind == "subregion" else _("region")
    return f"{i18n.place_name(scope, name, lang)} ({kind_words})"


def shown_names(names: Mapping[str, str], lang: str | None = None) -> dict[str, str]:
    """``scope_names`` in ``lang``: every country's, region's and the world's name as
    ``i18n.place_name`` gives it (CLDR's in French and Spanish, UNODC's in English)."""
    return {scope: i18n.place_name(scope, name, lang) for scope, name in names.items()}


def name_order(name: str, lang: str | None = None) -> str:
    """The key that sorts names in ``lang``: the name itself in English (as always); in French
    and Spanish without its accents and case, so that 'Égypte' sorts among the E."""
    if (i18n.parse_language(lang) or i18n.ENGLISH) == i18n.ENGLISH:
        return name
    import unicodedata

    return "".join(c for c in unicodedata.normalize("NFKD", name)
                   if not unicodedata.combining(c)).casefold()


# the English words of the formulas (``IndicatorMeta.formula``) besides the measures' names
_FORMULA_WORDS = (
    ("count of countries with ", N_("count of countries with ")),
    (" in the year", N_(" in the year")),
    ("(baseline year)", N_("(baseline year)")),
    ("(year)", N_("(year)")),
)


def formula_words(indicator: str, lang: str | None = None) -> str:
    """An indicator's formula with measure names replaced by their labels, in ``lang``."""
    text = formula_code(indicator, lang)
    english = (i18n.parse_language(lang) or i18n.ENGLISH) == i18n.ENGLISH
    _ = i18n.translator(lang)
    if not english:
        text = text.replace("100,000", i18n.number(100_000, lang))
    for name in sorted(MEASURES, key=len, reverse=True):
        text = text.replace(name, (MEASURES[name].label if english else
                                   _(MEASURES[name].label)).lower())
    return text.replace(" / ", " ÷ ")


def formula_code(indicator: str, lang: str | None = None) -> str:
    """An indicator's formula as written (``Indicator.formula``: measure codes), its few words
    in ``lang`` ('victims_reported(année) / victims_reported(année de référence) - 1')."""
    text = indicator_meta(indicator).formula
    if (i18n.parse_language(lang) or ENGLISH) == ENGLISH:
        return text
    _ = translator(lang)
    for english, message in _FORMULA_WORDS:
        text = text.replace(english, _(message))
    return text


def axis_title(indicator: str) -> str:
    meta = indicator_meta(indicator)
    # a share's ticks say their unit ('1 in 1,000', '10%')
    return f"{meta.short} (%)" if meta.unit == "change" else meta.short


def country_values_are_flags(indicator: str) -> bool:
    """Indicator 3 counts countries: a single country's value is its 1/0 sharing flag."""
    return indicator == "data_sharing_countries"


UNIVERSE_WORDS = "countries and territories"


def universe(countries: pl.DataFrame) -> int:
    """How many countries and territories every "N of M" counts against: the country list
    (``store.countries()``), with or without figures. The computation's world row says the
    same (``countries_in_scope``)."""
    return countries.height


def of_universe(count: int, total: int, lang: str | None = None) -> str:
    """'86 of 246 countries and territories' (in ``lang``: '86 sur 246 pays et territoires')."""
    if not lang or lang == ENGLISH:
        return f"{count:,} of {total:,} {UNIVERSE_WORDS}"
    return translator(lang)("{count} of {total} countries and territories").format(
        count=number(count, lang), total=number(total, lang))


def _sources_of(row: dict) -> str:
    return row.get("sources") or "—"


def is_country_code(scope: str) -> bool:
    """ISO3 codes are three capital letters; regions are names and the world is WORLD."""
    return scope != WORLD and len(scope) == 3 and scope.isalpha() and scope.isupper()
