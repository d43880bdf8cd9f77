"""A problem's sentences in French and Spanish (problems.said / localised): the English text is
exactly what it was, and a value that is itself a sentence is translated too."""

from indicators.i18n import N_
from indicators.problems import Problem, localised, said
from indicators.tables.read import TEMPLATE_HINT


def test_said_is_the_english_sentence_and_keeps_its_template():
    text = said(N_("The year is before {earliest}."), earliest=1990)
    assert text == "The year is before 1990."
    assert (text.template, text.values) == ("The year is before {earliest}.", {"earliest": 1990})


def test_a_problem_in_french_and_spanish_and_as_it_was_in_english():
    problem = Problem(N_("The file is empty."),
                      said(N_("Fill in the template and save it again. {hint}"),
                           hint=TEMPLATE_HINT), "a.csv")
    assert localised(problem, "en") is problem
    assert problem.as_text() == ("a.csv: The file is empty. Fill in the template and save it "
                                 "again. Start from the template on the Upload page "
                                 "(docs/template_long.csv).")
    french = localised(problem, "fr")
    assert (french.message, french.fix) == (
        "Le fichier est vide.",
        "Remplissez le modèle et enregistrez-le à nouveau. Partez du modèle de la page "
        "Téléverser des chiffres (docs/template_long.csv).")
    spanish = localised(problem, "es")
    assert (spanish.message, spanish.file) == ("El archivo está vacío.", "a.csv")


def test_a_sentence_the_catalog_lacks_stays_english():
    problem = Problem("Not a marked sentence.", said("Nor {this}.", this="that"))
    french = localised(problem, "fr")
    assert (french.message, french.fix) == ("Not a marked sentence.", "Nor that.")


# -- the rarer messages of a refused file: value cells, how the file was read, workbooks -------
VALUE_CELLS = (b"country,year,measure,value,source,note\r\n"
               b"United Kingdom,2019,persons_convicted,12.5,Test NGO casework 2019,\r\n"
               b"United Kingdom,2018,persons_convicted,40%,Test NGO casework 2019,\r\n"
               b"United Kingdom,2017,persons_convicted,1.234,Test NGO casework 2019,\r\n")


def _value_problems(lang: str) -> list[tuple[int | None, str | None, str | None, str, str]]:
    from indicators.tables.read import read_table
    from indicators.upload.shape import shape_long

    shaped = shape_long(read_table(VALUE_CELLS, "bad.csv"), "bad.csv", {})
    return [(p.row, p.column, p.value, p.message, p.fix)
            for p in (localised(p, lang) for p in shaped.problems)]


def test_value_cell_problems_in_english_as_they_were():
    assert _value_problems("en") == [
        (2, "value", "12.5", "12.5 is not a whole number, but persons_convicted is a count of "
         "people.", "Give the whole number of people as the source counts them (for example 12 "
         "or 13); the dashboard computes rates and averages itself."),
        (3, "value", "40%", "This is a percentage, but persons_convicted is a count of people.",
         "Give the count itself; the dashboard computes rates from the counts."),
        (4, "value", "1.234", "Which was meant, 1,234 or 1.234? In this file '1.234' reads as "
         "1.234 (its decimal mark is a point), a fraction of a person.",
         "If you meant 1,234 people, write 1234 with no separator; persons_convicted is a count "
         "of people, a whole number, so 1.234 cannot be right."),
    ]


def test_value_cell_problems_in_french():
    # row, column and value as the file has them; the sentences French, the measure's code as
    # the file writes it
    assert _value_problems("fr") == [
        (2, "value", "12.5", "12.5 n'est pas un nombre entier, mais persons_convicted est un "
         "nombre de personnes.", "Indiquez le nombre entier de personnes tel que la source les "
         "compte (par exemple 12 ou 13) ; le tableau de bord calcule lui-même les taux et les "
         "moyennes."),
        (3, "value", "40%", "C'est un pourcentage, mais persons_convicted est un nombre de "
         "personnes.", "Indiquez l'effectif lui-même ; le tableau de bord calcule les taux à "
         "partir des effectifs."),
        (4, "value", "1.234", "Que vouliez-vous dire : 1234 ou 1.234 ? Dans ce fichier, « 1.234 » "
         "se lit 1.234 (son séparateur décimal est un point), une fraction d'une personne.",
         "Si vous vouliez dire 1234 personnes, écrivez 1234 sans séparateur ; persons_convicted "
         "est un nombre de personnes, un nombre entier, donc 1.234 ne peut pas être juste."),
    ]


