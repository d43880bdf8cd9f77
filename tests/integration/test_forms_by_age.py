"""Forms of exploitation by age and by sex, on the bundled data: Nigeria 2020, read off UNODC's
2025 workbook (data/unodc_glotip_2025/data_glotip.xlsx, sheet data_glotip_1) by hand.

Detected trafficking victims, Nigeria, 2020, dimension 'by form of exploitation':

| row    | form                  | sex    | age              | value |
|--------|-----------------------|--------|------------------|-------|
| 31,697 | Forced labour         | Female | 18 years or over | 100   |
| 31,698 | Forced labour         | Male   | 18 years or over | 61    |
| 31,699 | Forced labour         | Total  | 18 years or over | 161   |
| 31,700 | Forced labour         | Total  | Total            | 310   |
| 31,701 | Sexual exploitation   | Female | 18 years or over | 458   |
| 31,702 | Sexual exploitation   | Male   | 18 years or over | <5    |
| 31,703 | Sexual exploitation   | Total  | 18 years or over | 460   |
| 31,704 | Sexual exploitation   | Total  | Total            | 494   |
| 56,961 | Other forms           | Female | 0 to 17 years    | 246   |
| 56,962 | Other forms           | Female | 18 years or over | 28    |
| 56,963 | Other forms           | Male   | 0 to 17 years    | 95    |
| 56,964 | Other forms           | Male   | 18 years or over | 17    |
| 56,965 | Other forms           | Total  | 0 to 17 years    | 341   |
| 56,966 | Other forms           | Total  | 18 years or over | 45    |
| 56,967 | Other forms           | Total  | Total            | 26    |

By hand: 246 + 95 = 341 children and 28 + 17 = 45 adults (the sex rows add up to the age
rows), 100 + 61 = 161 and 458 + '<5' = 459 to 462 against 460; but 341 + 45 = 386 against
the all-ages row's 26: the 'other forms' all-ages row is not the sum of its age rows. No
children in forced labour or sexual exploitation are published for 2020 (no data, not zero),
and no form by sex over all ages is published at all. The World Bank's Nigeria 2020:
213,996,181 people, so 341 children in other forms are 341 / 213,996,181 × 100,000 = 0.159.
"""

from __future__ import annotations

import datetime as dt

import polars as pl
import pytest

from indicators import brief, page_state, victims
from indicators.api import images, params, queries
from indicators.settings import IndicatorSettings
from indicators.sources import unodc_glotip
from indicators.store import Store


@pytest.fixture(scope="module")
def snapshot(bundled_db_template):
    with Store(bundled_db_template, read_only=True) as store:
        return store.snapshot()


def test_the_workbook_rows_as_read_by_hand():
    """The rows above, straight from the workbook (not through the store)."""
    rows = unodc_glotip.read_published(unodc_glotip.FILE).filter(
        (pl.col("Iso3_code") == "NGA") & (pl.col("Year") == 2020)
        & (pl.col("Indicator") == "Detected trafficking victims")
        & (pl.col("Dimension") == "by form of exploitation"))
    got = {(r["Category"], r["Sex"], r["Age"]): (r["_row"], r["txtVALUE"])
           for r in rows.iter_rows(named=True)}
    other = "Other forms of exploitation"
    assert got[(other, "Total", "Total")] == (56_967, "26")
    assert got[(other, "Total", "0 to 17 years")] == (56_965, "341")
    assert got[(other, "Total", "18 years or over")] == (56_966, "45")
    assert got[(other, "Female", "0 to 17 years")] == (56_961, "246")
    assert got[(other, "Male", "0 to 17 years")] == (56_963, "95")
    assert len(got) == 15
    assert not any(sex != "Total" and age == "Total" for _, sex, age in got)  # no sex alone


