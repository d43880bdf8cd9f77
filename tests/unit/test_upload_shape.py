"""Header names, synonyms and layouts: what each column of a contributor's file means."""

from __future__ import annotations

import pytest

from indicators.tables.read import read_table
from indicators.upload.shape import (
    column_letter,
    header_key,
    is_rate_name,
    measure_for,
    shape_long,
    suggest_measures,
)


@pytest.mark.parametrize(
    ("header", "key"),
    [("Country Name", "country_name"), ("  ISO3 ", "iso3"), ("Année", "annee"),
     ("Victims identified / detected (number)", "victims_identified_detected"),
     ("\ufeffcountry", "country"), ("persons_convicted", "persons_convicted")],
)
def test_header_key(header, key):
    assert header_key(header) == key


@pytest.mark.parametrize(
    ("text", "measure"),
    [("Convictions", "persons_convicted"), ("PROSECUTIONS", "persons_prosecuted"),
     ("victims identified", "victims_detected"), ("Victims detected", "victims_detected"),
     ("Estimated victims", "estimated_victims"), ("data sharing", "data_sharing_active"),
     ("Victims reported", "victims_reported"), ("victims_prosecuted", "victims_prosecuted"),
     ("Detected trafficking victims", "victims_detected"), ("arrests", None),
     ("victims", None)],
)
def test_measure_synonyms(text, measure):
    assert measure_for(text) == measure


def test_rates_and_suggestions():
    assert is_rate_name("Conviction rate (%)") and is_rate_name("share detected")
    assert not is_rate_name("persons_convicted")
    assert suggest_measures("convictons") == ["persons_convicted"]


def test_column_letters():
    assert [column_letter(i) for i in (0, 25, 26, 27, 701, 702)] == [
        "A", "Z", "AA", "AB", "ZZ", "AAA"]


def _shape(text: str):
    data = text.encode("utf-8")
    return shape_long(read_table(data, "f.csv"), "f.csv", {})


def test_header_below_title_rows_and_rows_as_the_spreadsheet_numbers_them():
    shaped = _shape("Figures from the Ministry\r\n\r\ncountry,year,measure,value,source\r\n"
                    "Kenya,2019,victims_reported,4,x\r\n")
    assert shaped.layout.header_row == 3
    assert shaped.figures["_row"].to_list() == [4]


def test_wide_rows_become_one_figure_per_filled_cell():
    shaped = _shape("country,year,source,convictions,victims reported,note\r\n"
                    "Kenya,2019,x,12,,first\r\nGhana,2019,x,,7,\r\n")
    assert shaped.layout.kind == "wide"
    assert shaped.figures.select("iso3", "measure", "value", "_row", "_column", "note").rows() \
        == [("KEN", "persons_convicted", 12.0, 2, "convictions", "first"),
            ("GHA", "victims_reported", 7.0, 3, "victims reported", None)]
    assert shaped.problems == []


def test_a_code_column_wins_over_a_name_column():
    shaped = _shape("country,iso3,year,measure,value,source\r\n"
                    "Congo,COD,2019,victims_reported,4,x\r\n")
    assert shaped.figures["iso3"].to_list() == ["COD"]


def test_cells_under_an_unnamed_header_are_reported():
    shaped = _shape("country,year,measure,value,source,\r\nKenya,2019,victims_reported,4,x,9\r\n")
    assert [p.message for p in shaped.problems] == [
        "The header row has no name for column F, so the cells under it were not read."]


def test_the_decimal_mark_is_shown_by_the_first_value_in_the_file_that_shows_it():
    shaped = _shape("country;year;measure;value;source\r\n"
                    "Kenya;2019;victims_reported;1.240;x\r\n"
                    "Chad;2019;estimated_victims;2.345,5;x\r\n"
                    "Mali;2019;estimated_victims;12,5;x\r\n")
    assert shaped.decimal.mark == ","
    assert shaped.decimal.reason == "values such as '2.345,5' show it"
    assert shaped.figures["value"].to_list() == [1240.0, 2345.5, 12.5]


