"""A brief in French and Spanish, made from the synthetic frames (``country_brief(...,
lang=…)``): its facts, headings, cards and date in the language, its places by CLDR (Northern
Europe: Europe du Nord, Europa septentrional), and English the brief it always was."""

from __future__ import annotations

import pytest

from indicators import brief
from tests.helpers import by_language
from tests.unit.test_brief import blank_svgs, inputs, page_count, pdf_text


def test_a_french_brief_says_its_facts_and_cards_in_french():
    made = brief.country_brief("AAA", **inputs(year=2016, lang="fr"))
    facts = dict(made.facts)
    assert facts["Lieu"] == "AAA · Europe du Nord · Europe"
    assert facts["Année affichée"] == "2016 (choisie)"
    assert facts["Année de référence"].startswith("2015 ; échéance 2025")
    assert made.subtitle == ("Fiche pays : les cinq indicateurs de réussite de Saif & Khan "
                             "(2026)")
    assert [s.heading for s in made.sections][0] == "ODD 16.2.2 et le profil des victimes"
    pdf = brief.compile_pdf(made, blank_svgs(made))
    assert page_count(pdf) <= 2
    text = " ".join(pdf_text(pdf).split())
    for part in ("Les cinq indicateurs", "1. Taux de condamnation", "Cible :", "1,0 %",
                 "en 2016", "Établi le 1 décembre 2026", "Sources, licences et méthode",
                 "Page 1 sur", "En mots :", "Couverture :"):
        assert part in text, part
    assert "The five indicators" not in text and "Made on" not in text


def test_a_spanish_brief_dates_and_names_in_spanish():
    made = brief.country_brief("AAA", **inputs(lang="es"))
    assert dict(made.facts)["Lugar"] == "AAA · Europa septentrional · Europa"
    text = " ".join(pdf_text(brief.compile_pdf(made, blank_svgs(made))).split())
    for part in ("Los cinco indicadores", "1. Tasa de condena", "Elaborado el 1 de diciembre "
                 "de 2026", "Página 1 de", "Fuentes, licencias y método"):
        assert part in text, part


def test_english_is_unchanged_by_the_language_argument():
    default = brief.country_brief("AAA", **inputs(year=2016))
    english = brief.country_brief("AAA", **inputs(year=2016, lang="en"))
    assert brief.typst_inputs(default, blank_svgs(default))["brief"] == \
        brief.typst_inputs(english, blank_svgs(english))["brief"]
    assert dict(default.facts)["Where"] == "AAA · Northern Europe · Europe"


# -- the brief's sentences from the bundled data (issue 17): the same figures as the English
# brief (DEU: 237 own nationals, 53 more categories; NGA: 1.29 published, 2,630 own nationals),
# in the language's words and number marks ---------------------------------------------------
NNBSP = "\u202f"


def _bundled_brief(db, iso3: str, lang: str) -> brief.Brief:
    from indicators import report
    from indicators.settings import IndicatorSettings
    from indicators.store import Store

    settings = IndicatorSettings()
    with Store(db, read_only=True) as store:
        snap = store.snapshot()
    inputs = dict(frame=report.indicator_frame_from(snap.observations, snap.countries, settings),
                  observations=snap.observations, countries=snap.countries,
                  sources=snap.sources, settings=settings, lang=lang)
    return brief.world_brief(**inputs) if iso3 == "WORLD" else brief.country_brief(iso3,
                                                                                   **inputs)


