"""Every chart family besides the chart over time in French and Spanish (``lang``): the ranking,
the map, the coverage heatmaps, a country's published figures, the sparkline, the victims'
breakdowns and their places, their tick labels as CLDR writes numbers ('1 sur 1 000',
'1 de cada 1.000'), and their text alternatives; no English word left in what a figure shows
(its title, axis titles, ticks, legend and hover names, annotations); English the figure it
always was.

The footer is left out of the 'no English' check: its source citations are the publishers'
own titles, and its data notes (how many countries an aggregate rests on) are written in
``charts.frame``, translated with the footers elsewhere. Our own notes in it are checked.

Numbers: CLDR's French groups thousands with a narrow no-break space (U+202F) and puts a
no-break space (U+00A0) before '%'; Spanish groups with '.' and also spaces '%'.
"""

from __future__ import annotations

import html
import json
import re

import plotly.graph_objects as go
import pytest

from indicators import alt_text, charts, victims, views
from tests.helpers import by_language
from tests.pages.apptest_support import _WORD, ENGLISH_WORDS, _chart_texts
from tests.unit.chart_fixtures import (
    synthetic_countries,
    synthetic_geojson,
    synthetic_observations,
    synthetic_sources,
)
from tests.unit.test_compute import fig as figure
from tests.unit.test_compute import obs
from tests.unit.test_victims import victim_rows

YEARS = (2015, 2021)
NNBSP, NBSP = "\u202f", "\u00a0"
V = "victims_detected"
# Real countries for the victims' charts, so that their names come from CLDR: the United
# Kingdom detects 20 girls in 2019 (10 in 2018) and '<5' men; 60 in forced labour and 30 in
# sexual exploitation; 30 'nationals', 5 of its own code, 40 Albanians, '<5' Vietnamese and 9
# of unknown citizenship; Albania detects 15 British victims, Viet Nam '<5'.
VICTIM_ROWS = [
    *victim_rows("GBR", "ALB", "VNM"),
    figure("GBR", 2018, f"{V}|sex=female|age=0-17", 10),
    figure("GBR", 2019, f"{V}|form=sexual_exploitation", 30),
]
VICTIM_NAMES = {"GBR": "United Kingdom", "ALB": "Albania", "VNM": "Viet Nam"}
UK = {"fr": "Royaume-Uni", "es": "Reino Unido", "en": "United Kingdom"}


def english_words(fig: go.Figure) -> list[str]:
    """The texts a figure shows, footer aside, that hold English words (``ENGLISH_WORDS``)."""
    spec = json.loads(fig.to_json())
    spec["layout"]["annotations"] = [a for a in spec["layout"].get("annotations", [])
                                     if a.get("name") != "footer"]
    left = []
    for text in _chart_texts(spec):
        rest = re.sub(r"<[^>]+>|%\{[^}]*\}|\{[^}]*\}", " ", text)
        if {w.lower() for w in _WORD.findall(rest) if not w.isupper()} & ENGLISH_WORDS:
            left.append(text)
    return left


def footer(fig: go.Figure) -> str:
    (note,) = [a for a in fig.layout.annotations if a.name == "footer"]
    return " ".join(html.unescape(note.text.replace("<br>", " ")).split())


def labels(fig: go.Figure) -> list[str]:
    return [a.text for a in fig.layout.annotations if a.name != "footer"]


# -- the ranking -----------------------------------------------------------------------------
def _ranking(frame, names, lang=None):
    data = views.ranking_data(frame, "conviction_rate", 2015, ["BBB", "AAA", "WORLD"], names)
    kwargs = {} if lang is None else {"lang": lang}
    return data, charts.ranking_bars(data, "conviction_rate", sources=synthetic_sources(),
                                     year=2015, **kwargs)


