"""The bundled UNODC, Walk Free and World Bank files as loaded into the database, checked
against the files.

The expected numbers were read off the published files by hand (see each test's comment).
"""

from __future__ import annotations

from pathlib import Path

import polars as pl
import pytest

from indicators.compute import WORLD, compute_indicators
from indicators.settings import IndicatorSettings
from indicators.sources import unodc_glotip, unodc_sdg, walkfree_gsi, worldbank_population
from indicators.store import Store, file_sha256

SUBREGIONAL_CODES = ("CAR", "CAS", "EEU", "MCA", "MCN", "SAF", "SAM")


@pytest.fixture(scope="module")
def store(bundled_db_template: Path):
    with Store(bundled_db_template, read_only=True) as opened:
        yield opened


@pytest.fixture(scope="module")
def all_observations(store: Store) -> pl.DataFrame:
    return store.observations()


@pytest.fixture(scope="module")
def observations(all_observations: pl.DataFrame) -> pl.DataFrame:
    """Every figure but UNODC's breakdowns (tested in test_breakdowns.py)."""
    return all_observations.filter(~pl.col("measure").str.contains("|", literal=True))


@pytest.fixture(scope="module")
def published_glotip() -> pl.DataFrame:
    """The current release: UNODC's data portal release of 14 April 2025."""
    return unodc_glotip.read_published()


@pytest.fixture(scope="module")
def published_glotip_2023() -> pl.DataFrame:
    """The release of 30 May 2023, loaded first as history."""
    return unodc_glotip.read_published(unodc_glotip.FILE_2023)


def _national_totals(published: pl.DataFrame) -> pl.DataFrame:
    """Every row with Dimension = Category = Sex = Age = Total, whatever its code or name."""
    return published.filter(
        (pl.col("Dimension") == "Total") & (pl.col("Category") == "Total")
        & (pl.col("Sex") == "Total") & (pl.col("Age") == "Total")
    )


def figure(observations: pl.DataFrame, iso3: str, year: int, measure: str) -> dict:
    rows = observations.filter(
        (pl.col("iso3") == iso3) & (pl.col("year") == year) & (pl.col("measure") == measure)
    )
    assert rows.height == 1, (iso3, year, measure, rows.height)
    return rows.row(0, named=True)


@pytest.mark.parametrize(
    ("iso3", "year", "measure", "value", "status", "source"),
    [
        # UNODC workbook, United Kingdom 2019 national totals
        ("GBR", 2019, "persons_convicted", 251, "reported", "unodc_glotip_2023"),
        ("GBR", 2019, "persons_prosecuted", 251, "reported", "unodc_glotip_2023"),
        ("GBR", 2019, "suspects", 322, "reported", "unodc_glotip_2023"),
        ("GBR", 2019, "victims_detected", 10_627, "reported", "unodc_glotip_2023"),  # "10,627"
        ("ARG", 2012, "offences_recorded", 1_757, "reported", "unodc_glotip_2023"),  # "1,757"
        # Walk Free GSI 2023: United Kingdom "122,000" and "  67,886,000 " (2021)
        ("GBR", 2021, "estimated_victims", 122_000, "estimate", "walkfree_gsi_2023"),
        ("GBR", 2021, "gsi_population", 67_886_000, "estimate", "walkfree_gsi_2023"),
        ("GEO", 2021, "estimated_victims", 31_000, "estimate", "walkfree_gsi_2023"),
        ("ATG", 2021, "gsi_population", 98_000, "estimate", "walkfree_gsi_2023"),
        # World Bank SP.POP.TOTL (PROVENANCE.md checks): the general population series
        ("GBR", 2019, "population", 66_631_000, "estimate", "worldbank_population_2026-03-06"),
        ("NGA", 2019, "population", 209_485_641, "estimate", "worldbank_population_2026-03-06"),
        ("CIV", 2021, "population", 29_639_736, "estimate", "worldbank_population_2026-03-06"),
        ("GBR", 2021, "population", 66_984_000, "estimate", "worldbank_population_2026-03-06"),
        ("ABW", 1960, "population", 54_922, "estimate", "worldbank_population_2026-03-06"),
    ],
)
def test_published_figures(observations, iso3, year, measure, value, status, source):
    row = figure(observations, iso3, year, measure)
    assert row["value"] == value
    assert row["value_status"] == status
    assert row["lower"] is None and row["upper"] is None
    assert row["source_id"] == source


def test_definitional_break_in_united_kingdom_detected_victims(observations):
    # UNODC: 596 (2015), 601 (2016), then "5,138" (2017) after the UK widened its recording.
    series = observations.filter(
        (pl.col("iso3") == "GBR") & (pl.col("measure") == "victims_detected")
    ).sort("year")
    values = dict(zip(series["year"], series["value"], strict=True))
    assert (values[2015], values[2016], values[2017], values[2018]) == (596, 601, 5_138, 6_985)


