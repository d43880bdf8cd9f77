"""The two importers on small frames shaped like the published files (synthetic rows).

The real files are checked in tests/integration/test_bundled.py.
"""

from __future__ import annotations

import polars as pl
import pytest

from indicators.sources import unodc_glotip, walkfree_gsi
from indicators.validate import validate_long

GLOTIP_COLUMNS = ["Iso3_code", "Country", "Region", "Subregion", "Indicator", "Dimension",
                  "Category", "Sex", "Age", "Year", "Unit of measurement", "txtVALUE", "Source"]


def glotip_row(iso3, country, indicator, year, text, *, sex="Total", dimension="Total"):
    return [iso3, country, "Europe", "Northern Europe", indicator, dimension, "Total", sex,
            "Total", year, "Counts", text, "GLOTIP"]


def glotip_frame(rows: list[list]) -> pl.DataFrame:
    schema = {c: pl.String for c in GLOTIP_COLUMNS} | {"Year": pl.Int64}
    return pl.DataFrame(rows, schema=schema, orient="row")


GLOTIP_SAMPLE = glotip_frame([
    glotip_row("GBR", "United Kingdom", "Detected trafficking victims", 2019, "10,627"),
    glotip_row("GBR", "United Kingdom", "Persons convicted", 2019, "251"),
    glotip_row("GBR", "United Kingdom", "Persons prosecuted", 2019, " <5 "),
    glotip_row("GBR", "United Kingdom", "Persons brought into formal contact", 2019, "1,240"),
    glotip_row("GBR", "United Kingdom", "Offences of trafficking in persons", 2019, "0"),
    # a breakdown, not a national total
    glotip_row("GBR", "United Kingdom", "Detected trafficking victims", 2019, "4,000",
               sex="Female"),
    glotip_row("GBR", "United Kingdom", "Persons convicted", 2019, "12",
               dimension="by form of exploitation"),
    # a UNODC subregional grouping: a code, no country name
    glotip_row("SAM", None, "Detected trafficking victims", 2019, "3,559"),
    # a row with no ISO3 code (as Sark's rows are)
    glotip_row(None, "Sark", "Detected trafficking victims", 2019, "<5"),
])


def test_glotip_keeps_national_totals_of_countries_only():
    totals = unodc_glotip.national_totals(GLOTIP_SAMPLE)
    assert totals.height == 5
    assert set(totals["Iso3_code"]) == {"GBR"}


def test_glotip_to_long():
    long = unodc_glotip.to_long(GLOTIP_SAMPLE).sort("measure")
    validate_long(long, "sample.xlsx")
    rows = {r["measure"]: r for r in long.iter_rows(named=True)}
    assert set(rows) == {"victims_detected", "persons_convicted", "persons_prosecuted",
                         "suspects", "offences_recorded"}
    assert rows["victims_detected"]["value"] == 10_627  # "10,627"
    assert rows["suspects"]["value"] == 1_240  # "1,240"
    assert rows["persons_convicted"]["value"] == 251
    assert rows["offences_recorded"]["value"] == 0  # a reported zero stays a zero
    suppressed = rows["persons_prosecuted"]  # " <5 "
    assert (suppressed["value"], suppressed["value_status"], suppressed["lower"],
            suppressed["upper"]) == (None, "suppressed", 1.0, 4.0)
    for measure in ("victims_detected", "persons_convicted"):
        assert rows[measure]["value_status"] == "reported"
        assert rows[measure]["lower"] is None and rows[measure]["upper"] is None
    assert set(long["source_id"]) == {unodc_glotip.SOURCE.id}
    assert set(long["year"]) == {2019}


@pytest.mark.parametrize(
    ("text", "value"),
    [("1,240", 1240.0), (" 12 ", 12.0), ("0", 0.0), ("<5", None), ("", None), ("n/a", None)],
)
def test_glotip_parse_count(text, value):
    parsed = pl.select(unodc_glotip.parse_count(pl.lit(text))).item()
    assert parsed == value


def test_glotip_country_names_are_kept_as_aliases():
    names = unodc_glotip.country_names(GLOTIP_SAMPLE)
    assert names.rows() == [("GBR", "United Kingdom")]


WALKFREE_SAMPLE = pl.DataFrame({
    "Country": ["United Kingdom", "Georgia", "Antigua and Barbuda", "Palau", "Türkiye"],
    "Population": ["  67,886,000 ", "  3,989,000 ", "  98,000 ", "  -   ", " 84,339,000 "],
    "Region": ["Europe and Central Asia"] * 2 + ["Americas", "Asia and the Pacific",
                                                 "Europe and Central Asia"],
    "Estimated prevalence of modern slavery per 1,000 population": ["1.8", "7.8", None, "",
                                                                    "15.6"],
    "Estimated number of people in modern slavery": ["122,000", "31,000", None, "  -   ",
                                                     "1,320,000"],
})


@pytest.mark.parametrize(
    ("text", "value"),
    [("  38,928,000 ", 38_928_000.0), ("122,000", 122_000.0), ("  -   ", None), ("-", None),
     ("", None), (None, None)],
)
def test_walkfree_parse_number(text, value):
    parsed = pl.select(walkfree_gsi.parse_number(pl.lit(text, dtype=pl.String))).item()
    assert parsed == value


def test_walkfree_to_long_drops_gaps_never_zeroes_them():
    long = walkfree_gsi.to_long(WALKFREE_SAMPLE)
    validate_long(long, "sample.csv")
    figures = {(r["iso3"], r["measure"]): r["value"] for r in long.iter_rows(named=True)}
    assert figures == {
        ("GBR", "estimated_victims"): 122_000.0,
        ("GBR", "population"): 67_886_000.0,
        ("GEO", "estimated_victims"): 31_000.0,  # Walk Free's "Georgia" is the country
        ("GEO", "population"): 3_989_000.0,
        ("ATG", "population"): 98_000.0,  # no estimate: absent, not zero
        ("TUR", "estimated_victims"): 1_320_000.0,
        ("TUR", "population"): 84_339_000.0,
        # Palau: "-" in both columns, so nothing at all
    }
    assert set(long["year"]) == {2021}
    assert set(long["value_status"]) == {"estimate"}


def test_walkfree_refuses_a_name_it_cannot_place():
    frame = WALKFREE_SAMPLE.with_columns(
        pl.when(pl.col("Country") == "Palau").then(pl.lit("Congo")).otherwise(pl.col("Country"))
        .alias("Country")
    )
    with pytest.raises(walkfree_gsi.UnknownCountryError, match=r"row 5, column 'Country'.*Congo"):
        walkfree_gsi.to_long(frame)