RANKING = by_language(
    # AAA's conviction rate in 2015: '<5' convicted of 1,000 estimated victims, 1 to 4 in
    # 1,000, so 1 in 250 to 1 in 1,000; the world is AAA alone; BBB has no figure
    title=("<b>Taux de condamnation en 2015</b>",
           "<b>Tasa de condena en 2015</b>"),
    axis=("Personnes condamnées par victime estimée",
          "Personas condenadas por víctima estimada"),
    tick=(f"0,1{NBSP}%<br>1 sur 1{NNBSP}000",
          f"0,1{NBSP}%<br>1 de cada 1.000"),
    range=("Fourchette : un chiffre « <5 » (1 à 4)",
           "Intervalo: una cifra «<5» (1 a 4)"),
    bar=(f"1 sur 250–1{NNBSP}000  ✖",
         "1 de cada 250–1.000  ✖"),
    places=(["Aland Test", "Monde"],
            ["Aland Test", "Mundo"]),
    no_data=("pas de données",
             "sin datos"),
    hover=(f"<b>Aland Test</b>, 2015<br>1 sur 250–1{NNBSP}000 (0,10{NBSP}%–0,40{NBSP}%)"
           "<br>✖ Pas en bonne voie",
           f"<b>Aland Test</b>, 2015<br>1 de cada 250–1.000 (0,10{NBSP}%–0,40{NBSP}%)"
           "<br>✖ Mal encaminado"),
    rule=("Classés par valeur, de la plus élevée à la plus basse ;",
          "Ordenados de mayor a menor valor;"),
    alt=(f"Taux de condamnation en 2015, du plus élevé au plus bas : Aland Test 1 sur "
         f"250–1{NNBSP}000 (pas en bonne voie), Monde 1 sur 250–1{NNBSP}000 (pas en bonne "
         f"voie) ; pas de données pour Bland Test ; cible : plus de 30{NBSP}% à l'année de "
         "référence + 10.",
         "Tasa de condena en 2015, de mayor a menor: Aland Test 1 de cada 250–1.000 (mal "
         "encaminado), Mundo 1 de cada 250–1.000 (mal encaminado); sin datos para Bland "
         f"Test; meta: más del 30{NBSP}% en el año de referencia + 10."),
)


@pytest.mark.parametrize("lang", ["fr", "es"])
def test_the_ranking_in_french_and_spanish(frame, names, lang):
    want = RANKING[lang]
    data, fig = _ranking(frame, names, lang)
    assert fig.layout.title.text == want["title"]
    assert fig.layout.xaxis.title.text == want["axis"]
    assert fig.layout.xaxis.ticktext[1] == want["tick"]
    roles = {(t.meta or {}).get("role"): t for t in fig.data}
    assert roles["range"].name == want["range"]
    assert list(roles["range"].text) == [want["bar"]] * 2
    assert list(roles["range"].y) == want["places"]
    assert roles["range_floor"].customdata[0] == want["hover"]
    assert want["no_data"] in labels(fig)
    assert want["rule"] in footer(fig)
    assert english_words(fig) == []
    assert alt_text.ranking(data, "conviction_rate", 2015, lang) == want["alt"]


def test_a_ranking_in_english_is_the_figure_it_was(frame, names):
    data, default = _ranking(frame, names)
    _data, english = _ranking(frame, names, "en")
    assert default.to_json() == english.to_json()
    assert default.layout.title.text == "<b>Conviction rate in 2015</b>"
    assert default.layout.xaxis.ticktext[1] == "0.1%<br>1 in 1,000"
    assert alt_text.ranking(data, "conviction_rate", 2015) == alt_text.ranking(
        data, "conviction_rate", 2015, "en")


# -- the map ---------------------------------------------------------------------------------
def _map(frame, names, lang=None, mode="value"):
    latest = views.latest_figures(frame, "identification_rate", 2021, 2015, names)
    kwargs = {} if lang is None else {"lang": lang}
    return latest, charts.world_map(latest, "identification_rate", geojson=synthetic_geojson(),
                                    sources=synthetic_sources(), year=2021, first_year=2015,
                                    mode=mode, marked=("AAA",), **kwargs)