def test_value_cell_problems_in_spanish():
    spanish = _value_problems("es")
    assert [p[:3] for p in spanish] == [(2, "value", "12.5"), (3, "value", "40%"),
                                        (4, "value", "1.234")]
    assert spanish[0][3] == ("12.5 no es un número entero, pero persons_convicted es un número "
                             "de personas.")
    assert spanish[1][4] == ("Indique el recuento en sí; el panel calcula las tasas a partir "
                             "de los recuentos.")
    assert spanish[2][3] == ("¿Qué quería decir, 1234 o 1.234? En este archivo, «1.234» se lee "
                             "como 1.234 (su separador decimal es un punto), una fracción de "
                             "una persona.")


def test_how_the_file_was_read_in_french_and_spanish():
    from indicators.problems import translate
    from indicators.tables.read import ReadInfo
    from indicators.upload.numbers import decimal_mark

    semicolons = ReadInfo("csv", "UTF-8", ";").describe()
    assert semicolons == "Read as CSV text in UTF-8, columns separated by semicolons."
    assert translate(semicolons, "fr") == ("Lu comme texte CSV en UTF-8, colonnes séparées par "
                                           "des points-virgules.")
    assert translate(ReadInfo("xlsx", sheet="Data").describe(), "es") == \
        "Leído como libro de Excel, hoja «Data»."
    comma = decimal_mark(["1,5", "2"], ",").describe()
    assert comma == "Decimal mark: comma, e.g. 1.240,5 is 1240.5 (values such as '1,5' show it)."
    assert translate(comma, "fr") == ("Séparateur décimal : virgule, p. ex. 1.240,5 vaut 1240,5 "
                                      "(des valeurs comme « 1,5 » l'indiquent).")
    both = decimal_mark(["1,5", "2.5"], ",").describe()
    assert translate(both, "es") == ("Separador decimal: desconocido (el archivo escribe tanto "
                                      "«1,5» (coma decimal) como «2.5» (punto decimal)).")


def test_a_workbook_s_sheets_said_in_french_and_spanish():
    from indicators.problems import translate
    from indicators.tables.read import read_table
    from tests.unit.test_upload_read import _workbook

    grid = read_table(_workbook([("Old", "hidden", [["old"]]),
                                 ("Figures", "visible", [["country"], ["Kenya"]]),
                                 ("Notes", "visible", [["notes"]])]), "f.xlsx")
    assert translate(grid.info.describe(), "fr") == (
        "Lu comme classeur Excel, feuille « Figures » (la première feuille visible ; les "
        "feuilles masquées ne sont pas lues).")
    warning = localised(grid.warnings[0], "fr")
    assert (warning.file, warning.message, warning.fix) == (
        "f.xlsx",
        "Seule la première feuille visible, « Figures », a été lue ; le classeur compte 3 "
        "feuilles. La feuille masquée 'Old' n'a pas été lue (les feuilles masquées ne le sont "
        "jamais).",
        "Mettez tous les chiffres sur la première feuille visible, ou envoyez chaque feuille "
        "dans un fichier distinct.")
    assert localised(grid.warnings[0], "es").fix == (
        "Ponga todas las cifras en la primera hoja visible, o suba cada hoja como un archivo "
        "aparte.")
    assert grid.warnings[0].message == (
        "Only the first visible sheet, 'Figures', was read; the workbook has 3 sheets. The "
        "hidden sheet 'Old' was not read (hidden sheets never are).")


