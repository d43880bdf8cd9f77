"""The dashboard in English, French and Spanish: gettext catalogs made with Babel, names and
numbers from CLDR through Babel. A library module: no Streamlit here.

Messages are marked in the code with ``_("…")`` (a translator from ``translator(lang)``) or,
where the text is defined before a language is known, with ``N_("…")``, which only marks it for
``pybabel extract`` (``babel.cfg``); ``translator(lang)`` then translates it when it is shown.
The catalogs are ``indicators/locale/{fr,es}/LC_MESSAGES/messages.po``, kept in the
repository; their compiled ``.mo`` files are made from them on first use (and again whenever a
``.po`` changes), in a cache folder, never committed.

Country names: English keeps UNODC's own names (the names the data carry); French and Spanish
take CLDR's (``babel.Locale(lang).territories``) by the ISO alpha-2 code, and UN M49's regions
and subregions by their numeric code. Numbers: the figures are decided once, in English
(``value_text.format_value``: its rounding never crosses a target); ``localise_value`` writes
them with the locale's own marks ('8,7 %', '1 sur 620', '1 de cada 620').
"""

from __future__ import annotations

import gettext
import hashlib
import io
import os
import re
import tempfile
from collections.abc import Callable
from decimal import Decimal
from functools import cache, lru_cache
from pathlib import Path

from babel import Locale
from babel.messages.mofile import write_mo
from babel.messages.pofile import read_po
from babel.numbers import format_decimal, format_percent

ENGLISH = "en"
# Each language by its code, named in itself (the selector shows a language in its own words).
LANGUAGES: dict[str, str] = {"en": "English", "fr": "Français", "es": "Español"}
LOCALE_DIR = Path(__file__).resolve().parent / "locale"
DOMAIN = "messages"

Translate = Callable[[str], str]


def N_(message: str) -> str:  # noqa: N802 - gettext's own name for 'mark only'
    """Mark ``message`` for extraction without translating it now (it is translated where it is
    shown, with ``translator(lang)``)."""
    return message


def parse_language(raw: str | None) -> str | None:
    """A language code as a link or a browser gives it ('fr', 'FR', 'fr-CA', 'es_MX') → one of
    ``LANGUAGES``, or None when it is none of them."""
    if raw in LANGUAGES:  # as the pages and the library pass it: the common case, quickly
        return raw
    if not raw:
        return None
    code = re.split(r"[-_;,]", raw.strip().lower(), maxsplit=1)[0]
    return code if code in LANGUAGES else None


def browser_language(locale: str | None, accept_language: str | None = None) -> str:
    """The first of the browser's preferred languages the dashboard speaks: its locale
    (``st.context.locale``), else its Accept-Language header in order of preference; English
    when it speaks none of them."""
    if parse_language(locale):
        return parse_language(locale) or ENGLISH
    ranked: list[tuple[float, int, str]] = []
    for position, item in enumerate((accept_language or "").split(",")):
        tag, _, weight = item.strip().partition(";q=")
        try:
            quality = float(weight) if weight else 1.0
        except ValueError:
            continue
        ranked.append((-quality, position, tag))
    for _quality, _position, tag in sorted(ranked):
        found = parse_language(tag)
        if found:
            return found
    return ENGLISH


# -- the catalogs --------------------------------------------------------------------------------
def po_path(lang: str) -> Path:
    return Path(_po_file(LOCALE_DIR, lang))


def mo_dir() -> Path:
    """Where the compiled catalogs go: INDICATORS_LOCALE_CACHE, else a folder of the user's
    cache (XDG_CACHE_HOME or ~/.cache), else the system's temporary folder."""
    configured = os.environ.get("INDICATORS_LOCALE_CACHE")
    if configured:
        return Path(configured)
    base = os.environ.get("XDG_CACHE_HOME") or str(Path.home() / ".cache")
    return Path(base) / "anti-trafficking-indicators" / "locale"


