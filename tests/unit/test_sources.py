"""The importers on small frames and files shaped like the published ones (synthetic rows).

The real files are checked in tests/integration/test_bundled.py, test_breakdowns.py and
test_source_files.py.
"""

from __future__ import annotations

from pathlib import Path

import polars as pl
import pytest

from indicators.countries import match_published_name
from indicators.problems import ImportRejected
from indicators.schema import PublishedObservations
from indicators.sources import unodc_glotip, walkfree_gsi, worldbank_population
from indicators.tables.header import Column, header_key, read_source_table
from indicators.validate import validate_long

GLOTIP_COLUMNS = ["Iso3_code", "Country", "Region", "Subregion", "Indicator", "Dimension",
                  "Category", "Sex", "Age", "Year", "Unit of measurement", "txtVALUE", "Source"]


def glotip_row(iso3, country, indicator, year, text, *, sex="Total", age="Total",
               dimension="Total", category="Total"):
    return [iso3, country, "Europe", "Northern Europe", indicator, dimension, category, sex,
            age, year, "Counts", text, "GLOTIP"]


def glotip_frame(rows: list[list]) -> pl.DataFrame:
    schema = {c: pl.String for c in GLOTIP_COLUMNS} | {"Year": pl.Int64}
    return pl.DataFrame(rows, schema=schema, orient="row")


VICTIMS = "Detected trafficking victims"
CONVICTED = "Persons convicted"
GLOTIP_SAMPLE = glotip_frame([
    glotip_row("GBR", "United Kingdom", VICTIMS, 2019, "10,627"),
    glotip_row("GBR", "United Kingdom", CONVICTED, 2019, "251"),
    glotip_row("GBR", "United Kingdom", "Persons prosecuted", 2019, " <5 "),
    glotip_row("GBR", "United Kingdom", "Persons brought into formal contact", 2019, "1,240"),
    glotip_row("GBR", "United Kingdom", "Offences of trafficking in persons", 2019, "0"),
    # breakdowns, each its own measure
    glotip_row("GBR", "United Kingdom", VICTIMS, 2019, "4,000", sex="Female"),
    glotip_row("GBR", "United Kingdom", VICTIMS, 2019, "1,500", sex="Female",
               age="0 to 17 years"),
    glotip_row("GBR", "United Kingdom", VICTIMS, 2019, "<5", sex="Unknown", age="Unknown"),
    glotip_row("GBR", "United Kingdom", CONVICTED, 2019, "12",
               dimension="by form of exploitation", category="Forced labour"),
    glotip_row("GBR", "United Kingdom", VICTIMS, 2019, "30", dimension="by form of exploitation",
               category="Sexual exploitation", sex="Male", age="18 years or over"),
    glotip_row("GBR", "United Kingdom", VICTIMS, 2019, "7", dimension="by citizenship",
               category="C\ufffdte d\ufffdIvoire"),
    glotip_row("GBR", "United Kingdom", VICTIMS, 2019, "900", dimension="by citizenship",
               category="Nationals"),
    glotip_row("GBR", "United Kingdom", VICTIMS, 2019, "3", dimension="by citizenship",
               category="Europe others"),
    glotip_row("GBR", "United Kingdom", VICTIMS, 2019, "<5",
               dimension="by country of repatriation", category="Alemania"),
    # a total line inside a breakdown: not a category, left out
    glotip_row("GBR", "United Kingdom", VICTIMS, 2019, "910", dimension="by citizenship",
               category="TOTAL"),
    # published twice with different values: the workbook does not say which is which
    glotip_row("GBR", "United Kingdom", CONVICTED, 2019, "5",
               dimension="by form of exploitation", category="Other forms of exploitation"),
    glotip_row("GBR", "United Kingdom", CONVICTED, 2019, "6",
               dimension="by form of exploitation", category="Other forms of exploitation"),
    # a UNODC subregional grouping: a code, no country name
    glotip_row("SAM", None, VICTIMS, 2019, "3,559"),
    # a row with no ISO3 code (as Sark's rows are)
    glotip_row(None, "Sark", VICTIMS, 2019, "<5"),
])


