"""Value axes: linear or log, their range (with or without the target), tick formats and
ticks in the words the values use ('1 in 1,000', '10%', '2,000'), and the footer notes a log
axis needs."""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass
from decimal import Decimal

from indicators.i18n import N_, localise_value, translator
from indicators.value_text import ONE_IN_BELOW, one_in

LOG_NOTE = N_("Log scale: each step up the axis is ten times the one below.")
LOG_ZERO_NOTE = N_("A value of zero cannot be drawn on a log scale: {n} such value(s) are left "
                   "out of the picture (they are in the CSV).")
LOG_CHANGE_NOTE = N_("A change can be negative, so it is drawn on a linear scale.")


# -- axis formats --------------------------------------------------------------------------------
def tick_format(unit: str, high: float | None) -> str:
    """d3 format for an axis whose largest value is ``high``."""
    if unit == "share":
        top = abs(high or 0)
        digits = 0 if top >= 0.1 else 1 if top >= 0.01 else 2 if top >= 0.001 else 3
        return f".{digits}%"
    if unit == "change":
        return "+.0%"
    if unit == "per_100k":
        return ",.2~f" if abs(high or 0) >= 0.1 else ",.4~f"
    return ",.0f"


COUNT_TICKS = 6  # at most this many steps up a count axis


def count_dtick(unit: str, high: float | None) -> int | None:
    """The step between ticks on a count axis (people, offences) running up to ``high``: a
    whole number always (1 up to 10, then 2, 5, 10, 20 … for at most ``COUNT_TICKS`` steps),
    so the axis never reads '0 1 1 2 2 3' (Plotly's own 0.5 steps printed without decimals).
    None for other units and an axis without values (Plotly's own ticks)."""
    if unit != "count" or high is None or high <= 0:
        return None
    if high <= 10:
        return 1
    return max(1, int(_nice(high / COUNT_TICKS)))


def _value_axis(
    lows: Sequence[float], highs: Sequence[float], target: float | None, unit: str, scale: str
) -> tuple[list[float] | None, bool]:
    """The value axis range and whether the target is on it.

    ``scale``: 'target' always includes the target; 'data' fits the data; 'auto' includes the
    target unless it is more than three times the largest value (then the data would be a flat
    line at the bottom, and the chart says where the target is instead).
    """
    if not highs:
        if target is None:
            return None, False
        top = target * 1.15 if target > 0 else (1.0 if unit in ("share", "change") else 10.0)
        return [min(0.0, target), top], True
    low = min(0.0, min(lows))
    high = max(highs)
    include = target is not None and (
        scale == "target"
        or (scale == "auto" and (target <= 0 or high <= 0 or target <= 3 * high))
    )
    if include and target is not None:
        high = max(high, target)
        low = min(low, target)
    span = (high - low) or abs(high) or 1.0
    return [low - (0.02 * span if low < 0 else 0), high + 0.08 * span], include


# Automatic scale: a log axis when the values drawn span more than this ratio (two orders of
# magnitude), so a country at 0.07% is not flattened onto the zero line under one at 8.7%.
LOG_SPAN = 100.0


@dataclass(frozen=True)
class ValueAxis:
    """A value axis: its range (log10 units on a log axis), whether the target is on it, its
    type, tick values and words (None: Plotly's own), and notes for the footer."""

    range: list[float] | None
    target_shown: bool
    kind: str = "linear"
    tickvals: list[float] | None = None
    ticktext: list[str] | None = None
    notes: tuple[str, ...] = ()


def axis_kind(lows: Sequence[float], highs: Sequence[float], unit: str, scale: str) -> str:
    """'log' or 'linear'. 'log' when asked for (and a value is above zero), or on 'auto' when
    every value is above zero and the largest is more than LOG_SPAN times the smallest. A
    change can be negative: always linear."""
    if unit == "change" or scale not in ("auto", "log"):
        return "linear"
    positive = [v for v in (*lows, *highs) if v > 0]
    if not positive:
        return "linear"
    if scale == "log":
        return "log"
    if any(v <= 0 for v in lows):
        return "linear"
    return "log" if max(positive) / min(positive) > LOG_SPAN else "linear"


