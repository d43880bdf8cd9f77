"""The Overview in French and Spanish (?lang=), English by default, and an unknown language."""

from __future__ import annotations

import pytest

from tests.pages.apptest_support import no_exceptions, open_page, texts


@pytest.fixture
def db(bundled_db, monkeypatch, tmp_path):
    monkeypatch.setenv("INDICATORS_DB", str(bundled_db))
    monkeypatch.setenv("INDICATORS_LOCALE_CACHE", str(tmp_path / "locale"))
    return bundled_db


def menu(at) -> str:
    return at.sidebar.selectbox[0].label


def test_overview_in_french(db):
    at = open_page(query={"lang": "fr"})
    no_exceptions(at)
    assert [t.value for t in at.title] == ["Indicateurs de lutte contre la traite"]
    assert menu(at) == "Langue" and at.sidebar.selectbox[0].value == "fr"
    page = texts(at)
    assert "**1. Taux de condamnation**" in page
    assert "**4. Taux d'identification des victimes**" in page
    assert "**5. Victimes poursuivies**" in page
    assert "## ODD 16.2.2 (pas l'un des cinq indicateurs de l'article)" in page
    # the same statuses as in English (test_overview_page), in French
    assert "**✖ Pas en bonne voie**" in page and "**○ Pas de données**" in page
    assert page.count("**◐ Cible atteinte sur une variable de substitution**") == 2
    assert "**✗ Non atteinte**" in page
    assert "**Cible :** plus de 30\u00a0% à l'année de référence + 10" in page
    assert "Lisez les taux avec prudence." in page
    box = at.selectbox(key="overview_year")
    assert box.label == "Année affichée sur les cartes"
    assert box.options[:2] == ["2022 : la dernière année bien couverte (recommandée)", "2022"]
    assert [m.label for m in at.metric] == ["Monde, 2022"] * 6
    values = [m.value for m in at.metric]
    # the English page's '1 in 5,700–5,800', 'no data' and '1.61', in French notation
    assert values[0] == "1 sur 5\u202f700–5\u202f800"
    assert values[4] == "pas de données"
    assert values[5] == "1,61"
    # the language stays in the link the page writes
    assert at.query_params["lang"] == ["fr"] or at.query_params["lang"] == "fr"
    assert "Conviction rate" not in page and "Off track" not in page


def test_overview_in_spanish(db):
    at = open_page(query={"lang": "es"})
    no_exceptions(at)
    assert [t.value for t in at.title] == ["Indicadores contra la trata"]
    assert menu(at) == "Idioma"
    page = texts(at)
    assert "**1. Tasa de condena**" in page and "**5. Víctimas procesadas**" in page
    assert "**✖ Mal encaminado**" in page and "**○ Sin datos**" in page
    assert "**✗ No alcanzada**" in page
    assert [m.label for m in at.metric] == ["Mundo, 2022"] * 6
    values = [m.value for m in at.metric]
    assert values[0] == "1 de cada 5.700–5.800" and values[4] == "sin datos"


def test_english_stays_the_default(db):
    at = open_page()
    no_exceptions(at)
    assert [t.value for t in at.title] == ["Anti-Trafficking Indicators"]
    assert menu(at) == "Language" and at.sidebar.selectbox[0].value == "en"
    assert "**1. Conviction rate**" in texts(at)
    assert [m.value for m in at.metric][0] == "1 in 5,700–5,800"
    assert "lang" not in at.query_params


def test_an_unknown_language_is_english_with_a_notice(db):
    at = open_page(query={"lang": "xx"})
    no_exceptions(at)
    assert [t.value for t in at.title] == ["Anti-Trafficking Indicators"]
    assert [w.value for w in at.warning] == [
        "The link asked for a language called 'xx', which this dashboard does not have; it "
        "is shown in English."]
    assert "lang" not in at.query_params  # the link the page writes is English's


def test_the_selector_changes_the_language(db):
    at = open_page()
    at.sidebar.selectbox[0].select("es").run()
    no_exceptions(at)
    assert [t.value for t in at.title] == ["Indicadores contra la trata"]
    assert "**1. Tasa de condena**" in texts(at)


def test_the_browser_language_is_the_first_default(db):
    at = open_page(context={"locale": "es-AR"})
    no_exceptions(at)
    assert [t.value for t in at.title] == ["Indicadores contra la trata"]
    assert at.sidebar.selectbox[0].value == "es"
    # a link's language wins over the browser's, English included
    at = open_page(query={"lang": "en"}, context={"locale": "fr-FR"})
    assert [t.value for t in at.title] == ["Anti-Trafficking Indicators"]
    at = open_page(query={"lang": "fr"}, context={"locale": "es-ES"})
    assert [t.value for t in at.title] == ["Indicateurs de lutte contre la traite"]
    # a browser in a language the dashboard does not speak: English
    at = open_page(context={"locale": "de-DE"})
    assert [t.value for t in at.title] == ["Anti-Trafficking Indicators"]