def test_glotip_keeps_national_totals_of_countries_only():
    totals = unodc_glotip.national_totals(GLOTIP_SAMPLE)
    assert totals.height == 5
    assert set(totals["Iso3_code"]) == {"GBR"}


def figures_by_measure(long: pl.DataFrame) -> dict[str, tuple]:
    return {r["measure"]: (r["value"], r["value_status"], r["lower"], r["upper"])
            for r in long.iter_rows(named=True)}


def test_glotip_to_long_totals_and_breakdowns():
    long = unodc_glotip.to_long(GLOTIP_SAMPLE)
    validate_long(long, "sample.xlsx", PublishedObservations)
    assert figures_by_measure(long) == {
        "victims_detected": (10_627.0, "reported", None, None),  # "10,627"
        "persons_convicted": (251.0, "reported", None, None),
        "persons_prosecuted": (None, "suppressed", 1.0, 4.0),  # " <5 "
        "suspects": (1_240.0, "reported", None, None),  # "1,240"
        "offences_recorded": (0.0, "reported", None, None),  # a reported zero stays a zero
        "victims_detected|sex=female": (4_000.0, "reported", None, None),
        "victims_detected|sex=female|age=0-17": (1_500.0, "reported", None, None),
        "victims_detected|sex=unknown|age=unknown": (None, "suppressed", 1.0, 4.0),
        "persons_convicted|form=forced_labour": (12.0, "reported", None, None),
        "victims_detected|form=sexual_exploitation|sex=male|age=18+": (30.0, "reported", None,
                                                                       None),
        "victims_detected|citizenship=CIV": (7.0, "reported", None, None),
        "victims_detected|citizenship=nationals": (900.0, "reported", None, None),
        "victims_detected|citizenship=other:europe_others": (3.0, "reported", None, None),
        "victims_detected|repatriation=DEU": (None, "suppressed", 1.0, 4.0),
    }
    assert set(long["source_id"]) == {unodc_glotip.SOURCE.id}
    assert set(long["year"]) == {2019} and set(long["iso3"]) == {"GBR"}


def test_glotip_says_what_it_left_out():
    shaped = unodc_glotip.shape(GLOTIP_SAMPLE)
    assert shaped.notes == (
        "1 rows left out: a 'TOTAL' line inside a citizenship or repatriation breakdown.",
        "1 rows left out: a UNODC subregional grouping, not a country.",
        "1 rows left out: no country (no ISO3 code and no country name that can be placed).",
        "2 rows left out: published more than once with different values (the workbook does "
        "not say which is which).",
    )


def test_glotip_same_figures_without_the_code_column():
    by_name = unodc_glotip.to_long(GLOTIP_SAMPLE.drop("Iso3_code", "Source"))
    assert by_name.drop("_row").equals(unodc_glotip.to_long(GLOTIP_SAMPLE).drop("_row"))


@pytest.mark.parametrize(
    ("name", "iso3"),
    [
        ("C\ufffdte d\ufffdIvoire", "CIV"),  # letters lost in a wrong re-encoding
        ("C?te d?Ivoire", "CIV"),  # the same, as some copies show it
        ("CÃ´te d'Ivoire", "CIV"),  # UTF-8 read as Windows-1252
        ("Côte d'Ivoire", "CIV"),
        ("T\ufffdrkiye", "TUR"),
        ("Türkiye", "TUR"),
        ("Congo", "COG"),  # UNODC's Country column uses UN M49 names
        ("Democratic Republic of the Congo", "COD"),
        ("Georgia", "GEO"),
        ("Kosovo under UNSCR 1244", "XKX"),
        ("Bolivia (Plurinational State of)", "BOL"),
        ("Netherlands (Kingdom of the)", "NLD"),
    ],
)
def test_glotip_country_names_without_codes(name, iso3):
    frame = glotip_frame([glotip_row(None, name, VICTIMS, 2019, "12")]).drop("Iso3_code")
    long = unodc_glotip.to_long(frame)
    assert long.select("iso3", "measure", "value").rows() == [(iso3, "victims_detected", 12.0)]