def test_suppressed_rows_are_ranges_without_a_value(observations):
    suppressed = observations.filter(pl.col("value_status") == "suppressed")
    assert suppressed["value"].null_count() == suppressed.height
    assert set(suppressed["lower"]) == {1.0}
    assert set(suppressed["upper"]) == {4.0}
    # a '<5' both releases published keeps the 2023 release that first published it
    assert set(suppressed["source_id"]) == {"unodc_glotip_2023", "unodc_glotip_2025"}
    # e.g. Iceland's persons convicted in 2019 were published as "<5". The national totals
    # shown are the 2025 workbook's: its '<5' rows per indicator (PROVENANCE.md, counted
    # again by hand with openpyxl)
    per_measure = dict(suppressed.group_by("measure").len().iter_rows())
    assert per_measure == {"victims_detected": 182, "persons_convicted": 618,
                           "persons_prosecuted": 398, "suspects": 203, "offences_recorded": 283}
    # every other figure has a value
    others = observations.filter(pl.col("value_status") != "suppressed")
    assert others["value"].null_count() == 0


def test_row_counts(observations, all_observations, store):
    counts = dict(observations.group_by("measure").len().iter_rows())
    assert counts == {
        # national totals of the 5 UNODC indicators in the 2025 workbook (PROVENANCE.md,
        # counted again by hand; it has no subregional grouping rows): every figure of the
        # 2023 release it no longer has is withdrawn
        "victims_detected": 1_662, "persons_convicted": 1_593, "persons_prosecuted": 1_528,
        "suspects": 1_087, "offences_recorded": 1_333,
        # Walk Free: 180 rows; 20 without an estimate, 4 without a population ("-")
        "estimated_victims": 160, "gsi_population": 176,
        # World Bank: 265 codes less 48 aggregates and the Channel Islands, 1960–2024, except
        # West Bank and Gaza (PSE) from 1990 only
        "population": 215 * 65 + 35,
        # UNODC's SDG data set: 16.2.2's 1,713 national rates (sex and age Total, PROVENANCE)
        # less 123 empty cells
        "victims_per_100k": 1_590,
    }
    breakdowns = all_observations.filter(pl.col("measure").str.contains("|", literal=True))
    # the 2025 release's 57,729 figures less its 7,203 national totals
    assert breakdowns.height == 50_526  # tests/integration/test_breakdowns.py says which
    assert all_observations.height == store.observation_count() == (
        7_203 + 336 + 14_010 + 50_526 + 1_590)
    batches = store.batches().sort("id")
    assert batches.select("kind", "file_name", "rows_in_file", "status").rows() == [
        ("bundled", "data_glotip.xlsx", 6_183 + 38_672, "committed"),  # UNODC 2023
        ("bundled", "Global_Slavery_Index_2023.csv", 336, "committed"),
        ("bundled", "population.csv", 14_010, "committed"),
        ("bundled", "data_glotip.xlsx", 7_203 + 50_526, "committed"),  # UNODC 2025
        ("bundled", "sdg_dataset.xlsx", 1_590, "committed"),  # UNODC SDG data set, batch 5
    ]


def test_walkfree_gaps_are_absent_not_zero(observations):
    walkfree = observations.filter(pl.col("source_id") == "walkfree_gsi_2023")
    assert walkfree.filter(pl.col("value") == 0).height == 0
    # Antigua and Barbuda: population 98,000 but an empty estimate
    assert walkfree.filter((pl.col("iso3") == "ATG")
                           & (pl.col("measure") == "estimated_victims")).height == 0
    # Palau: "-" for population and an empty estimate: nothing at all
    assert walkfree.filter(pl.col("iso3") == "PLW").height == 0
    # Kosovo: population "-", estimate 14,000
    kosovo = dict(walkfree.filter(pl.col("iso3") == "XKX").select("measure", "value").rows())
    assert kosovo == {"estimated_victims": 14_000}
    # total over the 160 countries with an estimate: 49.63 million (Walk Free's own total)
    estimates = walkfree.filter(pl.col("measure") == "estimated_victims")
    assert estimates["value"].sum() == 49_630_000


