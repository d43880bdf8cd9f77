"""The Upload and History pages in French and Spanish, in AppTest: a refused file explains
itself row by row in the session's language (row, column and value as the file has them),
nothing is written; a good file's submission is said in French and Spanish; History's headings
and statuses are French.

The refused file has two errors: row 2's country 'Frnace' (a typo of France) and row 3's year
'2019-20' (not one four-digit year). The good file is Test NGO's casework count for the United
Kingdom, 2019 (9,000 persons convicted): a new figure of its series, batch 6 (the bundled data
are batches 1–5)."""

from __future__ import annotations

import pytest

from indicators.auth import token_digest
from indicators.store import Store
from pages.shared import LANG
from tests.helpers import by_language
from tests.pages.apptest_support import no_exceptions, open_page

NGO_TOKEN = "test-ngo-token-for-the-upload-languages"
BAD = (b"country,year,measure,value,source,note\r\n"
       b"Frnace,2019,persons_convicted,12,Test NGO casework 2019,\r\n"
       b"United Kingdom,2019-20,persons_convicted,12,Test NGO casework 2019,\r\n")
GOOD = (b"country,year,measure,value,source,note\r\n"
        b"United Kingdom,2019,persons_convicted,9000,Test NGO casework 2019,their casework\r\n")


@pytest.fixture
def db(bundled_db, monkeypatch):
    monkeypatch.setenv("INDICATORS_DB", str(bundled_db))
    monkeypatch.setenv("INDICATORS_CONTRIBUTOR_TOKENS", f"Test NGO={token_digest(NGO_TOKEN)}")
    return bundled_db


def _signed_in(page: str, lang: str):
    return open_page(page, {"lang": lang},
                     session={"contributor": (token_digest(NGO_TOKEN), "Ana")})


def _upload(at, name: str, data: bytes):
    at.get("file_uploader")[0].set_value((name, data, "text/csv"))
    return at.run()


def _batches(db) -> list[int]:
    with Store(db) as store:
        return sorted(store.batches()["id"].to_list())


def _table(at, *columns: str):
    """The first table on the page with these columns."""
    for frame in at.dataframe:
        if set(columns) <= set(frame.value.columns):
            return frame.value
    raise AssertionError(f"no table with the columns {columns}")


REFUSED = by_language(
    title=("Téléverser des chiffres",
           "Cargar cifras"),
    refusal=("Le fichier n'a pas été importé : 2 problèmes à corriger. Rien n'a été écrit. "
             "Corrigez-les dans votre tableur (les numéros de ligne sont ceux qu'affiche "
             "votre tableur) et envoyez à nouveau le fichier.",
             "El archivo no se importó: 2 problemas que corregir. No se escribió nada. "
             "Corríjalos en su hoja de cálculo (los números de fila son los que muestra su "
             "hoja de cálculo) y vuelva a enviar el archivo."),
    columns=(["Type", "Ligne", "Colonne", "Valeur", "Problème", "Que faire"],
             ["Tipo", "Fila", "Columna", "Valor", "Problema", "Qué hacer"]),
    rows=([["Erreur", 2, "country", "Frnace", "Ce pays n'est pas reconnu.",
            "Vouliez-vous dire FRA (France) ? Écrivez le nom anglais du pays ou son code ISO3 "
            "(par ex. FRA pour la France)."],
           ["Erreur", 3, "year", "2019-20", "L'année n'est pas une année à quatre chiffres.",
            "Écrivez une seule année civile en quatre chiffres, par ex. 2023 (pas « 2022-23 », "
            "« FY2023 » ni des mots)."]],
          [["Error", 2, "country", "Frnace", "Este país no se reconoce.",
            "¿Quería decir FRA (France)? Escriba el nombre del país en inglés o su código ISO3 "
            "(p. ej. FRA para Francia)."],
           ["Error", 3, "year", "2019-20", "El año no es un año de cuatro dígitos.",
            "Escriba un solo año civil con cuatro dígitos, p. ej. 2023 (no «2022-23», «FY2023» "
            "ni palabras)."]]),
    first_line=("Erreur : Ligne 2, colonne « country », valeur « Frnace »",
                "Error: Fila 2, columna «country», valor «Frnace»"),
    submit=("Soumettre 1 chiffre à la révision",
            "Enviar 1 cifra a revisión"),
    submitted=("Soumis à la révision comme lot 6 : rien ne change pour les lecteurs tant "
               "qu'un réviseur autre que vous ne l'a pas approuvé.",
               "Enviado a revisión como lote 6: nada cambia para los lectores hasta que "
               "lo apruebe un revisor distinto de usted."),
    preview=({"Votre série aujourd'hui": "pas de données", "Modification": "nouveau",
              "Chiffre officiel": "251"},
             {"Su serie ahora": "sin datos", "Cambio": "nueva", "Cifra oficial": "251"}),
)


