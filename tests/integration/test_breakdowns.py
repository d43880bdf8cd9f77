"""UNODC's breakdowns as loaded: every one traced to its row of the workbook, counted, never
added into a total, and checked against the totals they break down.

Where the parts of a breakdown add up to more than their whole, it is UNODC's own figures that
do so (each part is one row of the workbook, as published); docs/methodology.md lists these
cases. The expected counts were read off the workbook by the independent computations here.

They audit the release of 30 May 2023 (data/unodc_glotip/), loaded first as the 2025 release's
history: its workbook against the figures its batch wrote, which the store keeps whatever the
later release revised or withdrew.
"""

from __future__ import annotations

from pathlib import Path

import polars as pl
import pytest

from indicators.countries import country_table
from indicators.sources import unodc_glotip
from indicators.store import Store

GROUPS = {  # figures per measure and dimensions
    "victims_detected|form": 3_743, "victims_detected|citizenship": 7_109,
    "victims_detected|repatriation": 1_828, "victims_detected|sex": 2_544,
    "victims_detected|age": 2_919, "victims_detected|form|age": 1_107,
    "victims_detected|sex|age": 5_016, "victims_detected|form|sex|age": 5_725,
    "persons_prosecuted|sex": 643, "persons_prosecuted|age": 278,
    "persons_prosecuted|sex|age": 1_230,
    "persons_convicted|form": 1_629, "persons_convicted|citizenship": 612,
    "persons_convicted|sex": 655, "persons_convicted|age": 259,
    "persons_convicted|sex|age": 1_281,
    "suspects|sex": 601, "suspects|age": 300, "suspects|sex|age": 1_193,
}
TOTAL_KEYS = ["Iso3_code", "Indicator", "Dimension", "Category", "Sex", "Age", "Year"]


@pytest.fixture(scope="module")
def published() -> pl.DataFrame:
    return unodc_glotip.read_published(unodc_glotip.FILE_2023)


@pytest.fixture(scope="module")
def shaped(published):
    return unodc_glotip.shape(published, unodc_glotip.SOURCE_2023.id)


@pytest.fixture(scope="module")
def stored(bundled_db_template: Path) -> pl.DataFrame:
    """Every figure the 2023 release's batch wrote (the history keeps them all)."""
    with Store(bundled_db_template, read_only=True) as store:
        return store.observations(history=True).filter(
            pl.col("source_id") == unodc_glotip.SOURCE_2023.id)


def _country_rows(published: pl.DataFrame) -> pl.DataFrame:
    codes = country_table()["iso3"].to_list()
    return published.filter(pl.col("Iso3_code").is_in(codes) & pl.col("Country").is_not_null())


def test_breakdown_counts(stored):
    breakdowns = stored.filter(pl.col("measure").str.contains("|", literal=True))
    groups = breakdowns.with_columns(
        pl.col("measure").str.replace_all(r"=[^|]*", "").alias("group")
    ).group_by("group").len()
    assert dict(groups.rows()) == GROUPS
    assert breakdowns.height == sum(GROUPS.values()) == 38_672


def test_every_published_breakdown_row_is_one_figure(published, stored):
    """Independently of the importer: the workbook's rows for countries that are not national
    totals, less the two 'TOTAL' lines inside breakdowns, one figure per distinct row; rows
    published twice with different values are left out."""
    rows = _country_rows(published).filter(
        ~((pl.col("Dimension") == "Total") & (pl.col("Sex") == "Total")
          & (pl.col("Age") == "Total"))
        & ~(pl.col("Dimension").is_in(["by citizenship", "by country of repatriation"])
            & pl.col("Category").fill_null("").str.to_uppercase().str.starts_with("TOTAL"))
    )
    distinct = rows.group_by(TOTAL_KEYS, maintain_order=True).agg(
        pl.col("txtVALUE").n_unique().alias("values"), pl.len().alias("rows"))
    assert rows.height == 39_388
    assert distinct.filter(pl.col("values") > 1)["rows"].sum() == 536  # left out, said so
    repeated = distinct.filter((pl.col("values") == 1) & (pl.col("rows") > 1))
    assert (repeated["rows"] - 1).sum() == 180  # the same value twice: one figure
    assert distinct.filter(pl.col("values") == 1).height == 39_388 - 536 - 180 == 38_672
    assert stored.filter(pl.col("measure").str.contains("|", literal=True)).height == 38_672


