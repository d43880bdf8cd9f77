"""Numbers as spreadsheets in different languages write them, and when they are ambiguous."""

from __future__ import annotations

import polars as pl
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from indicators.upload.numbers import (
    decimal_mark,
    evidence,
    is_plain_count,
    may_show_decimal_mark,
    parse_value,
    thousands_reading,
)


@pytest.mark.parametrize(
    ("text", "mark", "value"),
    [
        ("1240", None, 1240.0),
        ("1,240", ".", 1240.0),
        ("1,240", ",", 1.24),
        ("1.240", ",", 1240.0),
        ("1.240", ".", 1.24),
        ("1 240", None, 1240.0),
        ("1\u00a0240", None, 1240.0),  # no-break space, as French Excel writes
        ("1\u202f240,5", ",", 1240.5),  # narrow no-break space
        ("1'240", None, 1240.0),  # Swiss
        ("1.240,5", None, 1240.5),  # both marks: the last one is the decimal mark
        ("1,240.5", None, 1240.5),
        ("1,240,000", None, 1240000.0),
        ("1.240.000", None, 1240000.0),
        ("12,5", None, 12.5),  # not three digits after the mark: only one reading
        ("0,240", None, 0.24),  # a thousands group never starts with 0
        ("12345,678", None, 12345.678),
        ("+7", None, 7.0),
        ("-12", None, -12.0),
    ],
)
def test_numbers(text, mark, value):
    parsed = parse_value(text, mark)
    assert parsed.kind == "number"
    assert parsed.value == value


@pytest.mark.parametrize(
    ("text", "kind"),
    [
        ("", "missing"), ("n/a", "missing"), ("NA", "missing"), ("-", "missing"),
        ("..", "missing"), ("…", "missing"),
        ("<5", "suppressed"), ("< 5", "suppressed"),
        ("<10", "other_suppressed"),
        ("=SUM(A1:A3)", "formula"), ("@SUM(1)", "formula"), ("+cmd|' /C calc'!A0", "formula"),
        ("-2+3", "formula"),
        ("1,240", "ambiguous"), ("1.240", "ambiguous"),
        ("1.2E+06", "scientific"),
        ("about 40", "text"), ("1,24,000", "text"), ("12 5", "text"), ("1.", "text"),
    ],
)
def test_not_plain_numbers(text, kind):
    assert parse_value(text, None).kind == kind


def test_suppressed_is_a_range_from_one_to_four():
    parsed = parse_value("<5", None)
    assert (parsed.value, parsed.lower, parsed.upper, parsed.status) == (
        None, 1.0, 4.0, "suppressed")


def test_percent_is_flagged():
    parsed = parse_value("45%", ".")
    assert parsed.percent and parsed.value == 45.0


@pytest.mark.parametrize(
    ("text", "found"),
    [("12,5", ","), ("12.25", "."), ("1.240,5", ","), ("1,240.5", "."), ("1,240,000", "."),
     ("1.240.000", ","), ("1,240", None), ("1240", None), ("abc", None)],
)
def test_evidence(text, found):
    assert evidence(text) == found


def test_decimal_mark_from_values_then_delimiter():
    assert decimal_mark(["1,240", "12.5"], ";").mark == "."  # a value settles it
    assert decimal_mark(["1.240", "3"], ";").mark == ","  # semicolons: decimal comma
    assert decimal_mark(["1,240"], ",").mark == "."
    assert decimal_mark(["1,240"], "\t").mark is None
    both = decimal_mark(["12,5", "7.25"], ";")
    assert both.mark is None and both.conflict
    assert "'12,5'" in both.reason and "'7.25'" in both.reason


VALUE_TEXTS = st.one_of(
    st.from_regex(r"[0-9]{1,20}", fullmatch=True),
    st.text(alphabet=st.sampled_from(list("0123456789,.- %<'e٣\u00a0")), max_size=8),
)


@settings(max_examples=300, deadline=None)
@given(texts=st.lists(VALUE_TEXTS, min_size=1, max_size=20),
       mark=st.sampled_from([None, ",", "."]))
def test_the_column_tests_agree_with_parse_value_and_evidence(texts, mark):
    """Plain counts skip parse_value and texts without ',' or '.' skip evidence: both column
    tests must let through exactly what those functions would read the same way."""
    column = pl.Series("value", texts).to_frame().with_columns(
        is_plain_count(pl.col("value")).alias("plain"),
        pl.col("value").cast(pl.Float64, strict=False).alias("number"),
        may_show_decimal_mark(pl.col("value")).alias("may_show"),
    )
    for text, plain, number, may_show in column.iter_rows():
        parsed = parse_value(text, mark)
        if plain:
            assert (parsed.kind, parsed.value, parsed.lower, parsed.upper, parsed.percent) \
                == ("number", number, None, None, False)
        if not may_show:
            assert evidence(text) is None


@pytest.mark.parametrize(("text", "plain"), [
    ("0", True), ("1240", True), ("000123456789012", True), ("1234567890123456", False),
    ("1,240", False), ("<5", False), ("٣", False), (" 12", False), ("12.0", False)])
def test_plain_counts(text, plain):
    assert pl.select(is_plain_count(pl.lit(text))).item() is plain


@pytest.mark.parametrize("text", ["inf", "INF", "-inf", "+inf", "Infinity", "-Infinity", "nan",
                                  "NaN", "∞", "#NUM!", "#DIV/0!"])
def test_numbers_that_are_not_finite_are_their_own_kind_not_missing(text):
    assert parse_value(text, ".").kind == "not_finite"


@pytest.mark.parametrize(
    ("text", "whole"),
    [("1.234", 1234), ("1,234", 1234), ("12.345", 12345), (" 999.999 ", 999999),
     ("12.5", None), ("0.234", None), ("1234.567", None), ("1.234.567", None), ("-1.234", None),
     ("1.234%", None), ("40", None), ("about 1.234", None)],
)
def test_thousands_reading_is_the_count_a_single_separator_could_group(text, whole):
    assert thousands_reading(text) == whole