@pytest.mark.parametrize("lang", ["fr", "es"])
def test_a_refused_file_explains_itself_and_writes_nothing(db, lang):
    said = REFUSED[lang]
    before = _batches(db)
    at = _signed_in("pages/upload.py", lang)
    no_exceptions(at)
    assert at.title[0].value == said["title"]
    at = _upload(at, "bad.csv", BAD)
    assert [e.value for e in at.exception] == []
    assert [e.value for e in at.error] == [said["refusal"]]
    table = _table(at, *said["columns"])
    assert list(table.columns) == said["columns"]
    assert table.values.tolist() == said["rows"]
    lines = next(t.value for t in at.text if t.value.startswith(said["first_line"]))
    assert said["rows"][0][4] in lines and said["rows"][1][5] in lines
    assert _batches(db) == before  # nothing written: the bundled batches only


@pytest.mark.parametrize("lang", ["fr", "es"])
def test_a_good_file_is_submitted_in_the_session_language(db, lang):
    said = REFUSED[lang]
    at = _upload(_signed_in("pages/upload.py", lang), "casework.csv", GOOD)
    no_exceptions(at)
    preview = _table(at, *said["preview"]).iloc[0].to_dict()
    assert {k: preview[k] for k in said["preview"]} == said["preview"]
    button = at.button(key="import_button")
    assert button.label == said["submit"]
    button.click().run()
    no_exceptions(at)
    assert [s.value for s in at.success] == [said["submitted"]]
    with Store(db) as store:
        assert store.batch(6)["status"] == "submitted"


def test_history_in_french_names_a_batch_awaiting_review(db):
    at = _upload(_signed_in("pages/upload.py", "fr"), "casework.csv", GOOD)
    at.button(key="import_button").click().run()
    at = _signed_in("pages/history.py", "fr")
    no_exceptions(at)
    assert at.title[0].value == "Historique"
    assert [h.value for h in at.header][:2] == ["En attente de révision", "Un lot"]
    history = _table(at, "Lot", "Statut", "Révisé par")
    newest = history.iloc[0].to_dict()
    assert (newest["Lot"], newest["Quoi"], newest["Statut"], newest["Organisation"],
            newest["Fichier"]) == (6, "envoi (page web)", "en attente de révision", "Test NGO",
                                   "casework.csv")
    assert history.iloc[1]["Statut"] == "publié"  # the bundled SDG data, batch 5
    assert "Connecté en tant que Ana, pour Test NGO." in [t.value for t in at.text]
    assert ("Le lot 6 est en attente de révision ; ses chiffres ne sont pas encore montrés aux "
            "lecteurs.") in [t.value for t in at.text]
    trail = _table(at, "Quand", "Quoi", "Qui")
    assert trail[["Quoi", "Qui"]].values.tolist() == [["soumis à la révision", "Ana"]]


def test_a_pdf_is_refused_in_spanish_with_the_template_hint_translated(db):
    before = _batches(db)
    at = _upload(_signed_in("pages/upload.py", "es"), "figures.pdf", b"%PDF-1.4 not a table")
    assert [e.value for e in at.exception] == []
    assert at.error[0].value.startswith("El archivo no se importó: 1 problema que corregir.")
    row = _table(at, "Problema", "Qué hacer").iloc[0].to_dict()
    assert (row["Tipo"], row["Problema"], row["Qué hacer"]) == (
        "Error", "Es un documento PDF, no una tabla de cifras.",
        "Envíe las cifras como archivo CSV o .xlsx. Parta de la plantilla de la página Cargar "
        "cifras (docs/template_long.csv).")
    assert _batches(db) == before


# -- issue 17: the rarer messages an NGO can meet ----------------------------------------------
VALUE_CELLS = (b"country,year,measure,value,source,note\r\n"
               b"United Kingdom,2019,persons_convicted,12.5,Test NGO casework 2019,\r\n"
               b"United Kingdom,2018,persons_convicted,40%,Test NGO casework 2019,\r\n")