def test_glotip_refuses_a_country_name_it_cannot_place_without_codes():
    frame = glotip_frame([
        glotip_row(None, "United Kingdom", VICTIMS, 2019, "12"),
        glotip_row(None, "Atlantis", VICTIMS, 2019, "3"),
    ]).drop("Iso3_code")
    with pytest.raises(ImportRejected) as refused:
        unodc_glotip.to_long(frame)
    assert str(refused.value) == (
        "row 3, column 'Country', value 'Atlantis': No single country has this name, and the "
        "file has no 'Iso3_code' column to tell. Use the publisher's file with its Iso3_code "
        "column, or write the country's name as UNODC does.")


@pytest.mark.parametrize(
    ("label", "category", "kind"),
    [
        ("Nigeria", "NGA", "country"),
        ("C\ufffdte d\ufffdIvoire", "CIV", "country"),
        ("C?te d?Ivoire", "CIV", "country"),
        ("CÃ´te d'Ivoire", "CIV", "country"),
        ("Canad\ufffd", "CAN", "country"),
        ("PER\ufffd", "PER", "country"),  # a lost 'Ú'
        ("ESPA\ufffdA", "ESP", "country"),
        ("Rep\ufffdblica Dominicana", "DOM", "country"),
        ("Maroc", "MAR", "country"),
        ("Alemania", "DEU", "country"),
        ("Byelorussian", "BLR", "country"),
        ("GUINEA ECUATORIAL", "GNQ", "country"),  # not Guinea
        ("HOLANDA", "NLD", "country"),  # not Poland
        ("MÉXICO", "MEX", "country"),
        ("Georgia", "GEO", "country"),
        ("Nationals", "nationals", "nationals"),
        ("Netherlands (own country)", "nationals", "nationals"),
        ("Ciudadanos de su pa\ufffds", "nationals", "nationals"),
        ("Domestic (Myanmar)", "nationals", "nationals"),
        ("Unknown", "unknown", "unknown"),
        ("Desconocido", "unknown", "unknown"),
        ("N/A", "unknown", "unknown"),
        ("Stateless", "stateless", "stateless"),
        ("Europe others", "other:europe_others", "other"),
        ("M49 Region: Africa", "other:m49_region_africa", "other"),
        ("Congo", "other:congo", "other"),  # Republic of the Congo or DR Congo: not said
        ("PERO", "other:pero", "other"),  # a Spanish word, not certainly Peru
        ("Former Czechoslovakia", "other:former_czechoslovakia", "other"),
        ("97 albanian", "other:97_albanian", "other"),  # a count inside the label
        ("Personnes de nationalit\ufffd \ufffdtrang\ufffdre", "other:foreign_nationals", "other"),
        ("Abroad", "other:abroad", "other"),
        (None, "other:empty", "other"),
        ("0", "other:0", "other"),
        ("TOTAL", None, "total"),
    ],
)
def test_citizenship_labels(label, category, kind):
    assert unodc_glotip.resolve_place(label) == (category, kind)


@pytest.mark.parametrize(("text", "value"), [("1,240", 1240.0), (" 12 ", 12.0), ("0", 0.0),
                                             ("<5", None), ("", None), ("n/a", None)])
def test_glotip_parse_count(text, value):
    parsed = pl.select(unodc_glotip.parse_count(pl.lit(text))).item()
    assert parsed == value


def test_glotip_refuses_a_value_that_is_not_a_count():
    frame = glotip_frame([glotip_row("GBR", "United Kingdom", VICTIMS, 2019, "about 40")])
    with pytest.raises(ImportRejected, match=r"row 2, column 'txtVALUE', value 'about 40': "
                                             r"This is not a count"):
        unodc_glotip.to_long(frame)