MAP = by_language(
    # identification rates: AAA 15.0% (2017), BBB 1.5% (2017), CCC none; the target 20%, the
    # groups under 5%, 5% to 10% (empty), 10% to 20%, 20% or more (empty)
    title=("<b>Taux d'identification des victimes : chiffre le plus récent jusqu'en "
           "2021</b>",
           "<b>Tasa de identificación de víctimas: cifra más reciente hasta 2021</b>"),
    status_title=("<b>Taux d'identification des victimes : statut jusqu'en 2021</b>",
                  "<b>Tasa de identificación de víctimas: estado hasta 2021</b>"),
    legend=([f"moins de 5{NBSP}%", f"5{NBSP}% à moins de 10{NBSP}% : aucun",
             f"10{NBSP}% à moins de 20{NBSP}%", f"20{NBSP}% ou plus (cible) : aucun",
             "○ Pas de données", "Choisis ci-dessus"],
            [f"menos de 5{NBSP}%", f"5{NBSP}% a menos de 10{NBSP}%: ninguno",
             f"10{NBSP}% a menos de 20{NBSP}%", f"20{NBSP}% o más (meta): ninguno",
             "○ Sin datos", "Elegidos arriba"]),
    status=(["✗ Non atteinte", "○ Pas de données", "Choisis ci-dessus"],
            ["✗ No alcanzada", "○ Sin datos", "Elegidos arriba"]),
    hover=(f"<b>Aland Test</b><br>15,0{NBSP}% (2017)<br>✗ Non atteinte",
           f"<b>Aland Test</b><br>15,0{NBSP}% (2017)<br>✗ No alcanzada"),
    note=("2 des 3 pays et territoires disposent d'un chiffre de 2015 à 2021 ;",
          "2 de los 3 países y territorios tienen una cifra de 2015 a 2021;"),
    alt=("Taux d'identification des victimes, chiffre le plus récent de chaque pays de 2015 "
         f"à 2021 : 2 pays sur 3 en ont un ; le plus élevé Aland Test 15,0{NBSP}% (2017), le "
         f"plus bas Bland Test 1,5{NBSP}% (2017) ; 2 non atteinte ; cible : plus de "
         f"20{NBSP}% chaque année.",
         "Tasa de identificación de víctimas, cifra más reciente de cada país de 2015 a "
         f"2021: 2 de 3 países tienen una; el más alto Aland Test 15,0{NBSP}% (2017), el más "
         f"bajo Bland Test 1,5{NBSP}% (2017); 2 no alcanzada; meta: más del 20{NBSP}% cada "
         "año."),
)


@pytest.mark.parametrize("lang", ["fr", "es"])
def test_the_map_in_french_and_spanish(frame, names, lang):
    want = MAP[lang]
    latest, fig = _map(frame, names, lang)
    assert fig.layout.title.text == want["title"]
    assert [t.name for t in fig.data if (t.meta or {}).get("role") == "legend"] == want["legend"]
    shapes = next(t for t in fig.data if (t.meta or {}).get("role") == "countries")
    assert want["hover"] in list(shapes.customdata)
    assert want["note"] in footer(fig)
    assert english_words(fig) == []
    assert alt_text.world_map(latest, "identification_rate", 2021, 2015, lang) == want["alt"]
    _latest, status = _map(frame, names, lang, mode="status")
    assert status.layout.title.text == want["status_title"]
    assert [t.name for t in status.data
            if (t.meta or {}).get("role") == "legend"] == want["status"]
    assert english_words(status) == []


def test_the_map_in_english_is_the_figure_it_was(frame, names):
    _latest, default = _map(frame, names)
    assert default.to_json() == _map(frame, names, "en")[1].to_json()
    assert [t.name for t in default.data if (t.meta or {}).get("role") == "legend"][:2] == [
        "under 5%", "5% to under 10%: none"]