def test_nigeria_2020_forms_by_age_and_sex(snapshot):
    rows = victims.forms_by_group(snapshot.observations, "NGA", 2020)
    got = {(r["form"], r["group"]): r["value_text"] for r in rows.iter_rows(named=True)}
    assert got == {
        ("Sexual exploitation", "all ages"): "494", ("Sexual exploitation", "adults"): "460",
        ("Sexual exploitation", "women"): "458", ("Sexual exploitation", "men"): "<5",
        ("Forced labour", "all ages"): "310", ("Forced labour", "adults"): "161",
        ("Forced labour", "women"): "100", ("Forced labour", "men"): "61",
        ("Other forms of exploitation", "all ages"): "26",
        ("Other forms of exploitation", "children"): "341",
        ("Other forms of exploitation", "girls"): "246",
        ("Other forms of exploitation", "boys"): "95",
        ("Other forms of exploitation", "adults"): "45",
        ("Other forms of exploitation", "women"): "28",
        ("Other forms of exploitation", "men"): "17",
    }
    # each figure is one published row, nothing added up (341 + 45 is not 26); the 2025
    # release repeats the 2023 release's figures unchanged, so they keep the batch that first
    # loaded them
    assert rows["source"].unique().to_list() == [unodc_glotip.SOURCE_2023.citation]
    assert victims.forms_by_group_words(rows) == (
        "sexual exploitation: all ages 494, adults 460 (women 458, men <5); forced labour: "
        "all ages 310, adults 161 (women 100, men 61); other forms of exploitation: all ages "
        "26, children 341 (girls 246, boys 95), adults 45 (women 28, men 17)")


def test_the_chart_of_children_draws_341_and_no_other_form_that_year(snapshot):
    asked = images.ask(snapshot, "victims", {"country": "NGA", "split": "form",
                                             "age": "0-17"})
    made = images.build(snapshot, asked)
    in_2020 = made.data.filter(pl.col("year") == 2020)
    assert in_2020.select("category", "value_text").rows() == [
        ("form=other_forms|age=0-17", "341")]  # forced labour, sexual: no data, not zero
    assert round(in_2020["per_100k"][0], 3) == round(341 / 213_996_181 * 100_000, 3) == 0.159
    assert "children (0–17)" in made.fig.layout.title.text
    girls = images.build(snapshot, images.ask(snapshot, "victims", {
        "country": "NGA", "split": "form", "age": "0-17", "sex": "female"}))
    assert girls.data.filter(pl.col("year") == 2020)["value_text"].to_list() == ["246"]
    # all ages: the form alone, as the page showed it before (26)
    every = images.build(snapshot, images.ask(snapshot, "victims", {
        "country": "NGA", "split": "form"}))
    assert dict(every.data.filter(pl.col("year") == 2020).select(
        "label", "value_text").rows())["Other forms of exploitation"] == "26"
    # a '+' the link did not encode arrives as a space, and still means adults
    adults = images.ask(snapshot, "victims", {"country": "NGA", "split": "form",
                                              "age": "18 "})
    assert adults.form_age == "18+"


def test_sex_over_all_ages_is_refused_in_one_sentence(snapshot):
    with pytest.raises(params.ApiError) as raised:
        images.ask(snapshot, "victims", {"country": "NGA", "split": "form", "sex": "male"})
    assert raised.value.status == 400
    assert raised.value.sentence == (
        "UNODC publishes forms of exploitation by sex only for children or for adults, not for "
        "all ages: give age=0-17 or age=18+.")
    state, notices = page_state.parse_country_page(
        {"country": "NGA", "age": "all", "sex": "female"}, countries=["NGA"],
        years=(2003, 2022), default_country="NGA")
    assert (state.form_age, state.form_sex) == ("all", "all") and len(notices) == 1
    state, notices = page_state.parse_country_page(
        {"country": "NGA", "age": "18 ", "sex": "male"}, countries=["NGA"],
        years=(2003, 2022), default_country="NGA")
    assert (state.form_age, state.form_sex, notices) == ("18+", "male", [])
    assert page_state.country_query(state)["age"] == "18+"


def test_the_brief_says_the_forms_by_age_and_sex(snapshot):
    settings = IndicatorSettings()
    frame = queries.indicator_frame(snapshot, settings.baseline_year, settings.use_proxies,
                                    None)
    made = brief.country_brief("NGA", frame=frame, observations=snapshot.observations,
                               countries=snapshot.countries, sources=snapshot.sources,
                               settings=settings, year=2020, made_on=dt.date(2026, 12, 7))
    text = " ".join(made.sections[0].text)
    # the all-ages figure first, with its rate: 26 / 213,996,181 × 100,000 = 0.0121
    assert ("by form, age and sex in 2020 (all ages first): sexual exploitation 494 (0.23), "
            "adults 460 (women 458, men <5); forced labour 310 (0.14), adults 161 (women 100, "
            "men 61); other forms of exploitation 26 (0.012), children 341 (girls 246, boys "
            "95), adults 45 (women 28, men 17).") in text
