"""Who the victims are, on a small hand-built frame with hand-computed answers: the splits by
sex and age and by form (counts and per 100,000 people, '<5' as ranges), the citizenships with
the own nationals apart, and a country's nationals detected abroad; and the charts drawn from
them.

The frame is synthetic (made up here); AAA, BBB and CCC are not real countries.
"""

from __future__ import annotations

import polars as pl
import pytest

from indicators import charts, victims
from indicators.charts import RANGE_NOTE, figure_texts
from tests.unit.test_compute import fig, obs

V = "victims_detected"
NAMES = {"AAA": "Aland", "BBB": "Bland", "CCC": "Cland", "DDD": "Dland"}


def victim_rows(country: str, first: str, second: str) -> list[dict]:
    """The figures the victims' tests share, here and in test_chart_families_languages: in
    2019 ``country`` detects 100 victims among 2,000,000 people, 20 girls, '<5' men and 60 in
    forced labour; 30 'nationals', 5 of its own code, 40 of ``first``'s citizens, '<5' of
    ``second``'s and 9 of unknown citizenship; ``first`` detects 15 of its nationals, ``second``
    '<5'."""
    return [
        fig(country, 2019, V, 100),
        fig(country, 2019, "population", 2_000_000),
        fig(country, 2019, f"{V}|sex=female|age=0-17", 20),
        fig(country, 2019, f"{V}|sex=male|age=18+", "<5"),
        fig(country, 2019, f"{V}|form=forced_labour", 60),
        fig(country, 2019, f"{V}|citizenship=nationals", 30),
        fig(country, 2019, f"{V}|citizenship={country}", 5),
        fig(country, 2019, f"{V}|citizenship={first}", 40),
        fig(country, 2019, f"{V}|citizenship={second}", "<5"),
        fig(country, 2019, f"{V}|citizenship=unknown", 9),
        fig(first, 2019, f"{V}|citizenship={country}", 15),
        fig(second, 2019, f"{V}|citizenship={country}", "<5"),
    ]


ROWS = [
    # citizenships: own nationals both as 'nationals' and as its own code, then others; AAA's
    # nationals detected by BBB and CCC
    *victim_rows("AAA", "BBB", "CCC"),
    fig("AAA", 2019, f"{V}|age=0-17", 25),  # repeats the sex × age figures: not drawn
    fig("AAA", 2019, f"{V}|form=forced_labour|sex=male|age=18+", 50),  # not the form split
    # 2018: no sex × age figure, so the age-only ones stand in; no population figure
    fig("AAA", 2018, f"{V}|age=0-17", 7),
    fig("AAA", 2018, f"{V}|age=18+", "<5"),
    fig("AAA", 2019, f"{V}|citizenship=DDD", 12),
    fig("AAA", 2019, f"{V}|citizenship=other:africa_others", 3),
    fig("CCC", 2017, f"{V}|citizenship=AAA", 2),
]


def frame() -> pl.DataFrame:
    return obs(ROWS)


def by_label(rows: pl.DataFrame) -> dict[tuple[int, str], dict]:
    return {(r["year"], r["label"]): r for r in rows.iter_rows(named=True)}


def test_sex_and_age_with_per_100000_and_ranges():
    splits = victims.victim_splits(frame(), "AAA")
    sex_age = by_label(victims.split_rows(splits, victims.SEX_AGE))
    girls = sex_age[(2019, "Girls (female, 0–17)")]
    assert (girls["value"], girls["value_text"]) == (20, "20")
    assert girls["per_100k"] == pytest.approx(20 / 2_000_000 * 100_000)  # 1.00
    assert girls["per_100k_text"] == "1.00"
    men = sex_age[(2019, "Men (male, 18 or over)")]
    assert (men["value"], men["lower"], men["upper"], men["value_text"]) == (None, 1, 4, "<5")
    assert (men["per_100k_lower"], men["per_100k_upper"]) == pytest.approx((0.05, 0.2))
    assert men["per_100k_text"] == "0.050–0.20"
    # 2019 has sex × age figures, so its age-only figure is left out; 2018 has only age
    assert (2019, "0–17, sex not given") not in sex_age
    young = sex_age[(2018, "0–17, sex not given")]
    assert (young["value"], young["per_100k"], young["per_100k_text"]) == (7, None, "no data")
    assert sex_age[(2018, "18 or over, sex not given")]["value_text"] == "<5"
    assert len(sex_age) == 4  # nothing invented for the groups not published


