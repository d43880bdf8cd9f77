"""The methodology page's library texts, a release's revision tables, the token steps and the
brief's sentences in French and Spanish (issue 17), each checked by hand; English as it was.

The paper's quoted wording stays in English with its translation beside it (``paper.quoted``),
and Table 4's timelines are CLDR's units (``paper.duration``): '1,5 an' (French keeps the
singular below 2), '1,5 años'."""

from __future__ import annotations

import polars as pl

from indicators import paper, views
from indicators.measures import INDICATORS
from indicators.releases import RevisionReport, counts_table, measure_words, revisions_table
from pages.access import enable_steps

NNBSP = "\u202f"  # CLDR's French group mark
NBSP = "\u00a0"


def test_every_quoted_indicator_wording_is_marked_in_paper():
    # the quotation shown on the methodology page is measures' paper_wording: paper.py marks
    # the same text, so its translation is found
    assert {i.paper_wording for i in INDICATORS.values() if i.paper_wording} == \
        set(paper.INDICATOR_WORDING)


def test_a_quotation_stays_english_with_its_translation_beside_it():
    wording = INDICATORS["conviction_rate"].paper_wording
    assert paper.quoted(wording) == wording
    assert paper.quoted(wording, "en") == wording
    assert paper.quoted(wording, "fr") == (
        "Conviction rate exceeds 30% of estimated trafficking cases within 10 years "
        "(traduction : Le taux de condamnation dépasse 30 % des cas de traite estimés d'ici "
        "10 ans)")
    assert paper.quoted(wording, "es") == (
        "Conviction rate exceeds 30% of estimated trafficking cases within 10 years "
        "(traducción: La tasa de condena supera el 30 % de los casos de trata estimados en un "
        "plazo de 10 años)")
    assert paper.quoted("Not a quotation.", "fr") == "Not a quotation."
    assert paper.quoted("Abstract", "es", marks=("“", "”")) == "“Abstract” (traducción: Resumen)"


def test_table_4_in_french_and_spanish():
    assert [paper.duration(r.timeline, "fr") for r in paper.TABLE_4] == [
        "2 ans", "3 ans", f"1{NBSP}an", "2,5 ans", f"1,5{NBSP}an", f"1{NBSP}an"]
    assert [paper.duration(r.timeline, "es") for r in paper.TABLE_4] == [
        "2 años", "3 años", "1 año", "2,5 años", "1,5 años", "1 año"]
    assert [paper.duration(r.timeline) for r in paper.TABLE_4] == [
        "2 years", "3 years", "1 year", "2.5 years", "1.5 years", "1 year"]
    first = paper.table_4_rows("fr")[0]
    assert list(first) == ["Recommandation", "Action précise", "Acteur responsable", "Délai",
                           "Incidence financière"]
    assert first["Action précise"] == (
        "Adopt uniform trafficking definition across all Palermo Protocol signatories "
        "(traduction : Adopter une définition uniforme de la traite dans tous les États "
        "signataires du Protocole de Palerme)")
    assert paper.table_4_rows("es")[1]["Plazo"] == "3 años"
    assert paper.table_4_rows()[0] == {
        "Recommendation": "Harmonize legal definitions",
        "Specific Action": "Adopt uniform trafficking definition across all Palermo Protocol "
                           "signatories",
        "Responsible Actor": "UNODC, Interpol, Member States", "Timeline": "2 years",
        "Cost Implication": "Low (technical assistance)"}


def test_the_methodology_words_of_views_in_french():
    assert views.of_universe(86, 246, "fr") == "86 sur 246 pays et territoires"
    assert views.of_universe(1240, 1246, "es") == "1.240 de 1.246 países y territorios"
    assert views.of_universe(1240, 1246) == "1,240 of 1,246 countries and territories"
    assert views.formula_code("reporting_increase", "fr") == \
        "victims_reported(année) / victims_reported(année de référence) - 1"
    assert views.formula_code("reporting_increase") == \
        "victims_reported(year) / victims_reported(baseline year) - 1"
    assert views.formula_words("identification_rate", "es") == \
        "víctimas de trata detectadas ÷ personas estimadas en esclavitud moderna"
    titles = [t for t, _ in views.caveats("fr")]
    assert titles == ["Le dénominateur", "Indicateurs de substitution (ils peuvent être "
                      "désactivés)", "Communication volontaire", "Ce que mesurent les effectifs",
                      "« <5 » et lacunes"]
    assert views.caveats("en") == views.CAVEATS
    measures = views.measures_table("es")
    assert list(measures.columns) == ["Medida", "Unidad", "Definición", "Utilizada por",
                                      "Código"]
    convicted = measures.filter(pl.col("Código") == "persons_convicted").row(0, named=True)
    assert (convicted["Medida"], convicted["Unidad"], convicted["Utilizada por"]) == (
        "Personas condenadas", "personas", "Tasa de condena (indicador 1); Países que comparten "
        "datos más allá de sus fronteras (indicador 3)")
    assert list(views.measures_table().columns) == ["Measure", "Unit", "Definition", "Used by",
                                                   "Code"]


