"""What the pages say about series (indicators/series_views.py), on small hand-made frames."""

from __future__ import annotations

import polars as pl

from indicators import auth
from indicators.series import pick_figures
from indicators.series_views import (
    basis_notes,
    beside_lines,
    both_series,
    both_series_table,
    measures_of,
    parse_series,
    series_choice_label,
    visible_batches,
    with_row_notes,
)


def _figures(rows: list[tuple]) -> pl.DataFrame:
    """(iso3, year, measure, value, batch_id, series_kind, series, note) rows."""
    frame = pl.DataFrame(rows, orient="row", schema={
        "iso3": pl.String, "year": pl.Int32, "measure": pl.String, "value": pl.Float64,
        "batch_id": pl.Int64, "series_kind": pl.String, "series": pl.String, "note": pl.String})
    return frame.with_columns(pl.lit("reported").alias("value_status"),
                              pl.lit(None, pl.Float64).alias("lower"),
                              pl.lit(None, pl.Float64).alias("upper"),
                              pl.lit("src").alias("source_id"))


FIGURES = _figures([
    ("GBR", 2019, "persons_convicted", 251.0, 1, "official", "official", None),
    ("GBR", 2019, "persons_convicted", 9000.0, 4, "contributed", "Test NGO", "their casework"),
    ("GBR", 2019, "victims_reported", 500.0, 4, "contributed", "Test NGO", None),
    ("GBR", 2020, "victims_reported", 520.0, 4, "contributed", "Test NGO", None),
    ("FRA", 2019, "persons_convicted", 30.0, 1, "official", "official", None),
    ("FRA", 2019, "persons_convicted", 30.0, 5, "contributed", "Test NGO", None),
])


def test_beside_lines_name_the_differing_published_figures_only():
    # FRA's 30 is the official 30: not listed; victims reported have no official series
    assert beside_lines(FIGURES, "Test NGO", names={"GBR": "United Kingdom"}) == [
        "Test NGO reports 9,000 persons convicted for United Kingdom in 2019 (their "
        "casework); official: 251."]
    assert beside_lines(FIGURES, "Test NGO", "FRA") == []
    assert beside_lines(FIGURES, "Other NGO") == []


def test_basis_notes_say_what_is_not_plain_official():
    picked = pick_figures(FIGURES)
    assert basis_notes(picked, None, iso3s=["GBR"], years=(2019, 2020),
                       measures=["victims_reported", "persons_convicted"]) == [
        "Victims reported: contributed by Test NGO (GBR 2019–2020)."]
    assert basis_notes(picked, None, iso3s=["FRA"], years=(2019, 2020),
                       measures=["victims_reported", "persons_convicted"]) == []
    adoptions = pl.DataFrame({"batch_id": [4], "iso3": ["GBR"], "year": [2019],
                              "measure": ["persons_convicted"], "reviewer": ["Sam"]})
    adopted = pick_figures(FIGURES, adoptions)
    assert basis_notes(adopted, adoptions, iso3s=None, years=(2019, 2019),
                       measures=measures_of("conviction_rate")) == [
        "Persons convicted: contributed by Test NGO, adopted correction by Sam (GBR 2019)."]
    chosen = pick_figures(FIGURES, prefer="Test NGO")
    assert basis_notes(chosen, None, iso3s=["FRA"], years=(2019, 2019),
                       measures=["persons_convicted"]) == [
        "Persons convicted: contributed by Test NGO, the series you chose (FRA 2019)."]


def test_both_series_keeps_the_countries_and_years_where_the_values_differ():
    def frame(values: dict[tuple[str, int], float]) -> pl.DataFrame:
        return pl.DataFrame([
            {"indicator": "conviction_rate", "scope": s, "scope_type": "country", "year": y,
             "value": v, "lower": v, "upper": v, "status": "off_track", "basis": None}
            for (s, y), v in values.items()])

    official = frame({("GBR", 2019): 251 / 122_000, ("FRA", 2019): 0.01})
    contributed = frame({("GBR", 2019): 9000 / 122_000, ("FRA", 2019): 0.01})
    rows = both_series(official, contributed, "Test NGO", "conviction_rate",
                       years=(2019, 2019))
    assert rows.select("scope", "year", "series").rows() == [
        ("GBR", 2019, "official"), ("GBR", 2019, "contributed by Test NGO")]
    table = both_series_table(rows, "conviction_rate", {"GBR": "United Kingdom"})
    # 251 / 122,000 = 0.206%: '1 in 490'; 9,000 / 122,000 = 7.38%
    assert table["Value"].to_list() == ["1 in 490", "7.4%"]
    assert table["Country"].to_list() == ["United Kingdom", "United Kingdom"]


def test_a_link_names_a_series_by_its_organisation():
    notices: list[str] = []
    assert parse_series("test ngo", ["Test NGO"], notices) == "Test NGO"
    assert parse_series(None, ["Test NGO"], notices) == "official"
    assert notices == []
    assert parse_series("Nobody", ["Test NGO"], notices) == "official"
    assert notices == ["The link asked for the series of 'Nobody', which has no published "
                       "figures; showing the official figures instead."]
    assert series_choice_label("official") == "Official figures"
    assert series_choice_label("Test NGO") == "Test NGO (contributed)"


def test_a_batch_awaiting_review_is_seen_by_its_organisation_and_reviewers_only():
    batches = pl.DataFrame({"id": [4, 3, 2, 1],
                            "status": ["submitted", "rejected", "committed", "committed"],
                            "organisation": ["Test NGO", "Other NGO", "Other NGO", None]})

    def seen(person):
        return visible_batches(batches, person)["id"].to_list()

    assert seen(None) == [2, 1]
    assert seen(auth.Contributor("Test NGO", "Ana", "token")) == [4, 2, 1]
    assert seen(auth.Contributor("Other NGO", "Bo", "token")) == [3, 2, 1]
    assert seen(auth.Contributor("", "Rita", "token", role=auth.REVIEWER)) == [4, 3, 2, 1]


def test_a_table_row_says_what_its_value_rests_on():
    latest = pl.DataFrame({"scope": ["GBR", "FRA", "USA"], "year": [2019, 2019, None],
                           "note": [None, "A note.", None]},
                          schema={"scope": pl.String, "year": pl.Int32, "note": pl.String})
    noted = with_row_notes(latest, pick_figures(FIGURES), None, "reporting_increase")
    assert noted["note"].to_list() == [
        "Victims reported: contributed by Test NGO (GBR 2019).", "A note.", None]
