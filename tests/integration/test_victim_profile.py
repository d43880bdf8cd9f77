"""Who the victims are, on the bundled data: the United Kingdom's splits by sex and age and by
form of exploitation in 2019 (counts and per 100,000 people), its victims' citizenships, where
Nigeria's nationals were detected abroad, and New Zealand's '<5' splits as ranges. Every
expected figure is read off UNODC's workbook (data/unodc_glotip) and the World Bank file by
hand."""

from __future__ import annotations

import polars as pl
import pytest

from indicators import victims, views
from indicators.store import Store

GBR_PEOPLE_2019 = 66_631_000


@pytest.fixture(scope="module")
def data(bundled_db_template):
    with Store(bundled_db_template, read_only=True) as store:
        return store.observations(), views.scope_names(store.countries())


def year_rows(rows: pl.DataFrame, year: int) -> dict[str, dict]:
    return {r["label"]: r for r in rows.filter(pl.col("year") == year).iter_rows(named=True)}


def test_gbr_2019_by_sex_and_age_and_per_100000(data):
    observations, _ = data
    splits = victims.victim_splits(observations, "GBR")
    sex_age = year_rows(victims.split_rows(splits, victims.SEX_AGE), 2019)
    assert {k: v["value"] for k, v in sex_age.items()} == {
        "Girls (female, 0–17)": 1_075, "Women (female, 18 or over)": 2_252,
        "Boys (male, 0–17)": 3_470, "Men (male, 18 or over)": 3_608}
    girls = sex_age["Girls (female, 0–17)"]
    assert girls["per_100k"] == pytest.approx(1_075 / GBR_PEOPLE_2019 * 100_000)
    assert (girls["per_100k_text"], girls["population"]) == ("1.61", GBR_PEOPLE_2019)
    assert girls["source"].startswith("UNODC, Global Report on Trafficking in Persons")
    assert girls["population_source"].startswith("World Bank")
    forms = year_rows(victims.split_rows(splits, victims.FORM), 2019)
    # the 2025 workbook (by hand): GBR 2019 by form, sex and age Total: "2,207", "3,797" and
    # "1,533" (other forms were "3,540" in the 2023 release: revised)
    assert {k: v["value"] for k, v in forms.items()} == {
        "Sexual exploitation": 2_207, "Forced labour": 3_797,
        "Other forms of exploitation": 1_533}
    assert forms["Forced labour"]["per_100k_text"] == "5.70"  # 3,797 / 66,631,000 × 100,000


def test_gbr_2019_citizenships_own_nationals_apart(data):
    observations, names = data
    rows = victims.citizenship_rows(observations, "GBR", 2019, names)
    drawn = victims.top_citizenships(rows)
    assert drawn.head(4).select("name", "value").rows() == [
        ("United Kingdom (own nationals)", 2_864), ("Albania", 1_705), ("Vietnam", 887),
        ("China", 798)]
    assert drawn["group"].to_list() == ["own"] + ["country"] * 10
    # the 2025 workbook (by hand): 119 citizenship rows for GBR 2019, with China written
    # 'Chinese' (798), no 'Unknown' or 'Nationality' row (the 2023 release had 62 and 16), and
    # one group, 'Other Central America and Caribbean' 9: eleven drawn, 107 countries not
    assert victims.not_shown_note(rows, drawn) == (
        "Not drawn: 107 more citizenships (each 156 or fewer; 48 of them <5); other "
        "citizenship (other central america and caribbean): 9.")
    assert victims.citizenship_years(observations, "GBR") == [
        2009, 2010, 2012, 2013, 2014, 2015, 2016, 2017, 2018, 2019, 2020, 2021, 2022]


def test_nigerians_detected_abroad_in_2019(data):
    observations, names = data
    rows = victims.detected_abroad(observations, "NGA", 2019, names)
    # the 2025 workbook (by hand): 19 other countries report Nigerian victims for 2019
    # ('Nigerians', 'NIGERIA', 'NIGERIANA'): Netherlands 512, United Kingdom 259, France 94
    # (new in 2025), Italy 43, … six of them '<5'
    assert rows.head(3).select("name", "value_text").rows() == [
        ("Netherlands", "512"), ("United Kingdom", "259"), ("France", "94")]
    assert rows.height == 19
    assert set(rows["reporter"]) >= {"NLD", "GBR", "FRA", "ITA", "CIV", "GTM"}
    assert "NGA" not in set(rows["reporter"])


def test_new_zealands_suppressed_splits_are_ranges_per_100000(data):
    observations, _ = data
    splits = victims.victim_splits(observations, "NZL")
    rows = victims.split_rows(splits, victims.SEX_AGE).filter(pl.col("year") == 2019)
    assert rows.height > 0
    assert set(rows["value_text"]) == {"<5"}
    people = rows["population"][0]
    assert rows["per_100k_lower"].to_list() == pytest.approx([100_000 / people] * rows.height)
    assert rows["per_100k_upper"].to_list() == pytest.approx(
        [4 * 100_000 / people] * rows.height)
    assert rows["per_100k"].null_count() == rows.height  # a range, never a midpoint
