"""pages.caching.per_version: one cache entry per data version and choices, the snapshot passed
on but never part of the key (issue 20: Streamlit's hashing of each argument cost about 0.1 ms
an argument on every call)."""

from __future__ import annotations

import pytest
import streamlit as st

from indicators.store import DataVersion
from pages.caching import per_version, version_key

V1 = DataVersion("a" * 32, 1)
V2 = DataVersion("a" * 32, 2)


@pytest.fixture(autouse=True)
def _empty_caches():
    st.cache_resource.clear()
    yield
    st.cache_resource.clear()


def _counting():
    calls: list[tuple] = []

    @per_version(8)
    def built(version, year, scopes, _snapshot):
        calls.append((version.number, year, scopes, _snapshot))
        return (version.number, year, scopes, _snapshot)

    return built, calls


def test_same_version_and_choices_are_built_once_whatever_the_snapshot_object():
    built, calls = _counting()
    first = built(V1, 2020, ("GBR", "FRA"), "snapshot one")
    again = built(V1, 2020, ("GBR", "FRA"), "another snapshot object")
    assert again is first
    assert calls == [(1, 2020, ("GBR", "FRA"), "snapshot one")]


def test_a_new_version_or_a_new_choice_is_built_anew():
    built, calls = _counting()
    built(V1, 2020, ("GBR",), "s")
    built(V2, 2020, ("GBR",), "s")
    built(V1, 2021, ("GBR",), "s")
    built(V1, 2020, ("GBR", "FRA"), "s")
    built(V1, 2020, ("FRA", "GBR"), "s")  # the order of the scopes is the chart's order
    assert [c[:3] for c in calls] == [(1, 2020, ("GBR",)), (2, 2020, ("GBR",)),
                                      (1, 2021, ("GBR",)), (1, 2020, ("GBR", "FRA")),
                                      (1, 2020, ("FRA", "GBR"))]


def test_text_numbers_and_booleans_never_share_a_key():
    keys = {version_key(V1, (value,)) for value in (1, "1", True, 1.0, None, "None", (1,))}
    assert len(keys) == 7


def test_two_cached_functions_keep_apart_even_with_the_same_choices():
    @per_version(8)
    def one(version, year, _snapshot):
        return ("one", year)

    @per_version(8)
    def two(version, year, _snapshot):
        return ("two", year)

    assert one(V1, 2020, None) == ("one", 2020)
    assert two(V1, 2020, None) == ("two", 2020)


def test_clearing_streamlits_caches_clears_them_too():
    built, calls = _counting()
    built(V1, 2020, (), "s")
    st.cache_resource.clear()
    built(V1, 2020, (), "s")
    assert len(calls) == 2


def test_a_choice_that_is_not_a_plain_value_is_refused():
    built, _calls = _counting()
    with pytest.raises(TypeError, match="plain choices"):
        built(V1, 2020, ["GBR"], "s")  # a list: its repr would not tell a tuple apart
