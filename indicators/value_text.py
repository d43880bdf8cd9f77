"""Values as people read them: shares as percentages (below 1% as '1 in N'), changes signed,
counts grouped, ranges as a reader quotes them, and a value beside its target in words that
never round across it. English notation; ``i18n.localise_value`` writes it in another
language's."""

from __future__ import annotations

import math

# -- numbers as people say them ------------------------------------------------------------------
# A share below ONE_IN_BELOW is written "1 in N" (N to two significant figures): "1 in 9,900"
# reads aloud where "0.010%" does not. The percent stays in hover text and the CSV.
ONE_IN_BELOW = 0.01


def format_value(value: float | None, unit: str, *, lower: float | None = None,
                 upper: float | None = None, target: float | None = None) -> str:
    """A value as people read it: shares as percentages (below 1%: '1 in N'), changes signed,
    counts grouped.

    A range (from a suppressed '<5' figure) is shown as a reader would quote it ('62–63%',
    '1 in 9,900–10,000', '1–4'); a gap as 'no data'. With a ``target``, the words never round
    across it (``against_target``): +49.59% against +50% is '+49.6%', not '+50%'.
    """
    if value is None and lower is not None and upper is not None:
        return format_range(lower, upper, unit, target=target)
    if value is None:
        return "no data"
    if target is not None:
        return against_target(value, unit, target)
    if unit == "per_100k":
        return f"{value:,.{_rate_decimals(value)}f}"
    if unit == "share":
        return share_text(value)
    if unit == "change":
        return f"{value * 100:+,.0f}%".replace("-0%", "+0%")
    return f"{value:,.0f}"


def one_in(value: float) -> int:
    """N of '1 in N' for a share: 1 ÷ value to two significant figures (9,901 → 9,900)."""
    return int(float(f"{1 / value:.2g}"))


def share_text(value: float) -> str:
    """'8.7%', '0.21%' → '1 in 490', '0%'."""
    if 0 < value < ONE_IN_BELOW:
        return f"1 in {one_in(value):,}"
    return percent_text(value)


def percent_text(value: float) -> str:
    """A share as a percentage with enough digits to tell small values apart: '8.7%',
    '0.21%', '0.010%' (hover text and tables of exact values)."""
    return f"{value * 100:.{_decimals(value * 100)}f}%"


def format_range(lower: float, upper: float, unit: str, *, target: float | None = None) -> str:
    """A range as a reader quotes it: '62–63%', '+62–63%', '−10% to +5%', '1 in 9,900–10,000',
    '1–4'; one figure when both ends read the same. With a ``target``, neither end rounds
    across it (``against_target``)."""
    if target is not None and unit in ("share", "change", "count") and not (
            unit == "share" and 0 < lower and upper < ONE_IN_BELOW):
        return _range_against_target(lower, upper, unit, target)
    if unit == "share":
        if 0 < lower and upper < ONE_IN_BELOW:
            high_n, low_n = one_in(upper), one_in(lower)
            return f"1 in {high_n:,}" if high_n == low_n else f"1 in {high_n:,}–{low_n:,}"
        low, high = percent_text(lower), percent_text(upper)
        return low if low == high else f"{low[:-1]}–{high}"
    if unit == "change":
        low, high = format_value(lower, unit), format_value(upper, unit)
        if low == high:
            return low
        if lower >= 0:
            return f"{low[:-1]}–{high[1:]}"
        return f"{low} to {high}"
    if unit == "per_100k":
        low, high = format_value(lower, unit), format_value(upper, unit)
        return low if low == high else f"{low}–{high}"
    low, high = f"{lower:,.0f}", f"{upper:,.0f}"
    return low if low == high else f"{low}–{high}"


# -- a value beside its target -------------------------------------------------------------------
# Words never round across a target: a value below it never reads as the target or above, a
# value above it never reads as the target or below, and only the target itself reads as it.
# The value gets one more decimal where that is enough ('+49.6%' for 49.59% against +50%);
# otherwise it is 'just under' or 'just over' the target ('just under 30%' for 29.996%).
JUST_UNDER, JUST_OVER = "just under", "just over"


def _side(a: float, b: float) -> int:
    """-1, 0 or 1: ``a`` below, at or above ``b``, compared as the status compares them (so
    the words and the status never disagree)."""
    return (a > b) - (a < b)


def _shown(value: float, unit: str, decimals: int) -> tuple[str, float]:
    """A value with ``decimals`` decimals, and the number a reader takes from it (in the
    value's own unit)."""
    if unit == "share":
        shown = round(value * 100, decimals)
        return f"{shown:.{decimals}f}%", shown / 100
    if unit == "change":
        shown = round(value * 100, decimals)
        text = f"{shown:+,.{decimals}f}%"
        if shown == 0:
            text = text.replace("-", "+")
        return text, shown / 100
    shown = round(value, decimals)
    return f"{shown:,.{decimals}f}", shown


def target_words(target: float, unit: str) -> str:
    """The target as the target text says it: '30%', '+50%', '60'."""
    if unit == "share":
        return f"{target * 100:g}%"
    if unit == "change":
        return f"{target * 100:+g}%"
    return f"{target:,g}"


def _default_decimals(value: float, unit: str) -> int:
    if unit == "share":
        return _decimals(value * 100)
    if unit == "per_100k":
        return _rate_decimals(value)
    return 0


def against_target(value: float, unit: str, target: float) -> str:
    """``format_value`` of a value that is compared with ``target`` in words: the words stay on
    the value's side of the target (see JUST_UNDER). A share below 1% ('1 in N') is far from
    every target and reads as usual."""
    if unit == "share" and 0 < value < ONE_IN_BELOW:
        return share_text(value)
    side = _side(value, target)
    decimals = _default_decimals(value, unit)
    for more in (0, 1):
        text, shown = _shown(value, unit, decimals + more)
        if _side(shown, target) == side:
            return text
    return f"{JUST_UNDER if side < 0 else JUST_OVER} {target_words(target, unit)}"


def _range_against_target(lower: float, upper: float, unit: str, target: float) -> str:
    """A range whose ends each stay on their side of the target: '28.0–29.96%'; an end that
    would need more digits is 'just under 30%', and the ends are then joined by 'to'."""
    def end(value: float) -> str:
        if unit == "share" and value < ONE_IN_BELOW:  # far from every target; a percentage
            return percent_text(value)                # beside the other end, as before
        return against_target(value, unit, target)

    low, high = end(lower), end(upper)
    if low == high:
        return low
    if low.startswith("just") or high.startswith("just"):
        return f"{low} to {high}"
    if unit == "share":
        return f"{low[:-1]}–{high}"
    if unit == "change":
        return f"{low[:-1]}–{high[1:]}" if lower >= 0 else f"{low} to {high}"
    return f"{low}–{high}"


def _rate_decimals(value: float) -> int:
    """Two decimals (15.95); below 0.1, two significant digits (0.0015), so a small rate
    never reads as 0.00."""
    magnitude = abs(value)
    if magnitude == 0 or magnitude >= 0.1:
        return 2
    return 1 - math.floor(math.log10(magnitude))


def _decimals(percent: float) -> int:
    magnitude = abs(percent)
    if magnitude == 0 or magnitude >= 10:
        return 1 if magnitude and magnitude < 100 else 0
    if magnitude >= 1:
        return 1
    if magnitude >= 0.1:
        return 2
    return 3
