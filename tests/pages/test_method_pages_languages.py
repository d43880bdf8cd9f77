"""The methodology page and History's release revisions in French and Spanish (issue 17), in
AppTest on the bundled data: hand-checked strings, and no English left in this page's own texts
(``english_left``), apart from the proper names and quotations allowed here and the texts other
modules still give in English (``others``: the sources' own records, the measures' definitions
and breakdown names, the charts and their buttons, the full methodology document)."""

from __future__ import annotations

import re

from indicators import paper, views
from indicators.citation import PUBLISHERS
from indicators.measures import MEASURES, PAPER_CITATION
from pages.shared import LANG
from tests.pages.apptest_support import _chart_texts, english_left, no_exceptions, open_page, texts
from tests.pages.test_no_english_left import ALLOWED as PROPER_NAMES

NNBSP = "\u202f"

# Proper names and quotations: the paper's citation and quoted wording (followed by their
# translation), UNODC's and the publishers' names, a label of UNODC's data ('Africa others').
QUOTATIONS = (*paper.INDICATOR_WORDING, *(c.quote for c in paper.CONTEXT_FIGURES),
              paper.TABLE_4_INTRO,
              *(text for r in paper.TABLE_4 for text in (r.recommendation, r.specific_action,
                                                         r.responsible_actor,
                                                         r.cost_implication)))
# Codes as typed (measures, the API's field and values, a breakdown's name, the World Bank's
# series) and a place CLDR has no French or Spanish name for (UN M49 053).
CODES = (*MEASURES, "victims_detected|sex=female|age=0-17", "`basis`", "`published`",
         "`computed`", "SP.POP.TOTL", "Australia and New Zealand")
ALLOWED = (PAPER_CITATION, *PUBLISHERS, *QUOTATIONS, *CODES, *PROPER_NAMES, "Africa others")


def _table(at, *columns: str):
    """The first table on the page with these columns."""
    for frame in at.dataframe:
        if set(columns) <= set(frame.value.columns):
            return frame.value
    raise AssertionError(f"no table with the columns {columns}")


def open_on(page: str, query: dict[str, str]):
    return open_page(page, query, session={LANG: query.get("lang", "en")})


def others(at) -> set[str]:
    """What other modules still show in English on this page (issue 17's other helpers):
    every chart's words, the measures' definitions, the sources' own records (their cards and
    table), the breakdowns' names and the full methodology document."""
    import json

    found = set()
    for chart in at.get("plotly_chart"):
        found.update(_chart_texts(json.loads(chart.proto.spec)))
    found.update(m.definition for m in MEASURES.values())
    for table in at.dataframe:  # the sources as a table: their own records
        frame = table.value
        for column in frame.columns:
            found.update(v for v in frame[column].tolist() if isinstance(v, str))
    for table in at.table:  # the breakdown table's names (measures.group_label)
        found.update(v for v in table.value[table.value.columns[0]].tolist()
                     if isinstance(v, str))
    return found


def own_english(at) -> list[str]:
    """The English left on the page, the full methodology aside (docs/methodology.fr.md and
    .es.md quote the data sets' own series names, each with its translation beside it: they
    are checked against the English in tests/unit/test_methodology_translations.py)."""
    return [text for text in english_left(at, allowed=ALLOWED)
            if not re.sub(r"\\(.)", r"\1", text).startswith(("# Méthodologie", "# Metodología"))]


def test_the_methodology_page_in_french(db):
    at = open_on("pages/methodology.py", {"lang": "fr"})
    no_exceptions(at)
    assert [t.value for t in at.title] == ["Données et méthodologie"]
    assert [h.value for h in at.header] == [
        "Les cinq indicateurs", "ODD 16.2.2 (pas l'un des cinq indicateurs de l'article)",
        "Ventilations", "Éditions et révisions", "Mesures", "Sources", "Couverture",
        "Mises en garde", "Le contexte de l'article"]
    shown = texts(at)
    # the paper's wording stays English, its translation beside it
    assert ("> Conviction rate exceeds 30% of estimated trafficking cases within 10 years "
            "(traduction : Le taux de condamnation dépasse 30 % des cas de traite estimés d'ici "
            "10 ans)") in shown
    assert ("> Number of victims of human trafficking per 100,000 population, by sex, age and "
            "form of exploitation (traduction : Nombre de victimes de la traite des personnes "
            "pour 100 000 habitants, par sexe, âge et forme d'exploitation)") in shown
    assert "- **Cible :** exactement zéro (chaque année : atteinte ou non, la tendance indiquée " \
           "à part)" in shown
    assert "- ✔ **Cible atteinte**" in shown
    table_4 = at.table[-1].value
    assert list(table_4.columns) == ["Recommandation", "Action précise", "Acteur responsable",
                                     "Délai", "Incidence financière"]
    assert table_4["Délai"].tolist() == ["2 ans", "3 ans", "1\u00a0an", "2,5 ans",
                                         "1,5\u00a0an", "1\u00a0an"]
    assert table_4["Action précise"][0] == (
        "Adopt uniform trafficking definition across all Palermo Protocol signatories "
        "(traduction : Adopter une définition uniforme de la traite dans tous les États "
        "signataires du Protocole de Palerme)")
    region = at.selectbox(key="meth_region")
    assert region.label == "Région ou sous-région"
    assert region.format_func("All regions") == "Toutes les régions"
    assert region.format_func("Africa") == "Afrique (région)"
    assert at.selectbox(key="meth_measure").label == "Mesure"
    # a source card: its labels and figures in French (GLOTIP 2023: 42,222 figures)
    assert any(f"198 sur 246 pays et territoires ; 42{NNBSP}222 chiffres" in t
               for t in shown.split("\n"))
    assert own_english(at) == []


