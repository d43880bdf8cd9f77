"""Figures written for people, a whole column at a time, exactly as one at a time."""

from __future__ import annotations

import polars as pl
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from indicators.upload.checks import number_text, number_texts

VALUES = st.one_of(
    st.none(),
    st.integers(0, 10**16).map(float),
    st.sampled_from([0.0, -0.0, 12.5, 0.125, 999.999, 1e15, 2.0**53, -5.0, float("inf")]),
    st.floats(allow_nan=False, min_value=-1e6, max_value=1e18),
)
FIGURES = st.tuples(
    VALUES,
    st.sampled_from([None, "reported", "suppressed", "estimate"]),
    st.sampled_from([(None, None), (1.0, 4.0), (2.0, 3.0), (None, 4.0)]),
)


@settings(max_examples=200, deadline=None)
@given(figures=st.lists(FIGURES, max_size=30))
def test_a_column_of_figures_reads_as_each_figure_does(figures):
    value = pl.Series([f[0] for f in figures], dtype=pl.Float64)
    status = pl.Series([f[1] for f in figures], dtype=pl.String)
    lower = pl.Series([f[2][0] for f in figures], dtype=pl.Float64)
    upper = pl.Series([f[2][1] for f in figures], dtype=pl.Float64)
    assert number_texts(value, status, lower, upper).to_list() == [
        number_text(v, s, lo, hi) for v, s, (lo, hi) in figures]
    assert number_texts(value).to_list() == [number_text(v) for v, _, _ in figures]


@pytest.mark.parametrize(("value", "text"), [
    (0.0, "0"), (7.0, "7"), (999.0, "999"), (1240.0, "1,240"), (1234567.0, "1,234,567"),
    (12.5, "12.5"), (-0.0, "-0"), (None, "no data")])
def test_whole_numbers_are_grouped_in_thousands(value, text):
    assert number_texts(pl.Series([value], dtype=pl.Float64)).to_list() == [text]


def test_a_suppressed_count_is_less_than_five():
    texts = number_texts(pl.Series([None, None], dtype=pl.Float64),
                         pl.Series(["suppressed", "suppressed"]),
                         pl.Series([1.0, 2.0]), pl.Series([4.0, 3.0]))
    assert texts.to_list() == ["<5", "2–3"]