def test_plain_counts_and_other_values_keep_their_rows_and_columns():
    shaped = _shape("country,year,source,convictions,victims reported,note\r\n"
                    "Kenya,2019,x,<5,12,\r\nGhana,2019,x,7,\"1,500\",\r\n")
    assert shaped.figures.select("iso3", "measure", "value", "value_status", "lower", "upper",
                                 "_row", "_column", "_raw").rows() == [
        ("KEN", "persons_convicted", None, "suppressed", 1.0, 4.0, 2, "convictions", "<5"),
        ("KEN", "victims_reported", 12.0, "reported", None, None, 2, "victims reported", "12"),
        ("GHA", "persons_convicted", 7.0, "reported", None, None, 3, "convictions", "7"),
        ("GHA", "victims_reported", 1500.0, "reported", None, None, 3, "victims reported",
         "1,500"),
    ]


def test_a_country_name_inside_a_longer_or_misspelt_text_is_not_taken_for_the_country():
    """country_converter's name patterns find a country inside any text: 'Niger State' (a
    state of Nigeria) was imported as Niger, 'Kenya (regional total)' replaced Kenya's figure,
    'England' counted as the United Kingdom. An organisation's file is matched on names,
    codes and aliases (accents, punctuation and a leading 'the' aside); a pattern's find is
    only offered as 'did you mean'."""
    texts = ["Niger State", "Kenya (regional total)", "Kenyaa", "England", "Jersey City",
             "The Gambia", "Guinea Bissau", "México", "Kenya", "KEN", "Republic of Korea"]
    shaped = _shape("country,year,measure,value,source\r\n" + "".join(
        f'"{text}",2019,victims_reported,4,x\r\n' for text in texts))
    assert shaped.figures.select("_row", "iso3").rows() == [
        (7, "GMB"), (8, "GNB"), (9, "MEX"), (10, "KEN"), (11, "KEN"), (12, "KOR")]
    refused = [(p.row, p.value, p.message, p.fix) for p in shaped.problems]
    assert [r[:2] for r in refused] == [(2, "Niger State"), (3, "Kenya (regional total)"),
                                        (4, "Kenyaa"), (5, "England"), (6, "Jersey City")]
    assert {r[2] for r in refused} == {
        "This is not a country's name as the country list writes it."}
    assert refused[0][3] == ("Did you mean NER (Niger)? If the figure is for that whole "
                             "country, write its English name or its ISO3 code; a figure for "
                             "a part of a country (a state, a province, a city) is not the "
                             "country's figure.")
    assert [r[3].split("?")[0] for r in refused[1:]] == [
        "Did you mean KEN (Kenya)", "Did you mean KEN (Kenya)",
        "Did you mean GBR (United Kingdom)", "Did you mean JEY (Jersey)"]


def test_a_source_or_note_longer_than_a_few_sentences_is_refused_with_its_length():
    """A 34,000-character note was accepted and then printed whole on the public Compare page
    under the organisation's figures. A note holds up to 1,000 characters, a source 500."""
    long_note, long_source = "words " * 5666 + "word", "s" * 501  # 34,000 characters
    shaped = _shape("country,year,measure,value,source,note\r\n"
                    f"Kenya,2019,victims_reported,4,x,{'n' * 1000}\r\n"
                    f"Kenya,2020,victims_reported,5,x,{long_note}\r\n"
                    f"Kenya,2021,victims_reported,6,{long_source},\r\n")
    assert [(p.row, p.column, p.message, p.value) for p in shaped.problems] == [
        (4, "source", "The source is 501 characters long; a source may hold up to 500.",
         "s" * 60 + "…"),
        (3, "note", "The note is 34,000 characters long; a note may hold up to 1,000.",
         long_note[:60] + "…"),
    ]
    assert {p.severity for p in shaped.problems} == {"error"}


def test_a_country_code_and_a_name_that_are_two_countries_are_refused():
    """The code wins over the name when a row has both; 'Kenya' beside 'UGA' was imported as
    Uganda without a word. A name that is another country's is refused; one that names no
    country (a local spelling) is left to the code."""
    shaped = _shape("country,iso3,year,measure,value,source\r\n"
                    "Kenya,UGA,2019,victims_reported,4,x\r\n"
                    "Kenya,KEN,2019,persons_convicted,5,x\r\n"
                    "Jamhuri ya Kenya,KEN,2020,persons_convicted,6,x\r\n"
                    ",KEN,2021,persons_convicted,7,x\r\n")
    assert [(p.row, p.column, p.value, p.message, p.fix) for p in shaped.problems] == [
        (2, "country", "Kenya", "The country name says Kenya (KEN) but the code beside it says "
         "Uganda (UGA).", "Correct the one that is wrong: when a row has both a code and a "
         "name, the code is used.")]
    assert shaped.figures["iso3"].to_list() == ["UGA", "KEN", "KEN", "KEN"]
