"""The Compare page and the Country profile in French and Spanish (?lang=): their own titles,
labels, options, tables and words, with CLDR's country and region names; English stays as it
was (tests/pages/test_compare_page.py, test_country_page.py). The charts' own words, the
download buttons and the footers are other modules' (not checked here)."""

from __future__ import annotations

import json

from streamlit.testing.v1 import AppTest

from indicators import views
from indicators.views.tables import computed_note
from tests.pages.apptest_support import (
    _chart_texts,
    no_exceptions,
    open_on,
    shown_texts,
    texts,
)

NBSP, NNBSP = "\u00a0", "\u202f"  # CLDR's French percent and group marks

# English the two pages wrote themselves: none of it may be left on a French or Spanish page
COMPARE_ENGLISH = (
    "Compare countries", "One indicator at a time", "Indicator or published count",
    "Countries and regions", "Baseline year", "Use proxies", "Always show the target",
    "Fit the data", "Automatic", "Log scale", "Map shows", "Mark the chosen countries",
    "One year: ranking, map and table", "Every country: latest figure", "Year of figure",
    "Estimate year (denominator)", "which the trend spans", "this figure (from",
    "Possible break in the series", "Computed as", "Official figures", "Table (CSV)",
    "(region)", "(subregion)", "Per 100,000 population", "The paper:",
)
COUNTRY_ENGLISH = (
    "Country profile", "Year shown on the cards", "Baseline year", "Use proxies",
    "Brief (PDF)", "A rate compares each year", " against ", "Published figures",
    "Walk Free's estimates", "Every figure for", "with its source", "Figures (CSV)",
    "Who the victims are", "UNODC's breakdowns", "Show the victims' figures",
    "Per 100,000 people", "Forms of exploitation", "Form of exploitation",
    "Which figures exist for which years", "Compare with other countries", "(estimate)",
)


def english_of_the_page(at: AppTest, english: tuple[str, ...]) -> list[str]:
    """The page's own texts (the charts' words aside: indicators/charts' work) that still
    hold one of ``english``."""
    charts = set()
    for chart in at.get("plotly_chart"):
        charts |= set(_chart_texts(json.loads(chart.proto.spec)))
    return sorted({text for text in shown_texts(at) if text not in charts
                   for words in english if words in text})


def row(table, iso3: str) -> dict:
    return table[table["ISO3"] == iso3].iloc[0].to_dict()


def test_compare_in_french(db):
    at = open_on("pages/compare.py", {"lang": "fr"})
    no_exceptions(at)
    assert [t.value for t in at.title] == ["Comparer les pays"]
    scopes = at.multiselect(key="cmp_scopes")
    assert scopes.label == "Pays et régions"
    assert {"Monde", "Europe (région)", "Europe du Nord (sous-région)",
            "Australasie (sous-région)", "Asie du Sud-Est (sous-région)",
            "Trinité-et-Tobago", "Royaume-Uni"} <= set(scopes.options)
    # the countries in the order of their French names: the Emirates among the E
    countries = [o for o in scopes.options if "(" not in o][1:]
    assert countries.index("Égypte") < countries.index("Émirats arabes unis") \
        < countries.index("Équateur") < countries.index("Espagne") < countries.index("Estonie")
    assert at.selectbox(key="cmp_indicator").label == "Indicateur ou nombre publié"
    assert at.radio(key="cmp_scale").options == [
        "Automatique", "Toujours montrer la cible", "Ajuster aux données",
        "Échelle logarithmique"]
    assert at.radio(key="cmp_map").label == "La carte montre"
    assert at.toggle(key="cmp_mark").label == "Marquer les pays choisis sur la carte"
    page = texts(at)
    assert "## Une année : classement, carte et tableau" in page
    assert "### Tous les pays : dernier chiffre de 2003 à 2022" in page
    # the paper's words quoted in English, the rest in French
    assert (f"L'article : «{NBSP}Conviction rate exceeds 30% of estimated trafficking cases "
            f"within 10 years{NBSP}» (traduction : Le taux de condamnation dépasse 30 % des cas "
            "de traite estimés d'ici 10 ans). Calculé comme personnes condamnées ÷ personnes "
            "estimées en situation "
            f"d'esclavage moderne. Cible : plus de 30{NBSP}% à l'année de référence + 10."
            ) in page
    table = at.dataframe[0].value
    assert list(table.columns) == [
        "Pays", "ISO3", "Région", "Valeur", "Statut", "Tendance", "Année du chiffre",
        "Année de l'estimation (dénominateur)", "Source", "Note",
        "Rupture possible dans la série (vérifiez la source)"]
    # the English table's 1 in 620 (2020) for the United Kingdom, its break of 2018
    gbr = row(table, "GBR")
    assert (gbr["Pays"], gbr["Région"], gbr["Valeur"], gbr["Statut"], gbr["Tendance"],
            gbr["Rupture possible dans la série (vérifiez la source)"]) == (
        "Royaume-Uni", "Europe", "1 sur 620", "✖ Pas en bonne voie", "en amélioration",
        "2018, dans la période de la tendance")
    tto = row(table, "TTO")
    assert (tto["Pays"], tto["Région"], tto["Valeur"]) == (
        "Trinité-et-Tobago", "Amériques", f"1 sur 1{NNBSP}700–7{NNBSP}000")
    assert row(table, "RWA")["Rupture possible dans la série (vérifiez la source)"] == (
        "2017, ce chiffre (depuis 2016)")
    assert english_of_the_page(at, COMPARE_ENGLISH) == []