def test_glotip_country_names_are_kept_as_aliases():
    names = unodc_glotip.country_names(GLOTIP_SAMPLE)
    assert names.rows() == [("GBR", "United Kingdom")]


def test_breakdown_exceedances_on_hand_made_figures():
    def figure(measure, value=None, suppressed=False):
        return {"iso3": "AAA", "year": 2019, "measure": measure,
                "value": None if suppressed else value,
                "value_status": "suppressed" if suppressed else "reported",
                "lower": 1.0 if suppressed else None, "upper": 4.0 if suppressed else None}

    long = pl.DataFrame([
        figure("victims_detected", 10),
        figure("victims_detected|sex=female", 8),
        figure("victims_detected|sex=male", 2),  # 8 + 2 = 10: fine
        figure("victims_detected|age=0-17", 10),
        figure("victims_detected|age=18+", suppressed=True),  # 10 + (1 to 4) > 10: over
        figure("persons_convicted", suppressed=True),  # 1 to 4
        figure("persons_convicted|form=forced_labour", 3),  # 3 ≤ 4: fine
        figure("persons_convicted|form=sexual_exploitation", 2),  # 3 + 2 > 4: over
    ])
    over = unodc_glotip.breakdown_exceedances(long)
    assert over.select("whole", "over", "parts", "parts_low", "whole_high").rows() == [
        ("persons_convicted", "form", 2, 5.0, 4.0),  # 3 + 2 over at most 4
        ("victims_detected", "age", 2, 11.0, 10.0),  # 10 + at least 1 over 10
    ]


