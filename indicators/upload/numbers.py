"""Numbers as spreadsheets in many languages write them.

"1,240" is one thousand two hundred and forty in English and 1.24 in French; "1.240" the other
way round. A file usually says which convention it follows: a semicolon-separated file comes
from a spreadsheet that writes decimal commas, a comma-separated one from a spreadsheet that
writes decimal points, and any value such as "12,5" or "1,240.5" settles it. Only when nothing
in the file tells is a value like "1,240" refused, with the reason.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass

import polars as pl

from indicators.i18n import N_
from indicators.problems import said

MISSING_TOKENS = frozenset({
    "", "n/a", "na", "n.a.", "n.a", "-", "–", "—", "..", "...", "…", "null", "none",
    "#n/a", "not available",
})
# What programs write for a number that is not finite: never a count, refused (not skipped).
NOT_FINITE_TOKENS = frozenset({"inf", "+inf", "-inf", "infinity", "+infinity", "-infinity",
                               "nan", "-nan", "∞", "+∞", "-∞", "#num!", "#div/0!"})
SUPPRESSED_TEXT = "<5"
SUPPRESSED_BOUNDS = (1.0, 4.0)  # a count UNODC suppresses: 1 to 4
FORMULA_START = ("=", "@", "+", "-", "\t", "\r")

_SPACES = "\u00a0\u202f\u2009 '’"  # spaces and apostrophes used to group thousands
_GROUPED_BY_SPACE = re.compile(r"^\d{1,3}(?:[" + _SPACES + r"]\d{3})+(?:[.,]\d+)?$")
_PLAIN = re.compile(r"^\d+$")
_SCIENTIFIC = re.compile(r"^\d+(?:[.,]\d+)?[eE][+-]?\d+$")
# A whole number in plain ASCII digits, short enough to be exact as a float: most value cells.
_PLAIN_COUNT = r"^[0-9]{1,15}$"


@dataclass(frozen=True)
class Parsed:
    """One value cell, understood."""

    kind: str  # number | missing | suppressed | formula | ambiguous | scientific | other_suppressed
    #            | not_finite | text
    value: float | None = None
    lower: float | None = None
    upper: float | None = None
    percent: bool = False

    @property
    def status(self) -> str:
        return "suppressed" if self.kind == "suppressed" else "reported"


@dataclass(frozen=True)
class DecimalMark:
    """The decimal mark the file uses: ',' or '.', or None when the file does not say."""

    mark: str | None
    reason: str
    conflict: bool = False

    def describe(self) -> str:
        if self.mark == ",":
            return said(N_("Decimal mark: comma, e.g. 1.240,5 is 1240.5 ({reason})."),
                        reason=self.reason)
        if self.mark == ".":
            return said(N_("Decimal mark: point, e.g. 1,240.5 is 1240.5 ({reason})."),
                        reason=self.reason)
        return said(N_("Decimal mark: not known ({reason})."), reason=self.reason)


def _strip_sign_and_percent(text: str) -> tuple[str, str, bool]:
    body = text.strip()
    percent = body.endswith("%")
    if percent:
        body = body[:-1].strip()
    sign = ""
    if body and body[0] in "+-":
        sign, body = body[0], body[1:].strip()
    return sign, body, percent


def _ungroup_spaces(body: str) -> str:
    if _GROUPED_BY_SPACE.match(body):
        return re.sub("[" + _SPACES + "]", "", body)
    return body


def evidence(text: str) -> str | None:
    """The decimal mark a single value proves, if any: '1,5' proves ',', '12.25' proves '.'."""
    _, body, _ = _strip_sign_and_percent(text)
    body = _ungroup_spaces(body)
    if not re.fullmatch(r"[\d.,]+", body) or not body[:1].isdigit():
        return None
    commas, points = body.count(","), body.count(".")
    if commas and points:
        last = "," if body.rfind(",") > body.rfind(".") else "."
        return last if _valid_mixed(body, last) else None
    if commas + points == 0:
        return None
    sep = "," if commas else "."
    other = "." if sep == "," else ","
    if commas + points > 1:
        return other if _valid_groups(body, sep) else None
    whole, frac = body.split(sep)
    if len(frac) != 3 or len(whole) > 3 or whole == "0" or not whole:
        return sep
    return None


def _valid_groups(body: str, sep: str) -> bool:
    return re.fullmatch(r"\d{1,3}(?:" + re.escape(sep) + r"\d{3})+", body) is not None


def _valid_mixed(body: str, decimal: str) -> bool:
    thousands = "." if decimal == "," else ","
    whole, _, frac = body.rpartition(decimal)
    if not frac.isdigit():
        return False
    return whole.isdigit() or _valid_groups(whole, thousands)


def decimal_mark(texts: Iterable[str], delimiter: str | None) -> DecimalMark:
    """Which decimal mark the file uses, from its values first and its delimiter second."""
    seen: dict[str, str] = {}
    for text in texts:
        found = evidence(text)
        if found and found not in seen:
            seen[found] = text.strip()
            if len(seen) == 2:
                break
    if len(seen) == 2:
        return DecimalMark(
            None,
            said(N_("the file writes both '{comma}' (decimal comma) and '{point}' (decimal "
                    "point)"), comma=seen[","], point=seen["."]),
            conflict=True,
        )
    if seen:
        mark, example = next(iter(seen.items()))
        return DecimalMark(mark, said(N_("values such as '{example}' show it"), example=example))
    if delimiter == ";":
        return DecimalMark(",", said(N_("columns are separated by semicolons, as spreadsheets "
                                        "that write decimal commas do")))
    if delimiter == ",":
        return DecimalMark(".", said(N_("columns are separated by commas, as spreadsheets that "
                                        "write decimal points do")))
    return DecimalMark(None, said(N_("no value in the file shows it")))


def parse_value(text: str | None, mark: str | None) -> Parsed:
    """A value cell as a number, a suppressed '<5', missing, or why it is not a number."""
    raw = "" if text is None else str(text).strip()
    if raw.lower() in MISSING_TOKENS:
        return Parsed("missing")
    if raw.lower().replace(" ", "") in NOT_FINITE_TOKENS:
        return Parsed("not_finite")
    compact = raw.replace(" ", "")
    if compact == SUPPRESSED_TEXT:
        low, high = SUPPRESSED_BOUNDS
        return Parsed("suppressed", None, low, high)
    if re.fullmatch(r"[<≤]=?\d+([.,]\d+)?", compact):
        return Parsed("other_suppressed")
    sign, body, percent = _strip_sign_and_percent(raw)
    if raw.startswith(("=", "@", "\t", "\r")):
        return Parsed("formula")
    body = _ungroup_spaces(body)
    if _SCIENTIFIC.match(body):
        return Parsed("scientific")
    number = _number(body, mark)
    if number is None:
        if sign or raw.startswith(FORMULA_START):
            return Parsed("formula") if not _looks_numeric(body) else Parsed("text")
        return Parsed("text")
    if number == "ambiguous":
        return Parsed("ambiguous", percent=percent)
    value = float(number)
    if sign == "-":
        value = -value
    return Parsed("number", value, None, None, percent)  # exact figures carry no bounds


def thousands_reading(text: str) -> int | None:
    """The whole number a value such as '1.234' or '1,234' is when its one separator groups
    thousands (1234); None for a text that cannot be read so."""
    sign, body, percent = _strip_sign_and_percent(text)
    if sign or percent or _number(body, None) != "ambiguous":
        return None
    return int(re.sub(r"\D", "", body))


def is_plain_count(text: pl.Expr) -> pl.Expr:
    """Cells that `parse_value` reads as the whole number their digits say, whatever the
    decimal mark: tested over a whole column at once, so Python parses only the other texts."""
    return text.str.contains(_PLAIN_COUNT)


def may_show_decimal_mark(text: pl.Expr) -> pl.Expr:
    """Cells `evidence` can draw a decimal mark from: only those with a comma or a point."""
    return text.str.contains(r"[.,]")


def _looks_numeric(body: str) -> bool:
    return bool(re.fullmatch(r"[\d.,\s]+", body))


def _number(body: str, mark: str | None) -> str | None:
    """Digits with a '.' decimal point, 'ambiguous', or None when the text is not a number."""
    if _PLAIN.match(body):
        return body
    if not re.fullmatch(r"\d[\d.,]*", body) or body[-1] in ",.":
        return None
    commas, points = body.count(","), body.count(".")
    if commas and points:
        decimal = "," if body.rfind(",") > body.rfind(".") else "."
        if not _valid_mixed(body, decimal):
            return None
        whole, _, frac = body.rpartition(decimal)
        return re.sub(r"[.,]", "", whole) + "." + frac
    sep = "," if commas else "."
    if commas + points > 1:
        return body.replace(sep, "") if _valid_groups(body, sep) else None
    whole, frac = body.split(sep)
    if len(frac) != 3 or len(whole) > 3 or whole == "0":
        return f"{whole}.{frac}"  # the only reading: sep is the decimal mark
    if mark is None:
        return "ambiguous"
    return f"{whole}.{frac}" if sep == mark else whole + frac
