"""URL query state: what a link carries comes back exactly; bad values fall back with a notice,
never an exception."""

from __future__ import annotations

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from indicators import page_state
from indicators.measures import COUNT_VIEW_MEASURES, INDICATORS
from indicators.page_state import CompareState, CountryState, OverviewState

SCOPES = ["WORLD", "Africa", "Europe", "GBR", "USA", "NGA", "FRA"]
YEARS = (2003, 2021)


def compare(query):
    return page_state.parse_compare(query, scopes=SCOPES, years=YEARS)


@pytest.mark.parametrize(
    "state",
    [
        CompareState(years=YEARS, scopes=("WORLD", "GBR")),
        CompareState(indicator="identification_rate", scopes=("GBR", "Europe", "WORLD"),
                     years=(2010, 2019), year=2018, baseline=2012, proxies=False,
                     scale="data", map_mode="status"),
        CompareState(scopes=(), years=(2021, 2021), year=None),
        CompareState(scopes=("GBR", "NGA", "WORLD"), years=YEARS, year=2019, scale="log",
                     mark=True),
    ],
)
def test_compare_state_round_trips_through_the_query(state):
    query = page_state.compare_query(state)
    assert all(isinstance(v, str) for v in query.values())
    parsed, notices = compare(query)
    assert parsed == state
    assert notices == []


def test_compare_query_is_readable():
    query = page_state.compare_query(CompareState(
        indicator="identification_rate", scopes=("GBR", "USA"), years=(2010, 2019), year=2018,
        baseline=2012, proxies=False,
    ))
    assert query == {
        "indicator": "identification_rate", "countries": "GBR,USA", "years": "2010-2019",
        "year": "2018", "baseline": "2012", "proxies": "off", "scale": "auto", "map": "value",
        "per": "count",
    }


def test_log_scale_and_marking_the_chosen_countries_travel_in_the_link():
    query = page_state.compare_query(CompareState(scale="log", mark=True, years=YEARS))
    assert (query["scale"], query["mark"]) == ("log", "on")
    assert "mark" not in page_state.compare_query(CompareState(years=YEARS))  # off: not said
    state, notices = compare({"scale": "LOG", "mark": "on"})
    assert (state.scale, state.mark, notices) == ("log", True, [])


def test_an_empty_query_gives_the_defaults_without_notices():
    state, notices = compare({})
    assert state == CompareState(
        indicator="conviction_rate", scopes=("WORLD", "GBR", "USA", "NGA"), years=YEARS,
        year=None, baseline=2015, proxies=True,
    )  # the default AUS and PHL are not in this test's list of scopes
    assert notices == []


def test_links_are_forgiving_about_case_numbers_and_separators():
    state, notices = compare({
        "indicator": "4", "countries": "gbr, europe ,world", "years": "2019–2010",
        "proxies": "OFF",
    })
    assert state.indicator == "identification_rate"
    assert state.scopes == ("GBR", "Europe", "WORLD")
    assert state.years == (2010, 2019)
    assert state.proxies is False
    assert notices == []


@pytest.mark.parametrize(
    ("query", "field", "expected", "words"),
    [
        ({"indicator": "bogus"}, "indicator", "conviction_rate", "indicator called 'bogus'"),
        ({"countries": "GBR,XXX,Atlantis"}, "scopes", ("GBR",), "'XXX', 'Atlantis'"),
        ({"countries": "XXX"}, "scopes", ("WORLD", "GBR", "USA", "NGA"), "default list"),
        ({"years": "abc"}, "years", YEARS, "the years 'abc'"),
        ({"years": "2030-2040"}, "years", YEARS, "2003–2021"),
        ({"year": "1066"}, "year", None, "the recommended year"),
        ({"baseline": "1800"}, "baseline", 2015, "baseline year '1800'"),
        ({"proxies": "maybe"}, "proxies", True, "use 'on' or 'off'"),
        ({"scale": "huge"}, "scale", "auto", "auto, target, data, log"),
        ({"mark": "bold"}, "mark", False, "use 'on' or 'off'"),
        ({"map": "3d"}, "map_mode", "value", "value, status"),
    ],
)
def test_bad_values_fall_back_to_defaults_with_a_notice(query, field, expected, words):
    state, notices = compare(query)
    assert getattr(state, field) == expected
    assert notices
    assert any(words in notice for notice in notices)