PROFILES = by_language(
    country=("DEU", "NGA"),
    sdg=("6. Victimes détectées pour 100 000 habitants (ODD 16.2.2 ; hors des cinq indicateurs "
         "de l'article, sans cible) : 0,0012–0,0048 en 2022 (calculé, l'ONUDC n'en publiant pas "
         f" : <5 victimes détectées ÷ 83{NNBSP}177{NNBSP}813 personnes × 100{NNBSP}000) ; "
         "Europe de l’Ouest 1,83, Europe 1,77–1,78 et le monde 1,61 la même année (calculé, à "
         "partir des pays disposant des deux chiffres).".replace("pas  :", "pas :"),
         "6. Víctimas detectadas por cada 100.000 habitantes (ODS 16.2.2; no es uno de los cinco "
         "del artículo, sin meta): 1,29 en 2022 (valor publicado por la UNODC); África occidental "
         "1,70, África 1,24 y el mundo 1,61 ese año (calculado, a partir de los países con ambas "
         "cifras)."),
    # who the victims are: the start of Germany's sentence in French, the end of Nigeria's in
    # Spanish (every sentence starts and ends with '')
    who_starts=("Qui sont les victimes (ONUDC ; chaque groupe est un chiffre publié à part "
                "entière, jamais ajouté au total ; pour 100 000 personnes entre parenthèses) : "
                "par sexe et âge en 2022 : filles 157 (0,19), femmes 589 (0,71), garçons 36 "
                "(0,043), hommes 505 (0,61), sexe et âge inconnus 7 (0,0084) ; par forme, âge et "
                "sexe en 2022 (tous âges d'abord) : exploitation sexuelle 476 (0,57), enfants "
                "176 (filles 143, garçons 33)",
                ""),
    who_ends=("",
              "otras formas de explotación 295 (0,13), niños y niñas 295 (niñas 210, niños 85), "
              "mujeres <5, hombres <5."),
    citizenship=("Nationalité des victimes détectées en 2022 : Allemagne (ressortissants du "
                 "pays) 237 ; Ukraine 184 ; Roumanie 168 ; Bulgarie 125 ; Géorgie 111 ; "
                 "Slovaquie 72 ; 53 autres catégories.",
                 "Nacionalidad de las víctimas detectadas en 2022: Nigeria (nacionales del propio "
                 "país) 2.630; Benín 12; Togo 7; Liberia 6; Camerún 5; Burundi <5; 7 categorías "
                 "más."),
    abroad=("Allemagne : ressortissants détectés comme victimes à l'étranger en 2022 : Autriche "
            "<5 ; Royaume-Uni <5 ; Croatie <5 ; Luxembourg <5 ; Portugal <5.",
            "Ciudadanos de Nigeria detectados como víctimas en el extranjero en 2022: Côte "
            "d’Ivoire 360; Reino Unido 183; Austria 86; Países Bajos 56; Francia 23; 12 países "
            "más."),
)


@pytest.mark.parametrize("lang", ["fr", "es"])
def test_the_sdg_sentence_and_victim_profile_in_french_and_spanish(bundled_db_template, lang):
    want = PROFILES[lang]
    made = _bundled_brief(bundled_db_template, want["country"], lang)
    sdg, who, citizenship, abroad = made.sections[0].text
    assert sdg == want["sdg"]
    assert who.startswith(want["who_starts"]) and who.endswith(want["who_ends"])
    assert citizenship == want["citizenship"]
    assert abroad == want["abroad"]


def test_walk_frees_estimates_in_french(bundled_db_template):
    made = _bundled_brief(bundled_db_template, "DEU", "fr")
    assert made.sections[2].text == (
        "Estimations de Walk Free : personnes estimées en situation d'esclavage moderne en "
        f"2021 : 47{NNBSP}000 (estimation) ; population utilisée par Walk Free en 2021 : "
        f"83{NNBSP}784{NNBSP}000 (estimation).",)


@pytest.mark.parametrize("lang", ["fr", "es"])
@pytest.mark.parametrize("scope", ["DEU", "NGA", "WORLD"])
def test_no_english_left_in_a_brief(bundled_db_template, scope, lang):
    """Every word of the brief (facts, cards, sentences, sources, method, the charts' sentences
    in words: the typst document) and of its charts (titles, axes, legends, notes, footers) is
    in the language, the proper names and quotations of the pages' test aside."""
    import json

    from tests.pages.apptest_support import _chart_texts, english_in
    from tests.pages.test_no_english_left import ALLOWED

    made = _bundled_brief(bundled_db_template, scope, lang)
    document = json.loads(brief.typst_inputs(made, blank_svgs(made))["brief"])

    def strings(value: object) -> list[str]:
        if isinstance(value, str):
            return [value]
        if isinstance(value, dict):
            return [s for v in value.values() for s in strings(v)]
        if isinstance(value, list):
            return [s for v in value for s in strings(v)]
        return []

    texts = strings({k: v for k, v in document.items() if k != "lang"})
    texts += [t for c in made.charts for t in _chart_texts(json.loads(c.figure.to_json()))]
    assert english_in(texts, ALLOWED + ("Anti-Trafficking Indicators",)) == []


def test_the_english_brief_s_sentences_are_as_they_were(bundled_db_template):
    made = _bundled_brief(bundled_db_template, "DEU", "en")
    assert made.sections[0].text[2] == (
        "Citizenship of the victims detected in 2022: Germany (own nationals) 237; Ukraine 184; "
        "Romania 168; Bulgaria 125; Georgia 111; Slovakia 72; 53 more categories.")
    assert made.sections[2].text == (
        "Walk Free's estimates: estimated people in modern slavery in 2021: 47,000 (estimate); "
        "population used by Walk Free in 2021: 83,784,000 (estimate).",)