@pytest.mark.parametrize(("lang", "words"), [
    ("fr", ["moins de 1 sur 10\u202f000", "1 sur 10\u202f000 à moins de 1 sur 1\u202f000",
            "1 sur 1\u202f000 à moins de 1\u00a0%", "1\u00a0% à moins de 5\u00a0%",
            "5\u00a0% à moins de 10\u00a0%", "10\u00a0% ou plus (cible)"]),
    ("es", ["menos de 1 de cada 10.000", "1 de cada 10.000 a menos de 1 de cada 1.000",
            "1 de cada 1.000 a menos de 1\u00a0%", "1\u00a0% a menos de 5\u00a0%",
            "5\u00a0% a menos de 10\u00a0%", "10\u00a0% o más (meta)"]),
])
def test_the_map_groups_and_the_axis_ticks_say_one_in_n_as_cldr_writes_it(lang, words):
    breaks = [0.0001, 0.001, 0.01, 0.05, 0.10]
    assert charts._bin_labels(breaks, "share", 0.10, lang) == words
    assert charts._bin_labels(breaks, "share", 0.10)[1] == "1 in 10,000 to under 1 in 1,000"
    assert charts.tick_text(0.0001, "share", lang) == words[1].split(" à ")[0].split(" a ")[0]
    axis = charts.value_axis([0.001], [0.5], None, "share", "log", lang)
    assert axis.notes[-1] == {
        "fr": "Échelle logarithmique : chaque graduation de l'axe vaut dix fois la précédente.",
        "es": "Escala logarítmica: cada marca del eje vale diez veces la anterior.",
    }[lang]


# -- lines: the names of a range and its lower end ------------------------------------------
@pytest.mark.parametrize(("lang", "want", "hover"), [
    # the world in 2015 is AAA alone, whose '<5' convicted make it a range
    ("fr", ["Monde : fourchette", "Monde", "Monde (borne inférieure)"],
     f"<b>Monde</b>, 2015<br>1 sur 250–1{NNBSP}000 (0,10{NBSP}%–0,40{NBSP}%)<br>✖ Pas en "
     "bonne voie<br>1 pays avec des chiffres<br>1 des 1 pays ont déclaré « &lt;5 » ; la "
     "valeur est une fourchette."),
    ("es", ["Mundo: intervalo", "Mundo", "Mundo (extremo inferior)"],
     f"<b>Mundo</b>, 2015<br>1 de cada 250–1.000 (0,10{NBSP}%–0,40{NBSP}%)<br>✖ Mal "
     "encaminado<br>1 país con cifras<br>1 de los 1 países declararon «&lt;5»; el valor es "
     "un intervalo."),
])
def test_a_lines_range_and_lower_end_are_named_in_the_language(frame, names, lang, want,
                                                               hover):
    data = views.lines_data(frame, "conviction_rate", ["WORLD", "AAA", "BBB"], YEARS, names)
    fig = charts.indicator_lines(data, "conviction_rate", sources=synthetic_sources(),
                                 baseline_year=2015, deadline_year=2025, years=YEARS, lang=lang)
    assert [t.name for t in fig.data][:3] == want
    assert fig.data[1].customdata[0] == hover
    assert english_words(fig) == []
    sentence = alt_text.lines(data, "conviction_rate", lang)
    assert sentence.startswith({
        "fr": f"Taux de condamnation, 2015–2021 : Monde, hausse de 1 sur 250–1{NNBSP}000 en "
              f"2015 à 1,2{NBSP}% en 2017 (pas en bonne voie) ; ",
        "es": "Tasa de condena, 2015–2021: Mundo, aumento de 1 de cada 250–1.000 en 2015 a "
              f"1,2{NBSP}% en 2017 (mal encaminado); ",
    }[lang])