def test_unodc_groupings_and_rows_without_a_code_are_left_out(observations, published_glotip,
                                                             published_glotip_2023):
    codes = set(observations["iso3"])
    assert not codes & set(SUBREGIONAL_CODES)
    assert observations["iso3"].null_count() == 0
    assert observations["iso3"].str.contains(r"^[A-Z]{3}$").all()
    # the 2023 file does have those rows: national totals of groupings with a code but no
    # country name (the 2025 file has none)...
    groupings = _national_totals(published_glotip_2023).filter(pl.col("Country").is_null())
    assert set(groupings["Iso3_code"]) == set(SUBREGIONAL_CODES)
    assert _national_totals(published_glotip).filter(pl.col("Country").is_null()).is_empty()
    # ...and both have Sark, whose rows have no ISO3 code (and are all breakdowns)
    for published in (published_glotip_2023, published_glotip):
        no_code = published.filter(pl.col("Iso3_code").is_null())
        assert set(no_code["Country"]) == {"Sark"}


def test_detected_victims_2019_country_sum_and_the_provenance_total(
    observations, published_glotip, published_glotip_2023
):
    # The 2023 release, data/unodc_glotip/PROVENANCE.md: "Sum over the 119 countries reporting
    # detected victims for 2019: 53,229". 3 of those 119 rows are UNODC subregional groupings
    # (SAF 98, SAM "3,559", MCN "<5"): countries alone, 116 rows, 18 "<5", 98 summing 49,572.
    totals = _national_totals(published_glotip_2023).filter(
        (pl.col("Indicator") == "Detected trafficking victims") & (pl.col("Year") == 2019)
    )
    assert totals.height == 119
    groupings = dict(totals.filter(pl.col("Country").is_null())
                     .select("Iso3_code", "txtVALUE").rows())
    assert groupings == {"SAF": "98", "SAM": "3,559", "MCN": "<5"}
    assert 49_572 + 98 + 3_559 == 53_229
    # The current figures are the 2025 release's (counted by hand with openpyxl): 134
    # countries for 2019, no groupings, 18 "<5", the other 116 summing to 82,291 (Pakistan's
    # 32,022, "<5" in 2023, among them)
    detected = observations.filter(
        (pl.col("measure") == "victims_detected") & (pl.col("year") == 2019)
    )
    assert detected.height == 134
    assert detected["value"].null_count() == 18
    assert detected["value"].sum() == 82_291
    current = _national_totals(published_glotip).filter(
        (pl.col("Indicator") == "Detected trafficking victims") & (pl.col("Year") == 2019))
    assert current.height == 134 and current["Country"].null_count() == 0


def test_sources_and_countries_are_recorded(store):
    sources = {r["id"]: r for r in store.sources().iter_rows(named=True)}
    assert set(sources) == {"unodc_glotip_2023", "unodc_glotip_2025", "walkfree_gsi_2023",
                            "worldbank_population_2026-03-06", "unodc_sdg_2025"}
    assert sources["unodc_sdg_2025"]["sha256"] == file_sha256(unodc_sdg.FILE) == (
        "5998cc21bd46881d0a811aeecd6dc540fce128caa3b185b28db17c49092891ed")  # PROVENANCE.md
    assert (sources["unodc_sdg_2025"]["publisher"], sources["unodc_sdg_2025"]["citation"]) == (
        "UNODC", "UNODC, SDG indicator data (release 15 May 2025)")
    assert sources["unodc_glotip_2023"]["sha256"] == file_sha256(unodc_glotip.FILE_2023)
    assert sources["unodc_glotip_2025"]["sha256"] == file_sha256(unodc_glotip.FILE) == (
        "24c34b95dfefb520445ef0f8d039727cad6febf0ab36807d5fc0aeee128c413e")  # PROVENANCE.md
    assert sources["unodc_glotip_2025"]["citation"] == (
        "UNODC, Global Report on Trafficking in Persons, data portal (release 14 April 2025)")
    assert sources["walkfree_gsi_2023"]["sha256"] == file_sha256(walkfree_gsi.FILE)
    assert sources["worldbank_population_2026-03-06"]["sha256"] == file_sha256(
        worldbank_population.FILE) == (
        "7d2dd6a17f5ed7916de1f89a9c116791e64d207f2e2f6ce47c57e1ab46f0088a")  # PROVENANCE.md
    assert sources["unodc_glotip_2023"]["publisher"] == "UNODC"
    assert sources["walkfree_gsi_2023"]["publisher"] == "Walk Free"
    assert sources["worldbank_population_2026-03-06"]["publisher"] == "World Bank"
    countries = {r["iso3"]: r for r in store.countries().iter_rows(named=True)}
    assert countries["GBR"]["region"] == "Europe"
    assert countries["GBR"]["subregion"] == "Northern Europe"
    assert "united kingdom" in countries["GBR"]["aliases"]
    assert "türkiye" in countries["TUR"]["aliases"]  # UNODC's and Walk Free's spelling
    assert "korea, rep" in countries["KOR"]["aliases"]  # the World Bank's "Korea, Rep."
    # an ambiguous name is never an alias: "Georgia" alone does not match GEO
    assert countries["GEO"]["aliases"] == []
    assert set(store.measures()["name"]) >= {"estimated_victims", "victims_prosecuted"}