def tick_text(value: float, unit: str, lang: str | None = None) -> str:
    """An axis tick in the words the values use: '1 in 1,000', '10%', '2,000'; in ``lang``'s
    notation ('1 sur 1 000', '10 %'; English by default)."""
    if unit == "share":
        if value <= 0:
            return "0"
        text = f"1 in {one_in(value):,}" if value < ONE_IN_BELOW else f"{value * 100:g}%"
    elif unit == "change":
        text = f"{value * 100:+g}%"
    else:
        text = f"{value:,.0f}" if value >= 1 else f"{value:g}"
    return localise_value(text, lang)


def _log_ticks(low: float, high: float, unit: str,
               lang: str | None = None) -> tuple[list[float], list[str]]:
    first, last = math.floor(math.log10(low)), math.ceil(math.log10(high))
    decades = [10.0 ** k for k in range(first, last + 1)]
    values = decades if last - first > 3 else sorted({d * m for d in decades for m in (1, 2, 5)})
    values = [v for v in values if low / 1.4 <= v <= high * 1.4]
    return values, [tick_text(v, unit, lang) for v in values]


EVEN_STEPS_NOTE = N_("The axis steps evenly in percent, so equal gaps are equal differences; "
                     "'1 in N' under each step is the same share said another way, and its N "
                     "does not step evenly.")


def even_share_tick(value: float, lang: str | None = None) -> str:
    """A tick on a linear share axis under 1%: the percent, which steps evenly, with '1 in N'
    under it ('0.02%<br>1 in 5,000'; '0,02 %<br>1 sur 5 000'); zero is '0'."""
    if value <= 0:
        return "0"
    percent = format(Decimal(repr(round(value * 100, 12))).normalize(), "f")
    return f"{localise_value(percent + '%', lang)}<br>{tick_text(value, 'share', lang)}"


def _linear_share_ticks(axis_range: list[float], lang: str | None = None
                        ) -> tuple[list[float] | None, list[str] | None]:
    """Ticks for a share axis that stays under 1%: in even percent steps, each with its
    '1 in N' (``even_share_tick``): N alone at even spacing would read as even distances."""
    low, high = axis_range
    if high >= ONE_IN_BELOW or high <= 0:
        return None, None
    step = _nice((high - max(low, 0.0)) / 5)
    values = [i * step for i in range(0, int(high / step) + 1)]
    return values, [even_share_tick(v, lang) for v in values]


def value_axis(lows: Sequence[float], highs: Sequence[float], target: float | None, unit: str,
               scale: str, lang: str | None = None) -> ValueAxis:
    """The value axis for ``scale`` ('auto', 'target', 'data' or 'log'; see ``axis_kind``);
    its ticks and notes in ``lang`` (English by default)."""
    _ = translator(lang)
    notes: list[str] = []
    if scale == "log" and unit == "change":
        notes.append(_(LOG_CHANGE_NOTE))
    if highs and axis_kind(lows, highs, unit, scale) == "log":
        positive = [v for v in (*lows, *highs) if v > 0]
        low, high = min(positive), max(positive)
        shown = target is not None and target > 0
        if shown and target is not None:
            low, high = min(low, target), max(high, target)
        zeros = sum(1 for v in lows if v <= 0)
        if zeros:
            notes.append(_(LOG_ZERO_NOTE).format(n=zeros))
        notes.append(_(LOG_NOTE))
        values, words = _log_ticks(low, high, unit, lang)
        return ValueAxis([math.log10(low) - 0.15, math.log10(high) + 0.15], shown, "log",
                         values, words, tuple(notes))
    axis_range, shown = _value_axis(lows, highs, target, unit, scale)
    values, words = (_linear_share_ticks(axis_range, lang) if unit == "share" and axis_range
                     else (None, None))
    if words:
        notes.append(_(EVEN_STEPS_NOTE))
    return ValueAxis(axis_range, shown, "linear", values, words, tuple(notes))


def _nice(value: float) -> float:
    """A round number close to ``value`` (1, 2 or 5 times a power of ten)."""
    if value <= 0:
        return 0.0
    power = 10 ** math.floor(math.log10(value))
    for step in (1, 2, 5, 10):
        if value <= step * power * 1.0000001:
            return step * power
    return 10 * power
