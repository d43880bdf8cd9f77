"""A brief in French and Spanish, made from the synthetic frames (``country_brief(...,
lang=…)``): its facts, headings, cards and date in the language, its places by CLDR (Northern
Europe: Europe du Nord, Europa septentrional), and English the brief it always was."""

from __future__ import annotations

from indicators import brief
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