def test_compare_in_spanish(db):
    at = open_on("pages/compare.py", {"lang": "es", "per": "100k",
                                        "indicator": "persons_convicted"})
    no_exceptions(at)
    assert [t.value for t in at.title] == ["Comparar países"]
    assert at.multiselect(key="cmp_scopes").label == "Países y regiones"
    assert "Trinidad y Tobago" in at.multiselect(key="cmp_scopes").options
    assert at.radio(key="cmp_per").options == ["Número", "Por cada 100.000 habitantes"]
    assert at.toggle(key="cmp_proxies").label == "Usar variables sustitutivas"
    page = texts(at)
    assert "## Personas condenadas por cada 100.000 habitantes" in page
    assert ("Calculado como personas condenadas ÷ población × 100.000 (la población del Banco "
            "Mundial del mismo año).") in page
    table = at.dataframe[0].value
    assert list(table.columns) == [
        "País", "ISO3", "Región", "Valor", "Estado", "Tendencia", "Año de la cifra",
        "Año de la estimación (denominador)", "Fuente", "Nota",
        "Posible ruptura en la serie (verifique la fuente)"]
    assert (row(table, "TTO")["País"], row(table, "GBR")["País"]) == (
        "Trinidad y Tobago", "Reino Unido")
    assert english_of_the_page(at, COMPARE_ENGLISH) == []


def test_compare_table_in_spanish_for_conviction_rate(db):
    at = open_on("pages/compare.py", {"lang": "es"})
    no_exceptions(at)
    gbr = row(at.dataframe[0].value, "GBR")
    assert (gbr["Valor"], gbr["Estado"],
            gbr["Posible ruptura en la serie (verifique la fuente)"]) == (
        "1 de cada 620", "✖ Mal encaminado", "2018, dentro del periodo de la tendencia")


def test_country_profile_in_french(db):
    at = open_on("pages/country.py", {"lang": "fr", "country": "TTO"})
    no_exceptions(at)
    assert [t.value for t in at.title] == ["Profil de pays"]
    assert [h.value for h in at.header] == ["Trinité-et-Tobago"]
    assert [s.value for s in at.subheader] == [
        "Trinité-et-Tobago comparé à Caraïbes, Amériques et le monde", "Chiffres publiés",
        "Qui sont les victimes", "Quels chiffres existent pour quelles années"]
    assert [e.label for e in at.expander] == [
        "Trinité-et-Tobago : tous les chiffres (145), avec leur source"]
    assert at.selectbox(key="cty_country").label == "Pays"
    assert at.selectbox(key="cty_year").label == "Année affichée sur les cartes"
    assert at.radio(key="cty_per").label == "Afficher les chiffres des victimes"
    figures = at.dataframe[0].value
    assert list(figures.columns) == ["Mesure", "Année", "Chiffre", "Type", "Source", "Note"]
    first = figures.iloc[0].to_dict()
    assert (first["Mesure"], first["Année"], first["Chiffre"], first["Type"]) == (
        "Infractions de traite enregistrées", 2011, "<5", "masqué (<5)")
    assert "TTO · Caraïbes · Amériques" in texts(at)
    assert english_of_the_page(at, COUNTRY_ENGLISH) == []


def test_country_profile_in_spanish(db):
    at = open_on("pages/country.py", {"lang": "es"})
    no_exceptions(at)
    assert [t.value for t in at.title] == ["Perfil de país"]
    assert [h.value for h in at.header] == ["Reino Unido"]
    assert at.subheader[0].value == "Reino Unido frente a Europa septentrional, Europa y el mundo"
    assert [e.label for e in at.expander] == [
        "Todas las cifras de Reino Unido (141), con su fuente"]
    assert "Trinidad y Tobago" in at.selectbox(key="cty_country").options
    forms = at.dataframe[1].value
    assert list(forms.columns)[0] == "Forma de explotación"
    assert list(at.dataframe[0].value.columns) == [
        "Medida", "Año", "Cifra", "Tipo", "Fuente", "Nota"]
    assert english_of_the_page(at, COUNTRY_ENGLISH) == []