def test_the_methodology_page_in_spanish(db):
    at = open_on("pages/methodology.py", {"lang": "es"})
    no_exceptions(at)
    assert [t.value for t in at.title] == ["Datos y metodología"]
    shown = texts(at)
    assert ("> Zero prosecution of victims for immigration or prostitution-related offenses "
            "(traducción: Ningún procesamiento de víctimas por delitos relacionados con la "
            "inmigración o la prostitución)") in shown
    assert at.table[-1].value["Plazo"].tolist() == ["2 años", "3 años", "1 año", "2,5 años",
                                                    "1,5 años", "1 año"]
    metrics = [m.label for m in at.get("metric")]
    assert metrics == ["El artículo: Brecha mundial de condenas",
                       "El artículo: Casos transnacionales con condena",
                       "El artículo: Penas severas frente a moderadas"]
    assert [m.value for m in at.get("metric")] == ["menos del 3 %", "menos del 10 %",
                                                   "1,8 % frente a 2,1 %"]
    assert own_english(at) == []


def test_the_methodology_page_in_english_keeps_its_words(db):
    at = open_on("pages/methodology.py", {})
    no_exceptions(at)
    shown = texts(at)
    assert "> Conviction rate exceeds 30% of estimated trafficking cases within 10 years" in shown
    assert "traduction" not in shown and "(translation:" not in shown
    assert at.table[-1].value["Timeline"].tolist() == ["2 years", "3 years", "1 year",
                                                       "2.5 years", "1.5 years", "1 year"]
    assert views.CAVEATS[0][0] == "The denominator"


def test_what_a_release_revised_in_french(db):
    # batch 5 is the bundled SDG release: 1,590 figures, all new (nothing before it)
    at = open_on("pages/history.py", {"lang": "fr"})
    no_exceptions(at)
    assert at.selectbox(key="history_batch").value == 5
    assert "Ce que cette édition a révisé" in [h.value for h in at.header]
    assert (f"Par rapport aux chiffres que sa source avait juste avant, le lot 5 a apporté "
            f"1{NNBSP}590 chiffres nouveaux, 0 révisés et 0 retirés ; 0 étaient inchangés. Une "
            "fourchette (« <5 ») est comparée par ses extrémités les plus proches : « <5 » → 3 "
            "n'est pas un changement certain.") in [t.value for t in at.text]
    counts = _table(at, "Mesure", "Révisés")
    assert counts.values.tolist() == [
        [f"Victimes de la traite pour 100{NNBSP}000 habitants, telles que publiées par "
         "l'ONUDC (ODD 16.2.2)", 1590, 0, 0, 0],
        ["Tous les chiffres", 1590, 0, 0, 0]]
    written = _table(at, "Avant", "Après")
    assert set(written["Mesure"]) == {f"Victimes de la traite pour 100{NNBSP}000 habitants, "
                                      "telles que publiées par l'ONUDC (ODD 16.2.2)"}
    assert "Antigua-et-Barbuda (ATG)" in set(written["Pays"])
    history = _table(at, "Contributeur", "Lot")
    assert set(history["Contributeur"]) == {"données fournies"}
    left = [t for t in english_left(at) if not t.endswith((".xlsx", ".csv"))
            and not t.startswith("Lot ")]  # file names; batches named by their release
    assert left == []


def test_what_a_release_revised_in_spanish(db):
    at = open_on("pages/history.py", {"lang": "es"})
    no_exceptions(at)
    assert "Lo que revisó esta edición" in [h.value for h in at.header]
    counts = _table(at, "Medida", "Revisadas")
    assert list(counts.columns) == ["Medida", "Nuevas", "Revisadas", "Retiradas", "Sin cambios"]
    assert counts["Medida"].tolist()[-1] == "Todas las cifras"

