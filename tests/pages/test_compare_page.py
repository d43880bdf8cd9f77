"""The Compare page in AppTest: the link's state, hand-checked values, no data as no data."""

from __future__ import annotations

import pytest

from tests.pages.apptest_support import no_exceptions, open_page, texts


@pytest.fixture
def db(bundled_db, monkeypatch):
    monkeypatch.setenv("INDICATORS_DB", str(bundled_db))
    return bundled_db


def _row(at, iso3):
    table = at.dataframe[0].value
    return table[table["ISO3"] == iso3].iloc[0]


def test_compare_reproduces_the_link_and_shows_gbr_2019(db):
    at = open_page("pages/compare.py", {
        "indicator": "identification_rate", "countries": "GBR,USA,WORLD", "year": "2019",
    })
    no_exceptions(at)
    assert [t.value for t in at.title] == ["Compare countries"]
    assert at.selectbox(key="cmp_indicator").value == "identification_rate"
    assert at.multiselect(key="cmp_scopes").value == ["GBR", "USA", "WORLD"]
    # UNODC: 10,627 victims detected in 2019; Walk Free: 122,000 people (2021): 8.7%.
    gbr = _row(at, "GBR")
    assert (gbr["Value"], gbr["Year of figure"], gbr["Estimate year (denominator)"]) == (
        "8.7%", 2019, 2021)
    # "more than 20% every year": 8.7% is not met; the rise is the trend, told apart
    assert gbr["Status"] == "✗ Not met"
    assert gbr["Trend"] == "improving"
    assert "UNODC" in gbr["Source"]
    assert len(at.get("plotly_chart")) == 3  # over time, ranking, map
    assert at.query_params["countries"] == "GBR,USA,WORLD"
    assert at.query_params["indicator"] == "identification_rate"


def test_compare_conviction_rate_and_countries_without_figures(db):
    at = open_page("pages/compare.py", {"indicator": "conviction_rate", "year": "2019",
                                        "years": "2019-2019"})
    no_exceptions(at)
    # 251 persons convicted in 2019 / 122,000 estimated victims = 0.21%: 1 in 490.
    assert _row(at, "GBR")["Value"] == "1 in 490"
    table = at.dataframe[0].value
    missing = table[table["Value"] == "no data"]
    assert len(missing) > 50
    assert missing["Year of figure"].isna().all()
    assert not (table["Value"] == "0%").any() and not (table["Value"] == "0.0%").any()


def test_compare_bad_link_falls_back_with_notices(db):
    at = open_page("pages/compare.py", {"indicator": "nonsense", "countries": "GBR,XXX",
                                        "years": "soon", "proxies": "maybe"})
    no_exceptions(at)
    notices = " ".join(w.value for w in at.warning)
    assert "indicator called 'nonsense'" in notices
    assert "'XXX'" in notices and "the years 'soon'" in notices and "'maybe'" in notices
    assert at.selectbox(key="cmp_indicator").value == "conviction_rate"
    assert at.multiselect(key="cmp_scopes").value == ["GBR"]
    assert at.query_params["indicator"] == "conviction_rate"  # the URL is repaired
    assert "Target: more than 30% by the baseline year + 10." in texts(at)


def test_compare_sdg_16_2_2_and_a_count_per_100000_population(db):
    at = open_page("pages/compare.py", {"indicator": "victims_per_100k", "year": "2019",
                                        "years": "2019-2019"})
    no_exceptions(at)
    # UNODC's published 15.83 (computed: 10,627 detected victims / 66,631,000 people ×
    # 100,000 = 15.95)
    gbr = _row(at, "GBR")
    assert (gbr["Value"], gbr["Status"]) == ("15.83", "– No target at this level")
    assert "SDG indicator 16.2.2 (not one of the paper's five indicators)" in texts(at)
    assert at.radio(key="cmp_per").disabled  # an indicator: no count/per-100,000 choice

    at = open_page("pages/compare.py", {"indicator": "persons_convicted", "per": "100k",
                                        "year": "2019", "years": "2019-2019"})
    no_exceptions(at)
    assert at.selectbox(key="cmp_indicator").value == "persons_convicted"
    assert at.radio(key="cmp_per").value == "100k"
    # 251 persons convicted in 2019 / 66,631,000 people × 100,000 = 0.38
    assert _row(at, "GBR")["Value"] == "0.38"
    assert "## Persons convicted per 100,000 people" in texts(at)
    assert at.query_params["per"] == "100k"

    # the same count as a count: the link keeps the choice
    at.radio(key="cmp_per").set_value("count").run()
    no_exceptions(at)
    assert _row(at, "GBR")["Value"] == "251"
    # a count has no denominator: its year is missing, shown as a dash, not Python's 'None'
    denominator_year = _row(at, "GBR")["Estimate year (denominator)"]
    assert denominator_year != denominator_year  # missing (NaN in the test's pandas frame)
    assert {table.proto.placeholder for table in at.dataframe} == {"—"}
    assert at.query_params["per"] == "count"
    assert at.query_params["indicator"] == "persons_convicted"


# The 16 countries of West Africa as an analyst chooses them: the ECOWAS members and
# Mauritania, i.e. every country of UN M49's "Western Africa" (indicators.countries'
# subregion) but Saint Helena. Alphabetically by ISO3 the first 12 stop at NER; the page used
# to keep those 12 and drop Nigeria, Senegal, Sierra Leone and Togo.
WEST_AFRICA = {"BEN": "Benin", "BFA": "Burkina Faso", "CIV": "Côte d'Ivoire",
               "CPV": "Cabo Verde", "GHA": "Ghana", "GIN": "Guinea", "GMB": "Gambia",
               "GNB": "Guinea-Bissau", "LBR": "Liberia", "MLI": "Mali", "MRT": "Mauritania",
               "NER": "Niger", "NGA": "Nigeria", "SEN": "Senegal", "SLE": "Sierra Leone",
               "TGO": "Togo"}


