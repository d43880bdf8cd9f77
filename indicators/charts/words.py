"""A chart's words from a view's row in French or Spanish: the place's CLDR name, the value in
the locale's notation, the status and trend words, and the hover text
(``frame.row_hover``'s, in ``lang``). The views' rows stay in English (they are the CSV
download); a chart translates them where it draws them. English is returned as it was."""

from __future__ import annotations

import re
from collections.abc import Callable

from indicators.charts.frame import esc, exact_share, row_hover
from indicators.i18n import (
    ENGLISH,
    N_,
    localise_value,
    parse_language,
    place_name,
    plural_translator,
    translator,
)
from indicators.measures import indicator_meta, sdg_basis_sentence, status_text, trend_words
from indicators.views import axis_title

BREAK_HOVER = N_("Possible break in the series (check the source)")
BREAK_MARK = N_("break?")
# The note an aggregate built on '<5' figures carries (``per_population``'s, written in English
# in the data): said again in the language, its numbers kept.
RANGE_NOTE_WORDS = re.compile(r"(\d+) of the (\d+) countries reported '<5'; the value is a "
                              r"range\.")


def is_english(lang: str | None) -> bool:
    return (parse_language(lang) or ENGLISH) == ENGLISH


def row_name(row: dict, lang: str | None) -> str:
    """The row's place (``scope`` or ``iso3``) named in ``lang`` (its own name in English)."""
    code = row.get("scope") or row.get("iso3") or ""
    return place_name(str(code), str(row.get("name") or code), lang)


def value_words(text: str, lang: str | None) -> str:
    """A value as ``value_text.format_value`` writes it, in ``lang``'s notation."""
    return localise_value(text, lang)


def axis_words(indicator: str, lang: str | None = None) -> str:
    """``views.axis_title`` in ``lang`` (the indicator's short name translated)."""
    meta = indicator_meta(indicator)
    return axis_title(indicator).replace(meta.short, translator(lang)(meta.short), 1)


def note_words(note: str, lang: str | None = None) -> str:
    """A row's note in ``lang``: the aggregate's '<5' note said again with its numbers, any
    other note as the catalog has it (the note itself when it has none)."""
    if is_english(lang):
        return note
    _ = translator(lang)
    said = RANGE_NOTE_WORDS.sub(lambda found: _(
        "{n} of the {total} countries reported '<5'; the value is a range.").format(
            n=found.group(1), total=found.group(2)), note)
    return said if said != note else _(note)


def row_status(row: dict, lang: str | None) -> str:
    """The row's status with its icon ('✖ Pas en bonne voie'); the view's own in English."""
    if is_english(lang):
        return str(row.get("status_text") or "")
    return status_text(row.get("status"), row.get("basis"), translator(lang))


# Translated hover texts by row: a new selection keeps most of the scopes before it, whose
# rows are the same, and a translated hover costs about 50 µs a row (``hover``).
_HOVERS: dict[tuple[str, str, str, Callable[[str], str]], str] = {}
_HOVERS_KEPT = 4096


def hover(row: dict, lang: str | None = None, unit_note: str = "") -> str:
    """``frame.row_hover`` in ``lang``: the same lines, translated. A translated one is
    remembered by the row as written out (``repr``: every value of its type), the language
    and the catalog (``translator``'s, so a changed catalog is never read from an old one)."""
    if is_english(lang):
        return row_hover(row, unit_note)
    _ = translator(lang)
    key = (repr(row), str(lang), unit_note, _)
    found = _HOVERS.get(key)
    if found is None:
        if len(_HOVERS) >= _HOVERS_KEPT:
            _HOVERS.clear()
        found = _HOVERS[key] = _translated_hover(row, lang, unit_note)
    return found


def _translated_hover(row: dict, lang: str | None, unit_note: str) -> str:
    """``hover``'s lines in ``lang`` (not English)."""
    _ = translator(lang)
    ngettext = plural_translator(lang)
    exact = exact_share(row)  # read from the English value ('1 in …')
    value = esc(value_words(row["value_text"], lang)) + (
        f" ({esc(value_words(exact, lang))})" if exact else "")
    parts = [f"<b>{esc(row_name(row, lang))}</b>, {row['year']}", value]
    if row.get("status_text"):
        parts.append(esc(row_status(row, lang)))
    if row.get("trend") and row["trend"] != "none":
        parts.append(_("Trend since the baseline: {trend}").format(
            trend=esc(trend_words(row["trend"], _))))
    if row.get("series_break"):
        parts.append(_(BREAK_HOVER))
    if row.get("countries_counted") and row.get("scope_type") != "country":
        count = int(row["countries_counted"])
        parts.append(ngettext("{n} country with figures", "{n} countries with figures",
                              count).format(n=localise_value(f"{count:,}", lang)))
    if row.get("note"):
        parts.append(esc(note_words(row["note"], lang)))
    basis = sdg_basis_sentence(row.get("basis"), row.get("scope_type"), _)
    if basis:
        parts.append(esc(basis))
    if unit_note:
        parts.append(unit_note)
    return "<br>".join(parts)