def test_forms_are_the_form_split_alone_and_never_added_up():
    splits = victims.victim_splits(frame(), "AAA")
    forms = victims.split_rows(splits, victims.FORM)
    assert forms["label"].to_list() == ["Forced labour"]
    assert forms["value"].to_list() == [60]
    assert forms["per_100k"].to_list() == [pytest.approx(3.0)]
    # a country with no breakdown gets no rows at all, not zeros
    assert victims.victim_splits(frame(), "BBB").is_empty()


def test_citizenships_put_own_nationals_apart_then_the_largest():
    rows = victims.citizenship_rows(frame(), "AAA", 2019, NAMES)
    assert rows["name"].to_list() == [
        "Own nationals", "Aland (own nationals)", "Bland", "Dland", "Cland",
        "Other citizenship (africa others)", "Citizenship unknown"]
    assert rows["group"].to_list() == ["own", "own", "country", "country", "country", "other",
                                       "unknown"]
    drawn = victims.top_citizenships(rows, top=2)
    assert drawn["name"].to_list() == ["Own nationals", "Aland (own nationals)", "Bland",
                                       "Dland"]
    assert victims.not_shown_note(rows, drawn) == (
        "Not drawn: 1 more citizenship (<5); other citizenship (africa others): 3; "
        "citizenship unknown: 9.")
    assert victims.citizenship_years(frame(), "AAA") == [2019]


def test_nationals_detected_abroad_come_from_other_countries_figures():
    rows = victims.detected_abroad(frame(), "AAA", 2019, NAMES)
    assert rows["name"].to_list() == ["Bland", "Cland"]
    assert rows["value_text"].to_list() == ["15", "<5"]
    assert (rows["lower"].to_list(), rows["upper"].to_list()) == ([15, 1], [15, 4])
    assert victims.abroad_years(frame(), "AAA") == [2017, 2019]
    assert victims.origin_years(frame(), "AAA") == [2017, 2019]
    drawn = victims.top_abroad(rows, top=1)
    assert victims.abroad_not_shown_note(rows, drawn) == "Not drawn: 1 more country (<5)."
    # AAA's own figure for its own nationals (5) is not 'abroad'; Bland's nationals were
    # detected in Aland
    bland = victims.detected_abroad(frame(), "BBB", 2019, NAMES)
    assert (bland["name"].to_list(), bland["value"].to_list()) == (["Aland"], [40])


def test_the_split_chart_draws_a_band_for_a_range_and_says_what_it_shows():
    splits = victims.victim_splits(frame(), "AAA")
    rows = victims.split_rows(splits, victims.SEX_AGE)
    sources = pl.DataFrame({"id": ["s"], "publisher": ["P"], "title": ["T"], "edition": ["E"],
                            "citation": ["Synthetic source"]})
    fig = charts.split_lines(rows, victims.SEX_AGE, country_name="Aland",
                             sources=sources, years=(2018, 2019), per_100k=True)
    words = figure_texts(fig)
    assert "Aland: detected victims by sex and age, per 100,000 people, 2018–2019" in words
    assert RANGE_NOTE in words and charts.PER_100K_NOTE in words
    assert charts.BREAKDOWN_NOTE in words
    assert "Source: Synthetic source." in words
    ranges = [t for t in fig.data if t.meta and t.meta.get("role") == "range"]
    assert ranges  # the men's '<5' as a band
    assert fig.layout.yaxis.title.text == "Detected victims per 100,000 people"
    # 2018 has no population: the per-100,000 lines have gaps there, not zeros
    girls = next(t for t in fig.data if t.meta and t.meta.get("role") == "line"
                 and t.meta.get("scope") == "sex=female|age=0-17")
    assert list(girls.y) == [None, pytest.approx(1.0)]