# -- coverage --------------------------------------------------------------------------------
COVERAGE = by_language(
    summary=("<b>Combien de pays disposent de chaque chiffre, par année</b>",
             "<b>Cuántos países tienen cada cifra, por año</b>"),
    hover=("%{y}, %{x} : %{z} pays<extra></extra>",
           "%{y}, %{x}: %{z} países<extra></extra>"),
    matrix=("<b>Quels pays disposent de chiffres pour « Victimes de la traite détectées » en "
            "Afrique, par année</b>",
            "<b>Qué países tienen cifras de «Víctimas de trata detectadas» en África, por "
            "año</b>"),
    states=(["Chiffre communiqué", "Estimation (marqué « est. »)",
             "Communiqué comme « &lt;5 » (1 à 4)", "Aucun chiffre"],
            ["Cifra comunicada", "Estimación (marcado «est.»)",
             "Comunicado como «&lt;5» (1 a 4)", "Sin cifra"]),
    regions=(["<b>Afrique</b>", "<b>Europe</b>"],
             ["<b>África</b>", "<b>Europa</b>"]),
    strip=("<b>Aland Test : quels chiffres existent pour quelles années</b>",
           "<b>Aland Test: qué cifras existen para qué años</b>"),
    cell=("Chaque case est un chiffre publié ; une case vide est une année sans chiffre "
          "(pas un zéro).",
          "Cada celda es una cifra publicada; una celda vacía es un año sin cifra (no un "
          "cero)."),
    matrix_alt=("Victimes de la traite détectées, 2015–2021 : 2 pays sur 2 ont au moins un "
                "chiffre ; le plus en 2017 (2 pays), le moins en 2021 (0).",
                "Víctimas de trata detectadas, 2015–2021: 2 de 2 países tienen al menos una "
                "cifra; el máximo en 2017 (2 países), el mínimo en 2021 (0)."),
    summary_alt=("Pays disposant de chaque chiffre, 2015–2021 : personnes estimées en "
                 "situation d'esclavage moderne de 0 (2015) à 2 (2021) ; victimes de la "
                 "traite détectées de 0 (2016) à 2 (2017) ; personnes condamnées de 0 (2018) "
                 "à 1 (2017).",
                 "Países con cada cifra, 2015–2021: personas estimadas en esclavitud moderna "
                 "de 0 (2015) a 2 (2021); víctimas de trata detectadas de 0 (2016) a 2 "
                 "(2017); personas condenadas de 0 (2018) a 1 (2017)."),
    strip_alt=("Aland Test, 2015–2021 : chiffres pour personnes estimées en situation "
               "d'esclavage moderne sur 1 année ; victimes de la traite détectées sur 2 "
               "années ; personnes condamnées sur 3 années (dont 1 « <5 ») ; aucun chiffre "
               "pour personnes poursuivies,",
               "Aland Test, 2015–2021: cifras de personas estimadas en esclavitud moderna en "
               "1 año; víctimas de trata detectadas en 2 años; personas condenadas en 3 años "
               "(1 de ellos «<5»); ninguna cifra de personas procesadas,"),
)


@pytest.mark.parametrize("lang", ["fr", "es"])
def test_the_coverage_heatmaps_in_french_and_spanish(lang):
    want = COVERAGE[lang]
    observations, sources = synthetic_observations(), synthetic_sources()
    summary = views.coverage_summary(observations, YEARS)
    fig = charts.coverage_summary_heatmap(summary, sources=sources, universe=3, lang=lang)
    assert fig.layout.title.text == want["summary"]
    assert fig.data[0].hovertemplate == want["hover"]
    assert english_words(fig) == []
    assert alt_text.coverage_summary(summary, lang) == want["summary_alt"]

    matrix = views.coverage_matrix(observations, synthetic_countries(), V, YEARS)
    fig = charts.coverage_heatmap(matrix, V, sources=sources, region="Africa", universe=3,
                                  lang=lang)
    assert fig.layout.title.text == want["matrix"]
    assert [t.name for t in fig.data[1:]] == want["states"]
    assert labels(fig) == want["regions"]
    assert want["cell"] in footer(fig)
    assert english_words(fig) == []
    assert alt_text.coverage_matrix(matrix, V, lang) == want["matrix_alt"]

    strip = views.coverage_strip_data(observations, "AAA", YEARS)
    fig = charts.coverage_strip(strip, country_name="Aland Test", sources=sources, lang=lang)
    assert fig.layout.title.text == want["strip"]
    assert english_words(fig) == []
    assert alt_text.coverage_strip(strip, "Aland Test", lang).startswith(want["strip_alt"])