def test_compare_keeps_all_16_west_african_countries(db):
    import json

    from indicators import charts
    from indicators.countries import country_table

    subregion = country_table().filter(country_table()["subregion"] == "Western Africa")
    assert set(subregion["iso3"]) - set(WEST_AFRICA) == {"SHN"}
    chosen = ",".join(["WORLD", *sorted(WEST_AFRICA)])
    at = open_page("pages/compare.py", {"indicator": "identification_rate",
                                        "countries": chosen, "year": "2020"})
    no_exceptions(at)
    assert at.warning.len == 0  # nothing cut, nothing to say
    assert at.multiselect(key="cmp_scopes").value == ["WORLD", *sorted(WEST_AFRICA)]
    assert at.query_params["countries"] == chosen
    spec = json.loads(at.get("plotly_chart")[0].proto.spec)
    lines = [t for t in spec["data"] if (t.get("meta") or {}).get("role") == "line"]
    drawn = {t["meta"]["scope"]: t for t in lines}
    assert set(drawn) == {"WORLD", *WEST_AFRICA}
    for iso3, name in WEST_AFRICA.items():
        assert drawn[iso3]["name"].split(" (no data)")[0] == name
        assert drawn[iso3].get("showlegend", True)
    coloured = [t["line"]["color"] for t in lines if not t["meta"]["grey"]]
    assert len(coloured) == 1 + charts.COLOURED_LINES  # the world and the first six chosen
    assert len(set(coloured)) == len(coloured)
    assert charts.CONTEXT_GREY not in coloured
    layout = spec["layout"]
    assert layout["height"] - layout["margin"]["t"] - layout["margin"]["b"] >= \
        charts.LEGEND_ROW * len(lines)
    # the ranking draws all 17 too, and the table under the map has every country's row
    ranked = json.loads(at.get("plotly_chart")[1].proto.spec)
    ranked_names = {y for t in ranked["data"] for y in (t.get("y") or [])}
    assert set(WEST_AFRICA.values()) <= ranked_names
    table = at.dataframe[0].value
    assert set(WEST_AFRICA) <= set(table["ISO3"])


def test_compare_a_subregion_beside_a_country(db):
    """A UN M49 subregion is a scope like a region: offered in the picker, kept from the
    link, drawn and ranked as the ratio of sums over its countries."""
    import json

    at = open_page("pages/compare.py", {"indicator": "identification_rate",
                                        "countries": "Western Africa,NGA", "year": "2020"})
    no_exceptions(at)
    assert at.warning.len == 0
    picker = at.multiselect(key="cmp_scopes")
    assert picker.value == ["Western Africa", "NGA"]
    assert "Western Africa (subregion)" in picker.options
    assert "Africa (region)" in picker.options
    assert at.query_params["countries"] == "Western Africa,NGA"
    lines = json.loads(at.get("plotly_chart")[0].proto.spec)
    drawn = {(t.get("meta") or {}).get("scope") for t in lines["data"]}
    assert {"Western Africa", "NGA"} <= drawn
    # Western Africa 2020: 5,003 detected victims over 2,356,000 estimated people in modern
    # slavery in the 12 countries with both figures (hand-checked in
    # tests/integration/test_cli_backends.py): 1 in 470. Nigeria: 1,087 / 1,611,000.
    ranked = json.loads(at.get("plotly_chart")[1].proto.spec)
    shown = dict(zip(ranked["data"][0]["y"], ranked["data"][0]["text"], strict=True))
    assert shown["Western Africa"].startswith("1 in 470")
    assert shown["Nigeria"].startswith("1 in 1,500")


def test_compare_recommends_the_year_of_the_scopes_on_screen(db):
    """The latest well-covered year is the chosen scopes', not always the world's: South-
    eastern Asia's countries have figures for 5 in 2021 (the most is 10, in 2015) and for 4 in
    2022, so its year is 2021; with the world on screen it is the world's, 2022."""
    at = open_page("pages/compare.py", {"indicator": "identification_rate",
                                        "countries": "South-eastern Asia"})
    no_exceptions(at)
    box = at.selectbox(key="cmp_year")
    assert box.value == "recommended"
    assert box.options[0] == "2021 (recommended)"
    assert "2022 has figures for only 4." in texts(at)
    ranked = at.get("plotly_chart")[1].proto.spec
    assert "Victim identification rate in 2021" in ranked

    at = open_page("pages/compare.py", {"indicator": "identification_rate",
                                        "countries": "South-eastern Asia,WORLD"})
    no_exceptions(at)
    assert at.selectbox(key="cmp_year").options[0] == (
        "2022 (recommended)")
    # taking the world off the chart moves the recommended year, the ranking's and the map's
    at.multiselect(key="cmp_scopes").set_value(["South-eastern Asia"]).run()
    no_exceptions(at)
    assert at.selectbox(key="cmp_year").options[0] == (
        "2021 (recommended)")
    assert "Victim identification rate in 2021" in at.get("plotly_chart")[1].proto.spec
    assert "2021" in at.get("plotly_chart")[2].proto.spec


def test_compare_lists_each_indicator_and_count_once(db):
    """'5. Victims prosecuted' was listed twice: indicator 5 and the published count of the
    same name share their key. It is listed once, as the indicator."""
    at = open_page("pages/compare.py", {"indicator": "victims_prosecuted"})
    no_exceptions(at)
    options = at.selectbox(key="cmp_indicator").options
    assert options.count("5. Victims prosecuted") == 1
    assert len(options) == len(set(options))
    assert at.selectbox(key="cmp_indicator").value == "victims_prosecuted"