def compiled(lang: str) -> Path:
    """The ``.mo`` of ``lang``, compiled from its ``.po`` unless already compiled from the same
    text. It is named by the ``.po``'s content (``messages-<sha256 prefix>.mo``), so checkouts
    with different catalogs sharing one cache folder never read each other's."""
    source = po_path(lang).read_bytes()
    name = f"{DOMAIN}-{hashlib.sha256(source).hexdigest()[:16]}.mo"
    for root in (mo_dir(), Path(tempfile.gettempdir()) / "anti-trafficking-indicators-locale"):
        target = root / lang / "LC_MESSAGES" / name
        if target.exists():
            return target
        try:
            target.parent.mkdir(parents=True, exist_ok=True)
            catalog = read_po(io.BytesIO(source), locale=lang)
            # written beside, then moved: another process never reads half a file
            partial = target.with_suffix(f".{os.getpid()}.tmp")
            with partial.open("wb") as mo:
                write_mo(mo, catalog)
            partial.replace(target)
            return target
        except OSError:
            continue  # a read-only cache: the temporary folder instead
    raise OSError(f"The {LANGUAGES[lang]} catalog could not be compiled anywhere.")


@cache
def _translations(lang: str, stamp: tuple[int, int]) -> gettext.NullTranslations:
    if lang == ENGLISH:
        return gettext.NullTranslations()
    with compiled(lang).open("rb") as mo:
        return gettext.GNUTranslations(mo)


@cache
def _po_file(locale_dir: Path, lang: str) -> str:
    """``po_path`` as text, made once per folder: building the path was most of the cost of
    looking a catalog up, which every translated word does."""
    return str(locale_dir / lang / "LC_MESSAGES" / f"{DOMAIN}.po")


def _catalog(code: str) -> gettext.NullTranslations:
    """The catalog of ``code`` (not English) as its ``.po`` is now: read again when it
    changes."""
    found = os.stat(_po_file(LOCALE_DIR, code))
    return _translations(code, (found.st_mtime_ns, found.st_size))


def translator(lang: str | None) -> Translate:
    """``_`` for ``lang``: the message in that language (the English message itself for
    English, an unknown language, or a message the catalog lacks)."""
    code = parse_language(lang) or ENGLISH
    if code == ENGLISH:
        return _english
    return _catalog(code).gettext


def _english(message: str) -> str:
    return message


Plural = Callable[[str, str, int], str]


def plural_translator(lang: str | None) -> Plural:
    """``ngettext`` for ``lang``: the form of a message for the count ``n`` in that language
    (English's own singular or plural for English, an unknown language, or a message the
    catalog lacks)."""
    code = parse_language(lang) or ENGLISH
    if code == ENGLISH:
        return gettext.NullTranslations().ngettext
    return _catalog(code).ngettext


def context_translator(lang: str | None) -> Callable[[str, str], str]:
    """``pgettext`` for ``lang``: a message translated within a context, for an English word
    with two meanings ('Change': a series break's size, an upload's kind of change). The code
    calls it ``pgettext(context, message)`` so that ``pybabel extract`` records the context."""
    code = parse_language(lang) or ENGLISH
    if code == ENGLISH:
        return gettext.NullTranslations().pgettext
    return _catalog(code).pgettext


def number(count: int, lang: str | None) -> str:
    """A whole number grouped as ``lang`` writes it (1234 → '1,234', '1 234', '1234')."""
    return localise_value(f"{count:,}", lang)


# -- names ---------------------------------------------------------------------------------------
@cache
def _iso2_of() -> dict[str, str]:
    from indicators.countries import country_table

    table = country_table()
    # the table's ISO2 is a pattern where a country has two codes ('^GB$|^UK$', '^GR$|^EL$':
    # country_converter's data): the first is ISO's
    found = ((iso3, re.search(r"[A-Z]{2}", iso2 or "")) for iso3, iso2 in
             table.select("iso3", "iso2").iter_rows())
    return {iso3: match.group(0) for iso3, match in found if match}