# -- Walk Free -------------------------------------------------------------------------------
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
    validate_long(long, "sample.csv", PublishedObservations)
    figures = {(r["iso3"], r["measure"]): r["value"] for r in long.iter_rows(named=True)}
    assert figures == {
        ("GBR", "estimated_victims"): 122_000.0,
        ("GBR", "gsi_population"): 67_886_000.0,  # Walk Free's, not the population series
        ("GEO", "estimated_victims"): 31_000.0,  # Walk Free's "Georgia" is the country
        ("GEO", "gsi_population"): 3_989_000.0,
        ("ATG", "gsi_population"): 98_000.0,  # no estimate: absent, not zero
        ("TUR", "estimated_victims"): 1_320_000.0,
        ("TUR", "gsi_population"): 84_339_000.0,
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


def test_walkfree_refuses_a_number_it_cannot_read():
    frame = WALKFREE_SAMPLE.with_columns(
        pl.when(pl.col("Country") == "Georgia").then(pl.lit("about 31k"))
        .otherwise(pl.col("Estimated number of people in modern slavery"))
        .alias("Estimated number of people in modern slavery"))
    with pytest.raises(ImportRejected, match=r"column 'Estimated number of people in modern "
                                             r"slavery', value 'about 31k': This is not a num"):
        walkfree_gsi.to_long(frame)


# -- World Bank ------------------------------------------------------------------------------
WORLDBANK_CSV = (
    "Country Name,Country Code,Year,Value\n"
    "United Kingdom,GBR,2019,66631000\n"
    "World,WLD,2019,7778008621\n"
    "European Union,EUU,2019,447000000\n"
    "Channel Islands,CHI,2019,170000\n"
    '"Korea, Rep.",KOR,2019,51764822\n'
    "Cote d'Ivoire,CIV,2021,29639736\n"
    "Nigeria,NGA,1960,45000000\n"
)


def test_worldbank_leaves_aggregates_out(tmp_path: Path):
    path = tmp_path / "population.csv"
    path.write_text(WORLDBANK_CSV, encoding="utf-8")
    shaped = worldbank_population.shape(worldbank_population.read_published(path))
    validate_long(shaped.long, path.name, PublishedObservations)
    assert shaped.long.select("iso3", "year", "measure", "value").sort("iso3").rows() == [
        ("CIV", 2021, "population", 29_639_736.0),
        ("GBR", 2019, "population", 66_631_000.0),
        ("KOR", 2019, "population", 51_764_822.0),
        ("NGA", 1960, "population", 45_000_000.0),  # published series start in 1960
    ]
    assert shaped.notes == (
        "2 rows (2 codes) left out: a World Bank aggregate (region, income group or the world), "
        "not a country.",
        "1 rows (1 codes) left out: a territory that stands for several countries (Channel "
        "Islands).",
    )
    by_name = worldbank_population.shape(
        worldbank_population.read_published(path).drop("Country Code")).long
    assert by_name.sort("iso3").equals(shaped.long.sort("iso3"))


def test_worldbank_years_before_1960_are_refused(tmp_path: Path):
    path = tmp_path / "population.csv"
    path.write_text("Country Name,Country Code,Year,Value\nUnited Kingdom,GBR,1959,1\n",
                    encoding="utf-8")
    long = worldbank_population.to_long(worldbank_population.read_published(path))
    with pytest.raises(ImportRejected, match="The year is before"):
        validate_long(long, path.name, PublishedObservations)


# -- the header row, wherever it is ------------------------------------------------------------
COLUMNS = (Column("Country"), Column("Year"), Column("Value", ("txt value",)),
           Column("Source", required=False))


@pytest.mark.parametrize("header", ["Country,Year,Value", "  COUNTRY ,year,TXT_VALUE",
                                    "Value,Source,country,YEAR"])
def test_header_found_by_its_names(tmp_path: Path, header: str):
    names = [h.strip() for h in header.split(",")]
    rows = {"country": "Ghana", "year": "2019", "value": "7", "txtvalue": "7", "source": "x"}
    line = ",".join(rows[header_key(n)] for n in names)
    path = tmp_path / "table.csv"
    path.write_text(f"Publisher,,\n30/05/2023,,\n{header}\n{line}\n", encoding="utf-8")
    table = read_source_table(path, COLUMNS)
    assert table.header_row == 3
    assert table.above == [["Publisher"], ["30/05/2023"]]
    assert table.frame.select("Country", "Year", "Value").rows() == [("Ghana", "2019", "7")]
    assert table.frame["_row"].to_list() == [4]


def test_a_header_without_a_required_column_is_named(tmp_path: Path):
    path = tmp_path / "table.csv"
    path.write_text("Title\nCountry,Source\nGhana,x\n", encoding="utf-8")
    with pytest.raises(ImportRejected) as refused:
        read_source_table(path, COLUMNS)
    assert str(refused.value) == (
        "table.csv: The header row (row 2) lacks the columns 'Year' and 'Value'. Use the "
        "publisher's file as released, or restore the missing columns.")


@pytest.mark.parametrize(
    ("content", "message"),
    [
        (b"%PDF-1.7 not a table", "table.csv: This is a PDF document, not a table of figures."),
        (b"", "table.csv: The file is empty."),
        (b"a,b\n1,2\n", "table.csv: No header row was found: none of the first 30 rows names the "
                        "columns 'Country', 'Year' and 'Value'."),
    ],
)
def test_files_that_cannot_be_read_get_one_plain_sentence(tmp_path: Path, content, message):
    path = tmp_path / "table.csv"
    path.write_bytes(content)
    with pytest.raises(ImportRejected) as refused:
        read_source_table(path, COLUMNS)
    assert len(refused.value.problems) == 1
    assert str(refused.value).startswith(message)


def test_match_published_name_never_picks_between_candidates():
    assert match_published_name("Congo").candidates == ("COG", "COD")
    damaged = match_published_name("Ir\ufffd\ufffd")  # Iran or Iraq
    assert (damaged.iso3, damaged.candidates) == (None, ("IRN", "IRQ"))