def test_a_workbook_with_every_sheet_hidden_is_refused_in_spanish():
    import pytest

    from indicators.problems import ImportRejected
    from indicators.tables.read import read_table
    from tests.unit.test_upload_read import _workbook

    data = _workbook([("Figures", "visible", [["country"]]), ("Old", "hidden", [["old"]])])
    # every sheet hidden: openpyxl needs one visible sheet to save, so hide it in the XML
    import io
    import zipfile

    source, target = io.BytesIO(data), io.BytesIO()
    with zipfile.ZipFile(source) as old, zipfile.ZipFile(target, "w") as new:
        for item in old.infolist():
            content = old.read(item)
            if item.filename == "xl/workbook.xml":
                content = content.replace(b'state="visible" r:id="rId1"',
                                          b'state="hidden" r:id="rId1"')
            new.writestr(item, content)
    with pytest.raises(ImportRejected) as refused:
        read_table(target.getvalue(), "f.xlsx")
    problem = localised(refused.value.problems[0], "es")
    assert (problem.file, problem.message) == (
        "f.xlsx", "Todas las hojas del libro están ocultas ('Figures', 'Old'), y las hojas "
        "ocultas nunca se leen.")
    assert problem.fix.startswith("En Excel, haga clic derecho en una pestaña → Mostrar")


def test_places_and_figures_in_a_sentence_are_written_in_the_language():
    import pickle

    from indicators.problems import Figure, Place, translate

    text = said(N_("More persons convicted ({convicted}) than prosecuted ({prosecuted}) in "
                   "{place} {year}."), convicted=Figure("9,000"),
                prosecuted=said(N_("{figure}, already in the database"), figure=Figure("251")),
                place=Place("United Kingdom", "GBR"), year=2019)
    assert text == ("More persons convicted (9,000) than prosecuted (251, already in the "
                    "database) in United Kingdom (GBR) 2019.")
    assert translate(text, "es") == ("Más personas condenadas (9.000) que procesadas (251, ya "
                                     "en la base de datos) en Reino Unido (GBR) 2019.")
    # kept in the session (pickled) and written in French afterwards
    again = pickle.loads(pickle.dumps(text))
    assert translate(again, "fr") == (
        "Plus de personnes condamnées (9\u202f000) que de personnes poursuivies (251, déjà dans "
        "la base de données) : Royaume-Uni (GBR), 2019.")


def test_an_ambiguous_country_in_french_and_spanish_says_or_in_their_words():
    """'Congo' could be either: the places are listed with the English names a file is asked
    to use, joined by the page's own 'or' (it was English on a French or Spanish page)."""
    from indicators.tables.read import read_table
    from indicators.upload.shape import shape_long

    data = (b"country,year,measure,value,source,note\r\n"
            b"Congo,2019,persons_convicted,12,Test NGO casework 2019,\r\n")
    shaped = shape_long(read_table(data, "congo.csv"), "congo.csv", {})
    [problem] = [p for p in shaped.problems if p.column == "country"]
    assert problem.message == ("'Congo' could mean more than one place: COG (Congo Republic) or "
                               "COD (DR Congo).")
    assert localised(problem, "fr").message.endswith(
        " : COG (Congo Republic) ou COD (DR Congo).")
    assert localised(problem, "es").message.endswith(": COG (Congo Republic) o COD (DR Congo).")


def test_a_list_inside_a_sentence_is_written_in_french_and_spanish_too():
    """Two sentences built lists in English inside a translated sentence: 'given more than
    once with different figures: 20 on row 2; 21 on row 3' and the missing columns' 'measure
    and value (or one column per measure)'."""
    from indicators.tables.read import read_table
    from indicators.upload.checks import resolve_duplicates
    from indicators.upload.shape import shape_long

    data = (b"country,year,measure,value,source\r\n"
            b"Kenya,2019,victims_reported,1200,x\r\nKenya,2019,victims_reported,21,x\r\n")
    shaped = shape_long(read_table(data, "twice.csv"), "twice.csv", {})
    _, [twice] = resolve_duplicates(shaped.figures, "twice.csv")
    assert twice.message.endswith("different figures: 1,200 on row 2; 21 on row 3.")
    assert localised(twice, "fr").message.endswith(
        "1\u202f200 à la ligne 2 ; 21 à la ligne 3.")
    assert localised(twice, "es").message.endswith("1.200 en la fila 2; 21 en la fila 3.")

    header = shape_long(read_table(b"pays,annee\r\nKenya,2019\r\n", "b.csv"), "b.csv", {})
    [missing] = header.problems
    assert "column(s): measure and value (or one column per measure), source." in \
        missing.message
    assert "colonnes : measure et value (ou une colonne par mesure), source." in \
        localised(missing, "fr").message
    assert "columnas: measure y value (o una columna por medida), source." in \
        localised(missing, "es").message
