"""The Country profile page in AppTest: the five indicators for one country."""

from __future__ import annotations

import json

import pytest

from tests.pages.apptest_support import no_exceptions, open_page, texts


@pytest.fixture
def db(bundled_db, monkeypatch):
    monkeypatch.setenv("INDICATORS_DB", str(bundled_db))
    return bundled_db


def test_country_profile_shows_gbr_2019(db):
    at = open_page("pages/country.py", {"country": "GBR", "year": "2019"})
    no_exceptions(at)
    assert [t.value for t in at.title] == ["Country profile"]
    assert [h.value for h in at.header] == ["United Kingdom"]
    metrics = {m.label: m.value for m in at.metric}
    assert set(metrics) == {"United Kingdom, 2019"}
    values = [m.value for m in at.metric]
    # 251 / 122,000 = 0.21%, 1 in 490; 10,627 / 122,000 = 8.7%; victims prosecuted: no data.
    assert values[0] == "1 in 490"
    assert values[3] == "8.7%"
    assert values[4] == "no data"
    page = texts(at)
    # 8.7% against "more than 20% every year": not met, whatever the trend
    assert "**✗ Not met**" in page and "**↗ On track**" not in page
    assert "Trend since 2015: improving. The line spans a possible break in the series in " \
        "2017 (check the source)." in page
    assert "The change since 2015 spans a possible break in the series in 2017" in page
    assert page.count("**◐ Target met on a proxy**") == 2
    assert "From a proxy: victims detected by the authorities" in page
    assert "GBR · Northern Europe · Europe" in page
    assert "Walk Free's estimates for this country: Estimated people in modern slavery " \
        "122,000 (estimate) (2021)" in page
    assert len(at.get("plotly_chart")) >= 3 + 4  # against region, figures, coverage, sparklines
    figures = at.dataframe[0].value
    convicted_2004 = figures[(figures["Measure"] == "Persons convicted")
                             & (figures["Year"] == 2004)].iloc[0]
    assert convicted_2004["Figure"] == "<5"


def test_country_profile_of_nigeria_shows_one_year_and_says_when_a_card_differs(db):
    at = open_page("pages/country.py", {"country": "NGA"})
    no_exceptions(at)
    assert [h.value for h in at.header] == ["Nigeria"]
    labels = [m.label for m in at.metric]
    # the page's one year, never a mix of 2021 and 2022: the five cards and SDG 16.2.2's; for
    # a country, its own latest year with figures (Nigeria has all five for 2022)
    assert labels == ["Nigeria, 2022"] * 6
    page = texts(at)
    assert "2022 is the latest year with figures for this country." in page
    # 2022 (2025 workbook and GSI 2023 file, by hand): 79 convicted and 2,883 detected over
    # 1,611,000 estimated: 1 in 20,392 and 1 in 559, said as "1 in N" to two figures
    values = [m.value for m in at.metric]
    assert (values[0], values[3]) == ("1 in 20,000", "1 in 560")
    assert "This country has the figures." in page
    assert "From a proxy: it counts as sharing data because it reported figures" in page


def test_country_profile_unknown_country_falls_back(db):
    at = open_page("pages/country.py", {"country": "ZZZ"})
    no_exceptions(at)
    assert any("'ZZZ'" in w.value for w in at.warning)
    assert [h.value for h in at.header] == ["United Kingdom"]


def _titles(at) -> list[str]:
    return [json.loads(c.proto.spec)["layout"]["title"]["text"]
            for c in at.get("plotly_chart")
            if json.loads(c.proto.spec).get("layout", {}).get("title", {}).get("text")]


def test_country_profile_sdg_card_and_who_the_victims_are(db):
    at = open_page("pages/country.py", {"country": "GBR", "year": "2019"})
    no_exceptions(at)
    # the sixth card, set apart: UNODC's published 15.83 (computed, 10,627 / 66,631,000 ×
    # 100,000 would be 15.95), and it says so
    assert [m.value for m in at.metric][5] == "15.83"
    page = texts(at)
    assert ("**Coverage:** UNODC's published value (SDG 16.2.2 as its custodian publishes "
            "it).") in page
    assert "### SDG 16.2.2 (not one of the paper's five indicators)" in page
    assert [s.value for s in at.subheader].count("Who the victims are") == 1
    titles = _titles(at)
    # both charts span GBR's first breakdown (2009 in the 2025 workbook) to the database's
    # latest year (2022; GBR's sex and age rows end in 2021, its forms rows in 2022)
    for title in ("<b>United Kingdom: detected victims by sex and age, 2009–2022</b>",
                  "<b>United Kingdom: detected victims by form of exploitation, 2009–2022</b>",
                  "<b>United Kingdom: citizenship of the victims detected in 2019</b>"):
        assert title in titles
    # GBR's nationals detected abroad (2025 workbook, Category 'United Kingdom' reported by
    # other countries): 2010, 2011, 2013-2015, then 2020 (Australia <5), 2021, 2022. None for
    # 2019: the nearest year with figures, 2020, is offered, not shown
    assert "No other country reported victims with the citizenship of United Kingdom for " \
        "2019; the nearest year with figures is 2020." in page
    assert at.button(key="cty_abroad_nearest").label == "Show 2020"
    assert not any("abroad in 2020" in t for t in titles)
    # each chart has its three downloads
    buttons = {b.key for b in at.get("download_button")}
    for key in ("cty_sex_age", "cty_forms", "cty_citizenship"):
        assert {f"{key}_png", f"{key}_svg", f"{key}_csv"} <= buttons
    assert at.query_params["per"] == "count" and "origin_year" not in at.query_params

    # per 100,000 people: only the victims' part reruns, and the link says so
    at.radio(key="cty_per").set_value("100k").run()
    no_exceptions(at)
    assert "<b>United Kingdom: detected victims by sex and age, per 100,000 people, " \
        "2009–2022</b>" in _titles(at)
    assert at.query_params["per"] == "100k"