def test_the_bundled_data_through_the_indicators(observations, all_observations, store):
    result = compute_indicators(all_observations, store.countries(), IndicatorSettings())
    # Breakdowns change nothing: the same rows as from the figures the indicators read
    # (UNODC's five national totals, Walk Free's estimates and, for SDG 16.2.2 only, the
    # World Bank population and UNODC's published rate) alone.
    totals = ["victims_detected", "persons_prosecuted", "persons_convicted", "suspects",
              "offences_recorded", "estimated_victims"]
    inputs = all_observations.filter(pl.col("measure").is_in([*totals, "population",
                                                              "victims_per_100k"]))
    assert result.equals(compute_indicators(inputs, store.countries(), IndicatorSettings()))
    # and the population changes nothing in the paper's five
    five = pl.col("indicator") != "victims_per_100k"
    without = compute_indicators(all_observations.filter(pl.col("measure").is_in(totals)),
                                 store.countries(), IndicatorSettings())
    assert result.filter(five).equals(without.filter(five))
    gbr = result.filter((pl.col("scope") == "GBR") & (pl.col("year") == 2019))
    rows = {r["indicator"]: r for r in gbr.iter_rows(named=True)}
    assert rows["conviction_rate"]["value"] == pytest.approx(251 / 122_000, rel=1e-12)
    assert rows["identification_rate"]["value"] == pytest.approx(10_627 / 122_000, rel=1e-12)
    # the reporting increase falls back to detected victims: 10,627 / 596 − 1
    assert rows["reporting_increase"]["value"] == pytest.approx(10_627 / 596 - 1)
    assert rows["reporting_increase"]["proxy"] is not None
    assert rows["victims_prosecuted"]["status"] == "no_data"
    # WORLD 2019 data sharing (proxy): every country with any UNODC national total that year
    # (141 in the 2025 workbook, counted by hand)
    reporting_2019 = observations.filter(
        (pl.col("year") == 2019) & pl.col("source_id").str.starts_with("unodc_glotip_")
    )["iso3"].n_unique()
    world = result.filter((pl.col("scope") == WORLD) & (pl.col("year") == 2019)
                          & (pl.col("indicator") == "data_sharing_countries")).row(0, named=True)
    assert world["value"] == reporting_2019 == 141
    assert (world["status"], world["basis"]) == ("met_on_proxy", "proxy")


def test_population_series_for_sdg_16_2_2(observations):
    """World Bank aggregates are not countries; GBR 2019: 10,627 detected victims per
    66,631,000 people is 15.95 per 100,000 (PROVENANCE.md)."""
    population = observations.filter(pl.col("measure") == "population")
    assert set(population["source_id"]) == {"worldbank_population_2026-03-06"}
    assert not set(population["iso3"]) & {*worldbank_population.AGGREGATES, "CHI"}
    assert population["iso3"].n_unique() == 216
    assert (population["year"].min(), population["year"].max()) == (1960, 2024)
    detected = figure(observations, "GBR", 2019, "victims_detected")["value"]
    people = figure(observations, "GBR", 2019, "population")["value"]
    assert round(detected / people * 100_000, 2) == 15.95


def test_sdg_16_2_2_as_unodc_publishes_it(observations):
    """UNODC's SDG data set: 16.2.2's national rate only, per country, as published (counted
    by hand with openpyxl: 1,713 rows with sex and age Total, 123 of them empty, 169 countries
    with a value, years 2007–2023; PROVENANCE.md)."""
    rates = observations.filter(pl.col("measure") == "victims_per_100k")
    assert set(rates["source_id"]) == {"unodc_sdg_2025"}
    assert set(rates["value_status"]) == {"reported"}
    assert rates.height == 1_590 and rates["value"].null_count() == 0
    assert rates["iso3"].n_unique() == 169
    assert (rates["year"].min(), rates["year"].max()) == (2007, 2023)
    for iso3, year, value in (("MDA", 2007, 7.74), ("SYC", 2020, 77.31), ("GBR", 2021, 18.77),
                              ("GBR", 2009, 0.88)):
        assert figure(observations, iso3, year, "victims_per_100k")["value"] == value
    # where the computation differs: Moldova 2007, 298 ÷ 2,874,299 × 100,000 = 10.37
    detected = figure(observations, "MDA", 2007, "victims_detected")["value"]
    people = figure(observations, "MDA", 2007, "population")["value"]
    assert (detected, people) == (298, 2_874_299)
    assert round(detected / people * 100_000, 2) == 10.37