@cache
def _m49_of() -> dict[str, str]:
    """UN M49's region and subregion names, as the data write them, → their numeric code."""
    english = Locale("en").territories
    codes = {name: code for code, name in english.items() if code.isdigit()}
    codes.setdefault("Americas", "019")
    # UN M49's names that CLDR's English writes otherwise ('Australasia', 'Southeast Asia',
    # 'Micronesian Region')
    codes.setdefault("Australia and New Zealand", "053")
    codes.setdefault("South-eastern Asia", "035")
    codes.setdefault("Micronesia", "057")
    return codes


def place_name(scope: str, english_name: str, lang: str | None) -> str:
    """A country's, region's or the world's name in ``lang``: ``english_name`` (UNODC's own)
    in English; CLDR's in French and Spanish ('DEU' → 'Allemagne', 'Alemania'), by the ISO
    alpha-2 code of the ISO3 ``scope``, or by a region's UN M49 code; the English name when
    CLDR has none."""
    code = parse_language(lang) or ENGLISH
    if code == ENGLISH:
        return english_name
    territories = Locale(code).territories
    if scope == "WORLD":
        return territories.get("001", english_name)
    key = _iso2_of().get(scope) if len(scope) == 3 and scope.isalpha() and scope.isupper() \
        else _m49_of().get(english_name) or _m49_of().get(scope)
    return territories.get(key, english_name) if key else english_name


def country_name(iso3: str, english_name: str, lang: str | None) -> str:
    """``place_name`` for a country by its ISO3 code."""
    return place_name(iso3, english_name, lang)


# -- numbers -------------------------------------------------------------------------------------
_NUMBER = re.compile(r"\d{1,3}(?:,\d{3})+(?:\.\d+)?|\d+(?:\.\d+)?")


@lru_cache(maxsize=4096)  # CLDR's formatting is slow (~30 µs) and a chart repeats its numbers
def _number(token: str, lang: str) -> str:
    digits = token.replace(",", "")
    decimals = len(digits.partition(".")[2])
    pattern = "#,##0" + ("." + "0" * decimals if decimals else "")
    return format_decimal(Decimal(digits), format=pattern, locale=lang)


@cache
def _percent_sign(lang: str) -> str:
    """What follows a number in the locale's percent (CLDR's pattern): a no-break space and
    '%' in French and Spanish, '%' in English."""
    return format_percent(Decimal("0.5"), locale=lang).removeprefix("50")


def localise_value(text: str, lang: str | None) -> str:
    """A value written by ``value_text.format_value`` ('8.7%', '1 in 5,700–5,800', '+62–63%',
    '−10% to +5%', '1.61', 'no data') in the notation of ``lang``: its decimal and group marks
    and percent sign from CLDR, and its words ('8,7 %', '1 sur 5 700–5 800', '1 de cada 620',
    'pas de données'). English is returned as it is."""
    code = parse_language(lang) or ENGLISH
    if code == ENGLISH:
        return text
    _ = translator(code)
    if text == "no data":
        return _("no data")
    one_in = text.startswith("1 in ")
    body = text.removeprefix("1 in ") if one_in else text
    body = body.replace(" to ", " " + _("to") + " ")
    body = _NUMBER.sub(lambda m: _number(m.group(0), code), body)
    body = body.replace("%", _percent_sign(code))
    if one_in:
        # TRANSLATORS: a small share said as '1 in N' (the N already written)
        return _("1 in {n}").format(n=body)
    return body


def percent(value: float, lang: str | None, decimals: int = 1) -> str:
    """A share as a percentage in ``lang`` (0.087 → '8.7%', '8,7 %')."""
    return localise_value(f"{value * 100:.{decimals}f}%", lang)


def one_in_text(share: float, lang: str | None) -> str:
    """The locale-aware ``value_text.share_text``: a share below 1% as '1 in 620' (English, as
    before), '1 sur 620', '1 de cada 620'; other shares as percentages."""
    from indicators.value_text import share_text

    return localise_value(share_text(share), lang)


def semicolon(lang: str | None) -> str:
    """'; ' between the clauses of a list in ``lang`` (French sets a space before it)."""
    return " ; " if parse_language(lang) == "fr" else "; "


def colon(lang: str | None) -> str:
    """': ' after a label in ``lang`` (French sets a space before it)."""
    return " : " if parse_language(lang) == "fr" else ": "