def test_the_words_the_two_pages_take_from_the_views():
    # the formula of SDG 16.2.2: 'victims_detected / population × 100,000'
    assert views.formula_words("victims_per_100k") == (
        "detected trafficking victims ÷ population × 100,000")
    assert views.formula_words("victims_per_100k", "fr") == (
        f"victimes de la traite détectées ÷ population × 100{NNBSP}000")
    assert views.formula_words("reporting_increase", "es") == (
        "víctimas denunciadas(año) ÷ víctimas denunciadas(año de referencia) - 1")
    assert views.against_words(["Western Africa", "Africa"]) == (
        "Western Africa, Africa and the world")
    assert views.against_words(["Western Africa", "Africa"], "es") == (
        "África occidental, África y el mundo")
    assert views.against_words([], "fr") == "sa région et le monde"
    kinds = {"Australia and New Zealand": "subregion", "Europe": "region"}
    names = {"GBR": "United Kingdom", "Europe": "Europe",
             "Australia and New Zealand": "Australia and New Zealand"}
    assert [views.scope_label(s, names, kinds, "fr") for s in
            ("WORLD", "Europe", "Australia and New Zealand", "GBR")] == [
        "Monde", "Europe (région)", "Australasie (sous-région)", "Royaume-Uni"]
    assert [views.scope_label(s, names, kinds) for s in
            ("WORLD", "Australia and New Zealand", "GBR")] == [
        "World", "Australia and New Zealand (subregion)", "United Kingdom"]
    assert views.name_order("Égypte", "fr") < views.name_order("Espagne", "fr")
    assert views.name_order("Côte d'Ivoire") == "Côte d'Ivoire"
    assert computed_note("Before the baseline year 2015.", "fr") == (
        "Avant l'année de référence 2015.")
    assert computed_note("No figure for the baseline year 2015. As published.", "es") == (
        "No hay cifra para el año de referencia 2015. As published.")
    assert views.localised_figure("136,000 (estimate)", "fr") == f"136{NNBSP}000 (estimation)"


# Test NGO's casework for the United Kingdom, 2019: 9,000 persons convicted against UNODC's
# 251; the conviction rate divides by Walk Free's 122,000 (tests/pages/test_series_pages.py):
# 251 / 122,000 = '1 in 490', 9,000 / 122,000 = 7.38%
CASEWORK = (b"country,year,measure,value,source,note\r\n"
            b"United Kingdom,2019,persons_convicted,9000,Test NGO casework 2019,"
            b"their casework\r\n")


def _with_the_casework(db) -> None:
    from indicators.store import Store
    from indicators.upload.pipeline import commit, prepare

    with Store(db) as store:
        commit(prepare(CASEWORK, "casework.csv", store, organisation="Test NGO"), store,
               kind="upload", contributor="Ana", organisation="Test NGO")
        store.approve_batch(6, reviewer="Rita")


def test_a_contributed_series_beside_the_official_one_in_french(db):
    _with_the_casework(db)
    at = open_on("pages/compare.py", {"lang": "fr", "indicator": "conviction_rate",
                                        "year": "2019", "years": "2019-2019",
                                        "countries": "GBR,WORLD", "series": "Test NGO"})
    no_exceptions(at)
    assert at.selectbox(key="cmp_series").label == "Série"
    assert "Test NGO (contribution)" in at.selectbox(key="cmp_series").options
    assert "Chiffres officiels" in at.selectbox(key="cmp_series").options
    assert "## Chiffres officiels et ceux fournis par Test NGO" in texts(at)
    both = next(d.value for d in at.dataframe if "Série" in d.value.columns)
    gbr = both[both["ISO3"] == "GBR"]
    assert list(gbr["Pays"]) == ["Royaume-Uni", "Royaume-Uni"]
    assert list(gbr["Série"]) == ["officielle", "fournie par Test NGO"]
    assert list(gbr["Valeur"]) == ["1 sur 490", f"7,4{NBSP}%"]
    said = "\n".join(t.value for t in at.text)
    assert (f"Test NGO déclare 9{NNBSP}000 personnes condamnées pour Royaume-Uni en 2019 (their "
            "casework) ; chiffre officiel : 251.") in said
    assert english_of_the_page(at, COMPARE_ENGLISH + (" reports ", "official")) == []

    at = open_on("pages/country.py", {"lang": "es", "country": "GBR", "year": "2019",
                                        "series": "Test NGO"})
    no_exceptions(at)
    assert at.subheader[0].value == "Cifras oficiales y las aportadas por Test NGO"
    both = next(d.value for d in at.dataframe if "Indicador" in d.value.columns)
    assert list(both.columns) == ["Indicador", "Año", "Serie", "Valor", "Estado"]
    convictions = both[both["Indicador"] == "1. Tasa de condena"]
    assert list(convictions["Serie"]) == ["oficial", "aportada por Test NGO"]
    assert list(convictions["Valor"]) == ["1 de cada 490", f"7,4{NBSP}%"]
    said = "\n".join(t.value for t in at.text)
    assert ("Test NGO informa de 9.000 personas condenadas en 2019 (their casework); cifra "
            "oficial: 251.") in said