def test_each_figure_is_its_row_as_published(published, shaped, stored):
    """Every figure carries the value of the one workbook row it came from ('<5' as 1–4), and
    the store holds exactly those figures."""
    long = shaped.long
    rows = published.select(pl.col("_row"), pl.col("txtVALUE").str.strip_chars().alias("text"))
    joined = long.join(rows, on="_row", how="left")
    assert joined["text"].null_count() == 0
    suppressed = joined.filter(pl.col("text") == "<5")
    assert (suppressed["value_status"] == "suppressed").all()
    assert set(suppressed["lower"]) == {1.0} and set(suppressed["upper"]) == {4.0}
    counts = joined.filter(pl.col("text") != "<5")
    assert (counts["value"] == counts["text"].str.replace_all(",", "").cast(pl.Float64)).all()
    key = ["iso3", "year", "measure"]
    columns = [*key, "value", "value_status", "lower", "upper"]
    assert stored.select(columns).sort(key).equals(long.select(columns).sort(key))


def test_citizenship_and_repatriation_categories(stored):
    places = stored.filter(pl.col("measure").str.contains(r"\|(citizenship|repatriation)="))
    kinds = places.with_columns(
        pl.col("measure").str.extract(r"\|(citizenship|repatriation)=", 1).alias("dimension"),
        pl.col("measure").str.extract(r"=([^|]*)$", 1).alias("category"),
    ).with_columns(
        pl.when(pl.col("category").str.contains(r"^[A-Z]{3}$")).then(pl.lit("one country"))
        .when(pl.col("category").str.starts_with("other:")).then(pl.lit("other"))
        .otherwise(pl.col("category")).alias("kind"))
    counts = {(d, k): n for d, k, n in kinds.group_by("dimension", "kind").len().rows()}
    assert counts == {
        ("citizenship", "one country"): 7_149, ("citizenship", "nationals"): 266,
        ("citizenship", "unknown"): 111, ("citizenship", "stateless"): 5,
        ("citizenship", "other"): 190,
        ("repatriation", "one country"): 1_471, ("repatriation", "nationals"): 12,
        ("repatriation", "unknown"): 6, ("repatriation", "other"): 339,
    }
    countries = kinds.filter(pl.col("kind") == "one country")["category"].unique()
    assert countries.len() == 173
    assert set(countries) <= set(country_table()["iso3"])
    # damaged labels resolved: "C\ufffdte d\ufffdIvoire" and "CÃ´te d'Ivoire" are CIV
    assert "victims_detected|citizenship=CIV" in set(places["measure"])


def test_breakdowns_never_enter_a_national_total(published, stored):
    totals = stored.filter(~pl.col("measure").str.contains("|", literal=True))
    rows = _country_rows(published).filter(
        (pl.col("Dimension") == "Total") & (pl.col("Category") == "Total")
        & (pl.col("Sex") == "Total") & (pl.col("Age") == "Total"))
    assert totals.height == rows.height == 6_183


def test_where_breakdowns_exceed_their_totals_it_is_unodcs_own_figures(stored):
    over = unodc_glotip.breakdown_exceedances(stored)
    assert over.height == 3_954
    assert dict(over.group_by("over").len().rows()) == {
        "sex": 1_255, "age": 1_382, "form": 1_162, "citizenship": 106, "repatriation": 49}
    assert over["iso3"].n_unique() == 147
    assert (over["year"].min(), over["year"].max()) == (2007, 2021)
    by_measure = over.with_columns(pl.col("whole").str.extract(r"^([a-z_]+)", 1).alias("base"))
    assert {(b, o): n for b, o, n in by_measure.group_by("base", "over").len().rows()} == {
        # the table in docs/methodology.md
        ("victims_detected", "sex"): 1_009, ("victims_detected", "age"): 733,
        ("victims_detected", "form"): 811, ("victims_detected", "citizenship"): 78,
        ("victims_detected", "repatriation"): 49,
        ("persons_convicted", "sex"): 62, ("persons_convicted", "age"): 196,
        ("persons_convicted", "form"): 351, ("persons_convicted", "citizenship"): 28,
        ("persons_prosecuted", "sex"): 81, ("persons_prosecuted", "age"): 219,
        ("suspects", "sex"): 103, ("suspects", "age"): 234,
    }
    cases = {(r["iso3"], r["year"], r["whole"], r["over"]): (r["parts_low"], r["whole_high"])
             for r in over.iter_rows(named=True)}
    # Viet Nam 2012: convicted for forced labour 301 and sexual exploitation 307, of 307
    assert cases[("VNM", 2012, "persons_convicted", "form")] == (608.0, 307.0)
    # Pakistan 2020: one repatriation category (no name) of "2,020" victims, of 22
    assert cases[("PAK", 2020, "victims_detected", "repatriation")] == (2_020.0, 22.0)
    # Angola 2009: 15 children and '<5' adults, of 15
    assert cases[("AGO", 2009, "victims_detected", "age")] == (16.0, 15.0)
    # Vanuatu 2018: 101 men, and '<5' women, other and unknown, of 101
    assert cases[("VUT", 2018, "victims_detected", "sex")] == (104.0, 101.0)
    # Read '<5' as 0 to 4, and 1,327 cases remain: most come from the 1-to-4 reading
    as_zero = stored.with_columns(
        pl.when(pl.col("value_status") == "suppressed").then(0.0).otherwise(pl.col("lower"))
        .alias("lower"))
    assert unodc_glotip.breakdown_exceedances(as_zero).height == 1_327