def _report() -> RevisionReport:
    """A release that revised GBR 2019's detected victims (10,627 → 10,700) and brought one new
    figure (DEU 2020, persons convicted)."""
    figures = pl.DataFrame({
        "iso3": ["GBR", "DEU"], "year": [2019, 2020],
        "measure": ["victims_detected", "persons_convicted"],
        "change": ["revised", "new"],
    })
    by_measure = pl.DataFrame({
        "measure": ["victims_detected", "persons_convicted"],
        "label": ["Detected trafficking victims", "Persons convicted"],
        "new": [0, 1], "revised": [1, 0], "withdrawn": [0, 0], "unchanged": [0, 0],
        "figures": [1, 1]})
    return RevisionReport(figures, by_measure)


def test_a_release_s_counts_in_french_and_as_they_were_in_english():
    report = _report()
    english = counts_table(report)
    assert english.rows() == [("Detected trafficking victims", 0, 1, 0, 0),
                              ("Persons convicted", 1, 0, 0, 0), ("All figures", 1, 1, 0, 0)]
    assert english.columns == ["Measure", "New", "Revised", "Withdrawn", "Unchanged"]
    french = counts_table(report, "fr")
    assert french.columns == ["Mesure", "Nouveaux", "Révisés", "Retirés", "Inchangés"]
    assert french["Mesure"].to_list() == ["Victimes de la traite détectées",
                                          "Personnes condamnées", "Tous les chiffres"]
    assert counts_table(report, "es")["Medida"].to_list()[-1] == "Todas las cifras"


def test_the_largest_revisions_in_spanish():
    rows = pl.DataFrame({
        "iso3": ["GBR"], "year": [2019], "measure": ["victims_detected|sex=female"],
        "old_value": [10627.0], "old_value_status": ["reported"], "old_lower": [None],
        "old_upper": [None], "new_value": [10700.0], "new_value_status": ["reported"],
        "new_lower": [None], "new_upper": [None], "change_absolute": [73.0],
        "change_relative": [73 / 10627],
    }, schema_overrides={"old_lower": pl.Float64, "old_upper": pl.Float64,
                         "new_lower": pl.Float64, "new_upper": pl.Float64})
    assert revisions_table(rows).row(0) == (
        "GBR", 2019, "Detected trafficking victims: female", "10,627", "10,700", "+73", "+0.7%")
    spanish = revisions_table(rows, "es")
    assert spanish.columns == ["País", "Año", "Medida", "Cifra anterior", "Cifra nueva",
                               "Variación", "Relativa"]
    # 73 / 10,627 = 0.687%; the measure's name in Spanish, its category as measures writes it
    assert spanish.row(0) == ("Reino Unido (GBR)", 2019, "Víctimas de trata detectadas — femenino",
                              "10.627", "10.700", "+73", f"+0,7{NBSP}%")


def test_measure_words():
    assert measure_words("victims_per_100k") == "victims_per_100k"  # English: the code
    assert measure_words("persons_convicted", "fr") == "Personnes condamnées"
    assert measure_words("victims_detected|sex=female|age=0-17", "fr") == \
        "Victimes de la traite détectées — féminin, 0–17"
    assert measure_words("not_a_measure", "es") == "not_a_measure"


def test_the_token_steps_in_french_keep_the_commands_as_typed():
    from indicators import auth

    assert enable_steps("en") == auth.ENABLE_STEPS
    french = enable_steps("fr")
    assert french[0] == ('1. Sur le serveur, créez un jeton pour chaque organisation :  '
                         'indicators token new "ORG NAME"')
    assert french[3].endswith('indicators token new "REVIEWER NAME" --role reviewer')
    assert "INDICATORS_CONTRIBUTOR_TOKENS" in enable_steps("es")[2]
    assert enable_steps("es")[1] == ("2. El comando muestra el token una sola vez: entrégueselo "
                                     "a la organización en privado.")