# -- a country's published figures and a card's sparkline ---------------------------------
@pytest.mark.parametrize(("lang", "title", "alt"), [
    ("fr", "<b>Aland Test : chiffres publiés, 2015–2021</b>",
     "Chiffres publiés par Aland Test : victimes de la traite détectées, hausse de 100 en 2015 "
     "à 150 en 2017, sans chiffres pour 1 de ces 3 années ; personnes condamnées, hausse de <5 "
     "en 2015 à 12 en 2017."),
    ("es", "<b>Aland Test: cifras publicadas, 2015–2021</b>",
     "Cifras publicadas de Aland Test: víctimas de trata detectadas, aumento de 100 en 2015 a "
     "150 en 2017, sin cifras en 1 de esos 3 años; personas condenadas, aumento de <5 en 2015 "
     "a 12 en 2017."),
])
def test_published_figures_in_french_and_spanish(lang, title, alt):
    series = views.measure_series(synthetic_observations(), "AAA", [V, "persons_convicted"])
    fig = charts.measure_lines(series, country_name="Aland Test", sources=synthetic_sources(),
                               years=YEARS, lang=lang)
    assert fig.layout.title.text == title
    assert english_words(fig) == []
    assert alt_text.published_figures(series, "Aland Test", lang) == alt


@pytest.mark.parametrize(("lang", "ends", "alt"), [
    # AAA's identification rate: 10.0% in 2015, none in 2016, 15.0% in 2017
    ("fr", [f"10,0{NBSP}%<br>2015", f"15,0{NBSP}%<br>2017"],
     f"Aland Test : taux d'identification des victimes, hausse de 10,0{NBSP}% en 2015 à "
     f"15,0{NBSP}% en 2017, sans chiffres pour 1 de ces 3 années ; le losange marque 2017, "
     "l'année de la carte."),
    ("es", [f"10,0{NBSP}%<br>2015", f"15,0{NBSP}%<br>2017"],
     f"Aland Test: tasa de identificación de víctimas, aumento de 10,0{NBSP}% en 2015 a "
     f"15,0{NBSP}% en 2017, sin cifras en 1 de esos 3 años; el rombo marca 2017, el año de la "
     "tarjeta."),
])
def test_the_sparkline_in_french_and_spanish(frame, lang, ends, alt):
    rows = views.series(frame, "identification_rate", "AAA")
    fig = charts.sparkline(rows, "identification_rate", highlight_year=2017, lang=lang)
    assert [a.text for a in fig.layout.annotations] == ends
    assert english_words(fig) == []
    assert alt_text.sparkline(rows, "identification_rate", "Aland Test", 2017, lang) == alt
    assert charts.sparkline(rows, "identification_rate", highlight_year=2017).to_json() == \
        charts.sparkline(rows, "identification_rate", highlight_year=2017, lang="en").to_json()