def _spec(at, key_title: str) -> dict:
    specs = [json.loads(c.proto.spec) for c in at.get("plotly_chart")]
    return next(s for s in specs
                if key_title in s["layout"].get("title", {}).get("text", ""))


def test_the_citizenship_charts_follow_the_page_year(db):
    # Nigeria, 2020 (the page's year): the countries that detected Nigerian victims in 2020,
    # from UNODC's workbook (data_glotip.xlsx, release of 14 April 2025; rows Dimension 'by
    # citizenship', Category 'Nigerians' (or 'Nigeria', 'NIGERIANA'), Year 2020, Sex and Age
    # 'Total'): eighteen other countries, United Kingdom 173, Italy 25, Belgium 19, Finland 18,
    # Denmark 17, France 15, Austria 14, Spain 9, Gambia 9, Côte d'Ivoire 6, and '<5' for
    # Australia, Botswana, Germany, Greece, Guatemala, Hungary, Israel, Türkiye.
    at = open_page("pages/country.py", {"country": "NGA", "year": "2020"})
    no_exceptions(at)
    assert [m.label for m in at.metric][0] == "Nigeria, 2020"
    titles = _titles(at)
    assert "<b>Where citizens of Nigeria were detected as victims abroad in 2020</b>" in titles
    assert "<b>Nigeria: citizenship of the victims detected in 2020</b>" in titles
    assert not any("in 2021" in t for t in titles)
    abroad = _spec(at, "detected as victims abroad in 2020")
    bars = {y: x for t in abroad["data"] if t["meta"]["role"] == "place"
            for y, x in zip(t["y"], t["x"], strict=True)}
    assert (bars["United Kingdom"], bars["Italy"], bars["Belgium"]) == (173, 25, 19)
    # ten bars drawn, the other eight (each <5) named in the footer: eighteen countries
    assert len(bars) == 10
    assert "Not drawn: 8 more countries (each <5)." in " ".join(abroad["layout"]["meta"]["footer"])
    # the count axis in whole numbers: up to 173 × 1.2 = 207.6, a step of 50
    assert (abroad["layout"]["xaxis"]["tickformat"], abroad["layout"]["xaxis"]["dtick"]) == \
        (",.0f", 50)
    assert "origin_year" not in at.query_params

    # 2009: Nigeria published no citizenships that year (its first is 2010): said in one
    # sentence, with a button for 2010; the abroad chart has 2009 figures and shows them
    at = open_page("pages/country.py", {"country": "NGA", "year": "2009"})
    no_exceptions(at)
    page = texts(at)
    assert "Nigeria published no citizenships of its detected victims for 2009; the nearest " \
        "year with figures is 2010." in page
    assert "<b>Where citizens of Nigeria were detected as victims abroad in 2009</b>" in \
        _titles(at)
    assert not any("citizenship of the victims detected in 2010" in t for t in _titles(at))
    at.button(key="cty_citizenship_nearest").click().run()
    no_exceptions(at)
    assert at.selectbox(key="cty_year").value == 2010
    assert [m.label for m in at.metric][0] == "Nigeria, 2010"
    assert "<b>Nigeria: citizenship of the victims detected in 2010</b>" in _titles(at)
    assert at.query_params["year"] == "2010"


def test_an_old_link_with_a_year_of_the_citizenships_says_it_is_left_out(db):
    at = open_page("pages/country.py", {"country": "NGA", "origin_year": "1995"})
    no_exceptions(at)
    assert any("year of its own for the citizenships ('1995')" in w.value for w in at.warning)
    # the page's year, 2022 (the default year with UNODC's 2025 release)
    assert "<b>Where citizens of Nigeria were detected as victims abroad in 2022</b>" in \
        _titles(at)


def test_choosing_another_country_wins_over_the_address_bar(db):
    # GBR with the citizenships of 2016, then Andorra (no citizenship figures at all), then
    # Nigeria: each choice is shown, and the address bar follows it
    at = open_page("pages/country.py", {"country": "GBR", "year": "2016"})
    at.selectbox(key="cty_country").set_value("AND").run()
    no_exceptions(at)
    assert (at.query_params["country"], at.query_params["year"]) == ("AND", "2016")
    assert "No citizenship figures: Andorra publishes none" in texts(at)
    at.selectbox(key="cty_country").set_value("NGA").run()
    no_exceptions(at)
    assert [h.value for h in at.header] == ["Nigeria"]
    assert at.query_params["country"] == "NGA"
    assert [w.value for w in at.warning] == []



