"""The Series breaks page (and the cards' sentences on the Overview) in French and Spanish
(?lang=); English stays the default (tests/pages/test_breaks_page.py, test_overview_page.py)."""

from __future__ import annotations

from tests.pages.apptest_support import no_exceptions, open_on, open_page, texts

NNBSP = "\u202f"  # CLDR's French group mark


def test_series_breaks_in_french(db):
    at = open_on("pages/breaks.py", {"country": "GBR", "lang": "fr"})
    no_exceptions(at)
    assert [t.value for t in at.title] == ["Ruptures de série"]
    countries = at.multiselect(key="brk_countries")
    assert countries.label == "Pays" and countries.value == ["GBR"]
    assert at.multiselect(key="brk_measures").label == "Mesures"
    table = at.dataframe[0].value
    assert list(table.columns) == ["Pays", "ISO3", "Mesure", "Année", "Avant → après",
                                   "Variation", "Source"]
    # the English page's 601 (2016) → 5,138 (2017), 'rose 8.5-fold' (5,138 ÷ 601 = 8.55)
    detected = table[table["Mesure"] == "Victimes de la traite détectées"].iloc[0]
    assert (detected["Pays"], detected["Année"], detected["Avant → après"],
            detected["Variation"]) == (
        "Royaume-Uni", 2017, f"601 (2016) → 5{NNBSP}138 (2017)", "multiplié par 8,5")
    assert "**8 ruptures possibles** dans 1 pays (filtrées)." in texts(at)
    assert "Series breaks" not in [t.value for t in at.title]


def test_series_breaks_in_spanish_filtered_by_measure(db):
    at = open_on("pages/breaks.py", {"country": "GBR", "measure": "persons_convicted",
                                       "lang": "es"})
    no_exceptions(at)
    assert [t.value for t in at.title] == ["Rupturas de serie"]
    table = at.dataframe[0].value
    # persons convicted: 98 (2011) → 18 (2012), 98 / 18 = 5.4; 59 (2017) → 191 (2018), 3.2
    assert list(zip(table["Año"], table["Variación"], strict=True)) == [
        (2012, "se dividió por 5,4"), (2018, "se multiplicó por 3,2")]
    assert set(table["Medida"]) == {"Personas condenadas"}
    assert set(table["País"]) == {"Reino Unido"}
    assert "**2 posibles rupturas** en 1 país (filtradas)." in texts(at)


def test_series_breaks_stay_english_by_default(db):
    at = open_on("pages/breaks.py", {"country": "GBR"})
    no_exceptions(at)
    assert [t.value for t in at.title] == ["Series breaks"]
    assert list(at.dataframe[0].value.columns) == [
        "Country", "ISO3", "Measure", "Year", "Before → after", "Change", "Source"]


def test_the_overviews_card_sentences_in_french_and_spanish(db):
    at = open_page(query={"lang": "fr"})
    no_exceptions(at)
    page = texts(at)
    # the world in 2022: 115 countries with a figure, the most 149 in 2020 (test_views)
    assert ("**Année :** 2022 est la dernière année avec des chiffres pour au moins moitié "
            "autant de pays et territoires que la meilleure année (115 ; le maximum est 149, "
            "en 2020).") in page
    assert "Tendance depuis 2015 : " in page and "Trend since" not in page
    assert " sur 246 pays et territoires, " in page and "countries and territories" not in page
    at = open_page(query={"lang": "es"})
    no_exceptions(at)
    page = texts(at)
    assert "Tendencia desde 2015: " in page and " de 246 países y territorios, " in page
    assert "Trend since" not in page