# -- who the victims are and where they come from -----------------------------------------
VICTIMS = by_language(
    split=("<b>Royaume-Uni : victimes détectées par sexe et âge, pour 100 000 habitants, "
           "2018–2019</b>",
           "<b>Reino Unido: víctimas detectadas por sexo y edad, por cada 100.000 "
           "habitantes, 2018–2019</b>"),
    axis=("Victimes détectées pour 100 000 habitants",
          "Víctimas detectadas por cada 100.000 habitantes"),
    girls=("Filles (féminin, 0–17 ans)",
           "Niñas (femenino, 0–17 años)"),
    men_range=("Hommes (masculin, 18 ans ou plus) : fourchette",
               "Hombres (masculino, 18 años o más): intervalo"),
    # 20 girls of 2,000,000 people: 1.00 per 100,000
    hover=("<b>Filles (féminin, 0–17 ans)</b>, 2019<br>1,00 pour 100 000 habitants<br>20 "
           "victimes détectées",
           "<b>Niñas (femenino, 0–17 años)</b>, 2019<br>1,00 por cada 100.000 "
           "habitantes<br>20 víctimas detectadas"),
    forms=(["Exploitation sexuelle", "Travail forcé"],
           ["Explotación sexual", "Trabajo forzoso"]),
    split_alt=("Royaume-Uni, victimes détectées par sexe et âge : filles (féminin, 0–17 ans), "
               "hausse de 10 en 2018 à 20 en 2019 ; hommes (masculin, 18 ans ou plus), <5 en "
               "2019.",
               "Reino Unido, víctimas detectadas por sexo y edad: niñas (femenino, 0–17 "
               "años), aumento de 10 en 2018 a 20 en 2019; hombres (masculino, 18 años o "
               "más), <5 en 2019."),
    citizenship=("<b>Royaume-Uni : nationalité des victimes détectées en 2019</b>",
                 "<b>Reino Unido: nacionalidad de las víctimas detectadas en 2019</b>"),
    own=(["Ressortissants du pays", "Royaume-Uni (ressortissants du pays)"],
         ["Nacionales del propio país", "Reino Unido (nacionales del propio país)"]),
    foreign=(("Ressortissants étrangers", ["Albanie", "Viêt Nam"]),
             ("Ciudadanos extranjeros", ["Albania", "Vietnam"])),
    note=("Non représentés : nationalité inconnue : 9.",
          "No representados: nacionalidad desconocida: 9."),
    places_alt=("X : Ressortissants du pays 30 ; Royaume-Uni (ressortissants du pays) 5 ; "
                "Albanie 40 ; Viêt Nam <5. Non représentés : nationalité inconnue : 9.",
                "X: Nacionales del propio país 30; Reino Unido (nacionales del propio país) "
                "5; Albania 40; Vietnam <5. No representados: nacionalidad desconocida: 9."),
    abroad=("<b>Royaume-Uni : ressortissants détectés comme victimes à l'étranger en "
            "2019</b>",
            "<b>Reino Unido: ciudadanos detectados como víctimas en el extranjero en "
            "2019</b>"),
    detected=("Détectées par ce pays",
              "Detectadas por este país"),
    group=("filles (féminin, 0–17 ans)",
           "niñas (femenino, 0–17 años)"),
)


@pytest.mark.parametrize("lang", ["fr", "es"])
def test_the_victims_charts_in_french_and_spanish(lang):
    want, sources, name = VICTIMS[lang], synthetic_sources(), UK[lang]
    observations = obs(VICTIM_ROWS)
    splits = victims.victim_splits(observations, "GBR")
    sex_age = victims.split_rows(splits, victims.SEX_AGE)
    fig = charts.split_lines(sex_age, victims.SEX_AGE, country_name=name, sources=sources,
                             years=(2018, 2019), per_100k=True, lang=lang)
    assert fig.layout.title.text == want["split"]
    assert fig.layout.yaxis.title.text == want["axis"]
    assert [t.name for t in fig.data][:2] == [want["girls"], want["men_range"]]
    assert fig.data[0].customdata[1] == want["hover"]
    assert english_words(fig) == []
    assert charts.split_alt(sex_age, victims.SEX_AGE, country_name=name,
                            lang=lang) == want["split_alt"]
    forms = victims.split_rows(splits, victims.FORM)
    fig = charts.split_lines(forms, victims.FORM, country_name=name, sources=sources,
                             years=(2018, 2019), lang=lang)
    assert [t.name for t in fig.data] == want["forms"]
    assert english_words(fig) == []
    assert victims.form_group_words("0-17", "female", lang) == want["group"]

    shown = victims.places(observations, "GBR", victims.CITIZENSHIP, 2019, VICTIM_NAMES,
                           lang=lang)
    assert shown.note == want["note"]
    fig = charts.citizenship_bars(shown.drawn, country_name=name, year=2019, sources=sources,
                                  note=shown.note, lang=lang)
    assert fig.layout.title.text == want["citizenship"]
    roles = {t.meta["role"]: t for t in fig.data}
    assert list(roles["own"].y) == want["own"]
    assert (roles["place"].name, list(roles["place"].y)) == want["foreign"]
    assert want["note"] in footer(fig)
    assert english_words(fig) == []
    assert charts.places_alt(shown.drawn, title="X", note=shown.note,
                             lang=lang) == want["places_alt"]

    abroad = victims.places(observations, "GBR", victims.ABROAD, 2019, VICTIM_NAMES,
                            lang=lang)
    fig = charts.abroad_bars(abroad.drawn, country_name=name, year=2019, sources=sources,
                             note=abroad.note, lang=lang)
    assert fig.layout.title.text == want["abroad"]
    place = next(t for t in fig.data if t.meta["role"] == "place")
    assert (place.name, list(place.y)) == (want["detected"], want["foreign"][1])
    assert english_words(fig) == []


