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