VALUE_CELLS_SAID = {
    "fr": ("Erreur : Ligne 2, colonne « value », valeur « 12.5 »\n"
           "  12.5 n'est pas un nombre entier, mais persons_convicted est un nombre de personnes.\n"
           "  → Indiquez le nombre entier de personnes tel que la source les compte (par exemple "
           "12 ou 13) ; le tableau de bord calcule lui-même les taux et les moyennes.\n\n"
           "Erreur : Ligne 3, colonne « value », valeur « 40% »\n"
           "  C'est un pourcentage, mais persons_convicted est un nombre de personnes.\n"
           "  → Indiquez l'effectif lui-même ; le tableau de bord calcule les taux à partir des "
           "effectifs."),
    "es": ("Error: Fila 2, columna «value», valor «12.5»\n"
           "  12.5 no es un número entero, pero persons_convicted es un número de personas.\n"
           "  → Indique el número entero de personas tal como los cuenta la fuente (por ejemplo, "
           "12 o 13); el panel calcula por sí mismo las tasas y los promedios.\n\n"
           "Error: Fila 3, columna «value», valor «40%»\n"
           "  Es un porcentaje, pero persons_convicted es un número de personas.\n"
           "  → Indique el recuento en sí; el panel calcula las tasas a partir de los recuentos."),
}


@pytest.mark.parametrize("lang", ["fr", "es"])
def test_value_cell_problems_name_row_column_and_value_in_the_language(db, lang):
    before = _batches(db)
    at = _upload(_signed_in("pages/upload.py", lang), "cells.csv", VALUE_CELLS)
    assert [e.value for e in at.exception] == []
    assert VALUE_CELLS_SAID[lang] in [t.value for t in at.text]
    assert _batches(db) == before


def test_how_a_semicolon_file_was_read_in_french(db):
    semicolons = (b"country;year;measure;value;source;note\r\n"
                  b"United Kingdom;2019;persons_convicted;9000;Test NGO casework 2019;\r\n")
    at = _upload(_signed_in("pages/upload.py", "fr"), "semi.csv", semicolons)
    no_exceptions(at)
    assert ("Lu comme texte CSV en UTF-8, colonnes séparées par des points-virgules.\n"
            "Disposition : modèle long, un chiffre par ligne.") in [t.value for t in at.text]


def test_the_token_steps_in_spanish_when_uploads_are_off(bundled_db, monkeypatch):
    monkeypatch.setenv("INDICATORS_DB", str(bundled_db))
    monkeypatch.delenv("INDICATORS_CONTRIBUTOR_TOKENS", raising=False)
    at = open_page("pages/upload.py", {"lang": "es"}, session={LANG: "es"})
    no_exceptions(at)
    steps = next(t.value for t in at.text if t.value.startswith("1. "))
    assert steps.splitlines()[0] == ('1. En el servidor, cree un token para cada organización:  '
                                     'indicators token new "ORG NAME"')
    assert "On the server" not in steps
    assert [c.value for c in at.code] == ['indicators token new "Example NGO"']


@pytest.mark.parametrize("lang", ["en", "fr"])
def test_a_file_rejected_before_says_so_before_it_is_sent_again(db, lang):
    """Sent again after a reviewer rejected it, the same file's preview names the rejected
    batch, its date and the reason (as plain text: a reviewer's words are not Markdown)."""
    at = _upload(_signed_in("pages/upload.py", lang), "casework.csv", GOOD)
    at.button(key="import_button").click().run()
    with Store(db) as store:
        store.reject_batch(6, reviewer="Ben", reason="Cite the *page* of the report.")
    at = _upload(_signed_in("pages/upload.py", lang), "casework.csv", GOOD)
    no_exceptions(at)
    [warning] = [w.value for w in at.warning if "batch 6" in w.value or "lot 6" in w.value]
    assert warning.startswith({"en": "A reviewer rejected this exact file as batch 6 on ",
                               "fr": "Un relecteur a rejeté ce même fichier (lot 6, le "}[lang])
    assert {"en": "saying: “Cite the \\*page\\* of the report\\.”. Submitting it again",
            "fr": "en disant\u00a0: «\u00a0Cite the \\*page\\* of the report\\.\u00a0». Le "
                  "soumettre"}[lang] in warning
    assert at.button(key="import_button").label in ("Submit 1 figure for review",
                                                   "Soumettre 1 chiffre à la révision")