def test_the_victims_charts_in_english_are_the_figures_they_were():
    observations, sources = obs(VICTIM_ROWS), synthetic_sources()
    rows = victims.split_rows(victims.victim_splits(observations, "GBR"), victims.SEX_AGE)
    shown = victims.places(observations, "GBR", victims.CITIZENSHIP, 2019, VICTIM_NAMES)
    for build in (
        lambda **k: charts.split_lines(rows, victims.SEX_AGE, country_name="United Kingdom",
                                       sources=sources, years=(2018, 2019), **k),
        lambda **k: charts.citizenship_bars(shown.drawn, country_name="United Kingdom",
                                            year=2019, sources=sources, note=shown.note, **k),
    ):
        assert build().to_json() == build(lang="en").to_json()
    assert shown.note == "Not drawn: citizenship unknown: 9."
    assert charts.places_alt(shown.drawn, title="X") == (
        "X: Own nationals 30; United Kingdom (own nationals) 5; Albania 40; Viet Nam <5.")
    assert victims.form_group_words("0-17", "female") == "girls (female, 0–17)"


def test_the_forms_table_in_english_french_and_spanish():
    # 2019: forced labour 60 for all ages, 12 children, '<5' girls; sexual exploitation 30 for
    # all ages and 1,500 adults
    observations = obs([*VICTIM_ROWS,
                        figure("GBR", 2019, f"{V}|form=forced_labour|age=0-17", 12),
                        figure("GBR", 2019, f"{V}|form=forced_labour|sex=female|age=0-17", "<5"),
                        figure("GBR", 2019, f"{V}|form=sexual_exploitation|age=18+", 1500)])
    rows = victims.forms_by_group(observations, "GBR", 2019)
    english = victims.forms_table(rows)
    assert english.columns == ["Form of exploitation", "All ages", "Children", "Girls",
                               "Adults"]
    assert english.rows() == [("Sexual exploitation", "30", "no data", "no data", "1,500"),
                              ("Forced labour", "60", "12", "<5", "no data")]
    french = victims.forms_table(rows, "fr")
    assert french.columns == ["Forme d'exploitation", "Tous âges", "Enfants", "Filles",
                              "Adultes"]
    assert french.rows() == [
        ("Exploitation sexuelle", "30", "pas de données", "pas de données", f"1{NNBSP}500"),
        ("Travail forcé", "60", "12", "<5", "pas de données")]
    spanish = victims.forms_table(rows, "es")
    assert spanish.columns == ["Forma de explotación", "Todas las edades", "Niños y niñas",
                               "Niñas", "Adultos"]
    assert spanish.rows() == [("Explotación sexual", "30", "sin datos", "sin datos", "1.500"),
                              ("Trabajo forzoso", "60", "12", "<5", "sin datos")]