def test_citizenship_exceedances_match_the_workbook_read_directly(published, stored):
    """The same check on raw rows, by hand: all citizenship rows of a country, indicator and
    year (the 'TOTAL' line left out) against the national total."""
    def low(text: pl.Expr) -> pl.Expr:
        return pl.when(text == "<5").then(1.0).otherwise(
            text.str.replace_all(",", "").cast(pl.Float64, strict=False))

    def high(text: pl.Expr) -> pl.Expr:
        return pl.when(text == "<5").then(4.0).otherwise(
            text.str.replace_all(",", "").cast(pl.Float64, strict=False))

    rows = _country_rows(published).with_columns(pl.col("txtVALUE").str.strip_chars())
    parts = rows.filter((pl.col("Dimension") == "by citizenship")
                        & (pl.col("Category").fill_null("") != "TOTAL")).group_by(
        "Iso3_code", "Indicator", "Year").agg(low(pl.col("txtVALUE")).sum().alias("parts"))
    wholes = rows.filter((pl.col("Dimension") == "Total") & (pl.col("Sex") == "Total")
                         & (pl.col("Age") == "Total")).select(
        "Iso3_code", "Indicator", "Year", high(pl.col("txtVALUE")).alias("whole"))
    raw = parts.join(wholes, on=["Iso3_code", "Indicator", "Year"]).filter(
        pl.col("parts") > pl.col("whole"))
    loaded = unodc_glotip.breakdown_exceedances(stored).filter(pl.col("over") == "citizenship")
    assert raw.height == loaded.height == 106
    assert sorted(zip(raw["Iso3_code"], raw["Year"], raw["parts"], strict=True)) == sorted(
        zip(loaded["iso3"], loaded["year"], loaded["parts_low"], strict=True))


def test_the_list_in_the_docs_is_the_one_the_data_give(stored):
    """docs/breakdown_exceptions.csv lists every case methodology.md counts, for both bundled
    releases: the 2023 release's rows are what its batch stored gives, the 2025 release's what
    its workbook gives (scripts/breakdown_exceptions.py writes the file)."""
    path = Path(__file__).resolve().parents[2] / "docs" / "breakdown_exceptions.csv"
    listed = pl.read_csv(path, schema_overrides={"year": pl.Int32})
    assert dict(listed.group_by("release").len().rows()) == {
        unodc_glotip.SOURCE_2023.id: 3_954, unodc_glotip.SOURCE.id: 5_656}
    mine = listed.filter(pl.col("release") == unodc_glotip.SOURCE_2023.id).drop("release")
    assert mine.equals(unodc_glotip.exceedances_table(stored))
    latest = listed.filter(pl.col("release") == unodc_glotip.SOURCE.id).drop("release")
    assert latest.equals(unodc_glotip.exceedances_table(unodc_glotip.to_long(
        unodc_glotip.read_published(unodc_glotip.FILE), unodc_glotip.SOURCE.id)))
    # Nigeria 2020, other forms of exploitation: 341 children and 45 adults, of 26 (all ages)
    nga = latest.filter((pl.col("iso3") == "NGA") & (pl.col("year") == 2020)
                        & (pl.col("whole") == "victims_detected|form=other_forms"))
    assert nga.select("over", "parts", "parts_low", "whole_high").rows() == [
        ("age", 2, 386.0, 26.0)]