def test_country_profile_says_when_its_cards_show_different_years(db):
    """Kyrgyzstan (UNODC's 2025 release, by hand): its latest figure is 2021's (6 recorded
    offences, so it counts as sharing data that year), its latest persons convicted are
    2018's ('<5'), its latest detected victims 2020's (7). The page opens on 2021 and says in
    one line above the cards which cards show another year."""
    at = open_page("pages/country.py", {"country": "KGZ"})
    no_exceptions(at)
    assert [h.value for h in at.header] == ["Kyrgyzstan"]
    line = ("**Years:** The cards show figures of different years: 1. Conviction rate 2018; "
            "2. Increase in victim reporting 2020; 4. Victim identification rate 2020; "
            "6. Detected victims per 100,000 people 2020 (the page's year is 2021).")
    captions = [c.value for c in at.caption]
    assert line in captions
    # above the cards: before the first card's own year note
    assert captions.index(line) < min(i for i, c in enumerate(captions)
                                      if c.startswith("**Year:** No figure for 2021"))
    assert [m.label for m in at.metric] == [
        "Kyrgyzstan, 2018", "Kyrgyzstan, 2020", "Kyrgyzstan, 2021", "Kyrgyzstan, 2020",
        "Kyrgyzstan, 2021", "Kyrgyzstan, 2020"]
    # 7 detected / 57,000 estimated (Walk Free, 2021): 1 in 8,143
    assert [m.value for m in at.metric][3] == "1 in 8,100"
    # one year for every card when a year is chosen: no such line
    at = open_page("pages/country.py", {"country": "KGZ", "year": "2020"})
    no_exceptions(at)
    assert not any(c.value.startswith("**Years:**") for c in at.caption)


def test_country_profile_against_its_subregion_its_region_and_the_world(db):
    at = open_page("pages/country.py", {"country": "NGA", "indicator": "identification_rate"})
    no_exceptions(at)
    assert "Nigeria against Western Africa, Africa and the world" in [
        s.value for s in at.subheader]
    chart = next(c for c in at.get("plotly_chart")
                 if "against Western Africa, Africa and the world" in c.proto.spec)
    drawn = {(t.get("meta") or {}).get("scope") for t in json.loads(chart.proto.spec)["data"]}
    assert {"NGA", "Western Africa", "Africa", "WORLD"} <= drawn


def _forms_drawn(at, key_title: str) -> dict[str, dict]:
    """The lines of the forms chart whose title holds ``key_title``: each form's values by
    year."""
    return {t["name"]: dict(zip(t["x"], t["y"], strict=True)) for t in _spec(at, key_title)["data"]
            if t.get("name") and t.get("y") and t.get("x")}


def test_forms_of_exploitation_by_age_and_sex_for_nigeria_2020(db):
    # UNODC's 2025 workbook, Nigeria 2020, other forms of exploitation (rows 56,961-56,967):
    # all ages 26, but children 341 (girls 246, boys 95) and adults 45 (women 28, men 17);
    # forced labour and sexual exploitation for adults only (161 and 460). The page's table
    # gives every group as published; the chart follows the age and sex chosen.
    at = open_page("pages/country.py", {"country": "NGA", "year": "2020"})
    no_exceptions(at)
    table = next(d.value for d in at.dataframe if "Form of exploitation" in d.value.columns)
    other = table[table["Form of exploitation"] == "Other forms of exploitation"].iloc[0]
    assert (other["All ages"], other["Children"], other["Girls"], other["Boys"],
            other["Adults"], other["Women"], other["Men"]) == (
        "26", "341", "246", "95", "45", "28", "17")
    forced = table[table["Form of exploitation"] == "Forced labour"].iloc[0]
    assert (forced["All ages"], forced["Children"], forced["Adults"]) == ("310", "no data",
                                                                         "161")
    assert at.radio(key="cty_form_sex").disabled  # no sex over all ages is published
    at.radio(key="cty_form_age").set_value("0-17").run()
    no_exceptions(at)
    drawn = _forms_drawn(at, "detected victims by form of exploitation, children (0–17)")
    assert drawn["Other forms of exploitation"][2020] == 341
    assert at.query_params["age"] == "0-17" and "sex" not in at.query_params
    assert not at.radio(key="cty_form_sex").disabled
    at.radio(key="cty_form_sex").set_value("female").run()
    no_exceptions(at)
    drawn = _forms_drawn(at, "girls (female, 0–17)")
    assert drawn["Other forms of exploitation"][2020] == 246
    assert at.query_params["sex"] == "female"
    # back to all ages: both sexes again (UNODC gives no sex for all ages)
    at.radio(key="cty_form_age").set_value("all").run()
    no_exceptions(at)
    assert at.radio(key="cty_form_sex").value == "all" and "sex" not in at.query_params
