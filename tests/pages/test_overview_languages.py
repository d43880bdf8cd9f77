"""The Overview in French and Spanish (?lang=), English by default, and an unknown language."""

from __future__ import annotations

import pytest

from indicators.measures import PAPER_CITATION
from pages.shared import LANG
from tests.pages.apptest_support import english_left, no_exceptions, open_page, texts


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
    assert box.options[:2] == ["2022 (recommandée)", "2022"]
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


# The paper's citation (its title and journal, proper names) is quoted as it is published, in
# the data-as-of line.
ALLOWED = [PAPER_CITATION]


def page_in(lang: str):
    at = open_page(query={"lang": lang}, session={LANG: lang})
    no_exceptions(at)
    return at


@pytest.mark.parametrize(("lang", "said"), [
    ("fr", [
        # the data-as-of line: the bundled releases' words and dates in French (the publishers'
        # names stay), as in the English page's 'UNODC data portal release of 14 April 2025
        # (years 2003–2022); …'
        "Données à jour : UNODC portail de données, édition du 14 avril 2025 \\(années "
        "2003–2022\\); UNODC jeu de données des ODD, édition du 15 mai 2025 \\(16\\.2\\.2\\: "
        "années 2007–2024\\); Walk Free GSI 2023 \\(estimations pour 2021\\); World Bank "
        "série des WDI telle que conditionnée le 6 mars 2026",
        # indicator 2 and 3 rest on proxies for every country counted (the English page's 'Used
        # for 80 of 80 countries.', 'Used for 115 of 115 countries.')
        "lorsqu'un pays ne publie pas de série de victimes signalées. Utilisé pour 80 pays "
        "sur 80.",
        " Utilisé pour 115 pays sur 115.",
        # indicator 5 has no data: its measure's description
        "Victimes de la traite identifiées poursuivies dans l'année pour des infractions "
        "liées à l'immigration ou à la prostitution. Aucune série publiée ; provient des "
        "envois.",
    ]),
    ("es", [
        "Datos a fecha de: UNODC portal de datos, edición del 14 de abril de 2025 \\(años "
        "2003–2022\\); UNODC conjunto de datos de los ODS, edición del 15 de mayo de "
        "2025",
        " Usado para 80 de 80 países.",
        " Usado para 115 de 115 países.",
    ]),
], ids=["fr", "es"])
def test_no_english_left_on_the_overview(db, lang, said):
    at = page_in(lang)
    assert english_left(at, allowed=ALLOWED) == []
    page = texts(at)
    for words in said:
        assert words in page


def test_the_french_overviews_brief_button(db):
    brief = page_in("fr").get("download_button")[0].proto
    assert (brief.label, brief.help) == (
        "Fiche mondiale (PDF)", "Le monde sur deux pages A4 : les cinq indicateurs comme sur "
        "cette page, le monde face à ses régions, les sources et la méthode.")


@pytest.mark.parametrize(("lang", "expected"), [
    ("fr", {"Image PNG": "1600×900 en double résolution, avec le titre, les sources et les notes.",
            "Image SVG": "Image vectorielle pour l'impression et les présentations, avec le "
                         "titre, les sources et les notes.",
            "Données (CSV)": "Exactement les lignes tracées dans ce graphique.",
            "Tout télécharger (ZIP)": "Chaque graphique de cette page en PNG, SVG et CSV, avec "
                                      "un README.txt qui donne le lien vers cette vue, les "
                                      "sources, leur édition et leur licence."}),
    ("es", {"Imagen PNG": "1600×900 a doble resolución, con el título, las fuentes y las notas.",
            "Datos (CSV)": "Exactamente las filas dibujadas en este gráfico.",
            "Descargar todo (ZIP)": "Cada gráfico de esta página en PNG, SVG y CSV, con un "
                                    "README.txt que da el enlace a esta vista, las fuentes, su "
                                    "edición y su licencia."}),
])
def test_the_chart_download_buttons_in_the_sessions_language(db, lang, expected):
    """Every chart's PNG, SVG and CSV buttons and 'Download all (ZIP)' are pages/shared.py's
    (the Overview draws none: they are seen here on Compare)."""
    at = open_page("pages/compare.py", {"lang": lang}, session={LANG: lang})
    no_exceptions(at)
    buttons = [(b.proto.label, b.proto.help) for b in at.get("download_button")]
    for label, help_text in expected.items():
        assert (label, help_text) in buttons
    english = {"PNG image", "SVG image", "Data (CSV)", "Download all (ZIP)"}
    assert not english & {label for label, _help in buttons}