def test_the_citizenship_chart_sets_own_nationals_apart_and_hatches_ranges():
    rows = victims.citizenship_rows(frame(), "AAA", 2019, NAMES)
    drawn = victims.top_citizenships(rows)
    sources = pl.DataFrame({"id": ["s"], "publisher": ["P"], "title": ["T"], "edition": ["E"],
                            "citation": ["Synthetic source"]})
    fig = charts.citizenship_bars(drawn, country_name="Aland", year=2019,
                                  sources=sources,
                                  note=victims.not_shown_note(rows, drawn))
    roles = {t.meta["role"]: t for t in fig.data}
    assert list(roles["own"].y) == ["Own nationals", "Aland (own nationals)"]
    assert roles["own"].marker.pattern.shape == "x"  # apart in greyscale too
    assert list(roles["place_range"].y) == ["Cland"]
    assert list(roles["place_range"].base) == [1] and list(roles["place_range"].x) == [3]
    assert "Aland: citizenship of the victims detected in 2019" in figure_texts(fig)
    assert "Not drawn: other citizenship (africa others): 3" in figure_texts(fig)
    empty = charts.abroad_bars(drawn.clear(), country_name="Aland", year=None,
                               sources=sources)
    assert "No other country reported victims with the citizenship of Aland." in \
        figure_texts(empty)


def test_each_chart_has_its_sentence():
    splits = victims.victim_splits(frame(), "AAA")
    rows = victims.split_rows(splits, victims.SEX_AGE)
    assert charts.split_alt(rows, victims.SEX_AGE, country_name="Aland") == (
        "Aland, detected victims by sex and age: girls (female, 0–17) 20 in 2019; men (male, 18 "
        "or over) <5 in 2019; 0–17, sex not given 7 in 2018; 18 or over, sex not given <5 in "
        "2018.")
    forms = victims.split_rows(splits, victims.FORM)
    assert charts.split_alt(forms, victims.FORM, country_name="Aland",
                            per_100k=True) == (
        "Aland, detected victims by form of exploitation per 100,000 people: forced labour 3.00 "
        "in 2019.")
    drawn = victims.top_abroad(victims.detected_abroad(frame(), "AAA", 2019, NAMES))
    assert charts.places_alt(drawn, title="Citizens of Aland abroad in 2019") == (
        "Citizens of Aland abroad in 2019: Bland 15; Cland <5.")


def test_the_nearest_year_with_figures():
    # AAA's nationals abroad: 2017 and 2019. 2018 is as close to both: the later is offered
    years = victims.abroad_years(frame(), "AAA")
    assert victims.nearest(years, 2018) == 2019
    assert victims.nearest(years, 2016) == 2017
    assert victims.nearest(years, 2021) == 2019
    assert victims.nearest(years, 2019) == 2019
    assert victims.nearest([], 2019) is None


SOURCES = pl.DataFrame({"id": ["s"], "publisher": ["P"], "title": ["T"], "edition": ["E"],
                        "citation": ["Synthetic source"]})


def test_count_axes_of_the_victims_charts_read_in_whole_numbers():
    # AAA's nationals abroad in 2017: CCC's 2 alone; the axis runs to 2 × 1.2 = 2.4, which
    # Plotly would tick at 0.5 and print '0 1 1 2 2': one whole step instead
    abroad = charts.abroad_bars(victims.detected_abroad(frame(), "AAA", 2017, NAMES),
                                country_name="Aland", year=2017, sources=SOURCES)
    assert (abroad.layout.xaxis.tickformat, abroad.layout.xaxis.dtick) == (",.0f", 1)
    # the citizenships of 2019: the largest, Bland's 40, → 48: a step of 10 (48 / 6 = 8 → 10)
    rows = victims.citizenship_rows(frame(), "AAA", 2019, NAMES)
    bars = charts.citizenship_bars(victims.top_citizenships(rows), country_name="Aland",
                                   year=2019, sources=SOURCES)
    assert (bars.layout.xaxis.tickformat, bars.layout.xaxis.dtick) == (",.0f", 10)
    # sex and age, counts: girls 20 → 22 (× 1.1): 22 / 6 = 3.7 → a step of 5
    split = victims.split_rows(victims.victim_splits(frame(), "AAA"), victims.SEX_AGE)
    counts = charts.split_lines(split, victims.SEX_AGE, country_name="Aland", sources=SOURCES,
                                years=(2018, 2019))
    assert (counts.layout.yaxis.tickformat, counts.layout.yaxis.dtick) == (",.0f", 5)
    # per 100,000 people is not a count: decimals stay, Plotly's own steps
    per = charts.split_lines(split, victims.SEX_AGE, country_name="Aland", sources=SOURCES,
                             years=(2018, 2019), per_100k=True)
    assert per.layout.yaxis.dtick is None