def test_every_chosen_scope_is_kept_however_many():
    # the 16 countries of West Africa (ECOWAS and Mauritania), in the order a person typed
    # them: none is dropped (12 were kept before, and NGA, SEN, SLE, TGO vanished)
    west_africa = ["NGA", "BEN", "BFA", "CIV", "CPV", "GHA", "GIN", "GMB", "GNB", "LBR", "MLI",
                   "MRT", "NER", "SEN", "SLE", "TGO"]
    state, notices = page_state.parse_compare(
        {"countries": ",".join(["WORLD", *west_africa])}, scopes=["WORLD", *west_africa],
        years=YEARS)
    assert state.scopes == ("WORLD", *west_africa)
    assert notices == []


def test_notices_never_echo_markup_from_the_url():
    _, notices = compare({"indicator": "<script>alert(1)</script>[x](http://evil)"})
    assert "<" not in notices[0] and "(" not in notices[0].split("showing")[0][30:]
    assert "scriptalert1scriptxhttp:evil" in notices[0]


def test_repeated_names_use_the_last_value_and_lists_are_accepted():
    state, _ = compare({"indicator": ["identification_rate", "conviction_rate"],
                        "countries": ["GBR", "USA,NGA"]})
    assert state.indicator == "conviction_rate"
    assert state.scopes == ("GBR", "USA", "NGA")


def test_country_page_state_round_trips_and_falls_back():
    state = CountryState(country="NGA", indicator="identification_rate", year=2019,
                         baseline=2010, proxies=False, per="100k")
    query = page_state.country_query(state)
    parsed, notices = page_state.parse_country_page(
        query, countries=["GBR", "NGA"], years=YEARS, default_country="GBR")
    assert (parsed, notices) == (state, [])
    parsed, notices = page_state.parse_country_page(
        {"country": "ZZZ"}, countries=["GBR", "NGA"], years=YEARS, default_country="GBR")
    assert parsed.country == "GBR"
    assert "'ZZZ'" in notices[0]
    # the citizenship charts follow the page's year: an old link's own year for them is left
    # out, and said so when it differs from the page's year
    for query, said in (({"year": "2019", "origin_year": "2019"}, False),
                        ({"origin_year": "recommended"}, False),
                        ({"year": "2019", "origin_year": "2017"}, True),
                        ({"origin_year": "2017"}, True)):
        parsed, notices = page_state.parse_country_page(
            query, countries=["GBR"], years=YEARS, default_country="GBR")
        assert not hasattr(parsed, "origin_year")
        assert bool(notices) == said
        assert all("follow the page's year" in n for n in notices)


def test_overview_and_methodology_state_round_trip():
    for state in (OverviewState(), OverviewState(year=2017)):
        parsed, notices = page_state.parse_overview(page_state.overview_query(state),
                                                    years=YEARS)
        assert (parsed, notices) == (state, [])
    parsed, notices = page_state.parse_methodology({"measure": "nonsense"},
                                                   measures=["victims_detected"])
    assert parsed.measure == "victims_detected"
    assert "nonsense" in notices[0]


@settings(max_examples=200, deadline=None)
@given(st.dictionaries(
    st.sampled_from(["indicator", "countries", "years", "year", "baseline", "proxies", "scale",
                     "map", "mark", "country", "per", "origin_year", "other"]),
    st.one_of(st.text(max_size=30), st.lists(st.text(max_size=10), max_size=3)),
))
def test_no_query_ever_raises(query):
    state, notices = compare(query)
    assert state.indicator in {*INDICATORS, *COUNT_VIEW_MEASURES}
    assert state.per in page_state.PER_CHOICES
    assert YEARS[0] <= state.years[0] <= state.years[1] <= YEARS[1]
    assert set(state.scopes) <= set(SCOPES)
    assert all(isinstance(n, str) for n in notices)
    page_state.parse_country_page(query, countries=["GBR"], years=YEARS, default_country="GBR")
    page_state.parse_overview(query, years=YEARS)
