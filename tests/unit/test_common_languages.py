"""What every page shares, in French and Spanish (issue 17): the sources' releases and
citations, the data-as-of line, the rows' notes, the chart footers and hovers, the ZIP's
README.txt and CITATION.txt, the series' names. English stays exactly as it was."""

from __future__ import annotations

import datetime as dt

import polars as pl
import pytest

from indicators import bundle
from indicators.charts.frame import coverage_note, footer_lines, row_hover, sdg_note
from indicators.measures import (
    DENOMINATOR_NOTE,
    MEASURES,
    REPORTING_PROXY_NOTE,
    note_words,
    published_count_label,
)
from indicators.series import CONTRIBUTED, series_label
from indicators.views import citations, data_as_of
from indicators.views.sources import source_words

NNBSP = "\u202f"  # CLDR's French group mark

GLOTIP_2025 = "data portal release of 14 April 2025 (years 2003–2022)"
SDG_2025 = "SDG data set, release of 15 May 2025 (16.2.2: years 2007–2024)"
GSI_2023 = "GSI 2023 (estimates for 2021)"
WDI_2026 = "WDI series as packaged on 6 March 2026 (datasets/population; years 1960–2024)"


@pytest.fixture(autouse=True)
def locale_cache(monkeypatch, tmp_path):
    monkeypatch.setenv("INDICATORS_LOCALE_CACHE", str(tmp_path / "locale"))


def sources() -> pl.DataFrame:
    """Two releases of UNODC's GLOTIP data portal and one of its SDG data set, as the bundled
    sources write them (indicators/sources/)."""
    rows = [
        ("unodc_glotip_2023", "UNODC", "data portal release of 30 May 2023 (years 2003–2021)",
         "UNODC, Global Report on Trafficking in Persons, data portal (release 30 May 2023)"),
        ("unodc_glotip_2025", "UNODC", GLOTIP_2025,
         "UNODC, Global Report on Trafficking in Persons, data portal (release 14 April 2025)"),
        ("unodc_sdg_2025", "UNODC", SDG_2025, "UNODC, SDG indicator data (release 15 May 2025)"),
    ]
    return pl.DataFrame(
        [{"id": i, "publisher": p, "title": "T", "edition": e, "citation": c, "licence": "L",
          "url": None} for i, p, e, c in rows],
        schema={"id": pl.String, "publisher": pl.String, "title": pl.String,
                "edition": pl.String, "citation": pl.String, "licence": pl.String,
                "url": pl.String})


# -- the sources' words ---------------------------------------------------------------------
@pytest.mark.parametrize(("english", "french", "spanish"), [
    (GLOTIP_2025, "portail de données, édition du 14 avril 2025 (années 2003–2022)",
     "portal de datos, edición del 14 de abril de 2025 (años 2003–2022)"),
    (SDG_2025, "jeu de données des ODD, édition du 15 mai 2025 (16.2.2: années 2007–2024)",
     "conjunto de datos de los ODS, edición del 15 de mayo de 2025 (16.2.2: años 2007–2024)"),
    (GSI_2023, "GSI 2023 (estimations pour 2021)", "GSI 2023 (estimaciones para 2021)"),
    (WDI_2026, "série des WDI telle que conditionnée le 6 mars 2026 (datasets/population; "
     "années 1960–2024)", "serie de los WDI tal como se empaquetó el 6 de marzo de 2026 "
     "(datasets/population; años 1960–2024)"),
    # a release loaded later, named by its label (indicators/sources/*.release_source)
    ("WDI series, release 2027-01-02", "série des WDI, édition 2027-01-02",
     "serie de los WDI, edición 2027-01-02"),
    # citations: the publication's title and the publisher are names and stay
    ("UNODC, Global Report on Trafficking in Persons, data portal (release 30 May 2023; "
     "release 14 April 2025)",
     "UNODC, Global Report on Trafficking in Persons, portail de données (édition du 30 mai "
     "2023; édition du 14 avril 2025)",
     "UNODC, Global Report on Trafficking in Persons, portal de datos (edición del 30 de mayo "
     "de 2023; edición del 14 de abril de 2025)"),
    ("UNODC, SDG indicator data (release 15 May 2025)",
     "UNODC, données des indicateurs des ODD (édition du 15 mai 2025)",
     "UNODC, datos de los indicadores de los ODS (edición del 15 de mayo de 2025)"),
    ("Walk Free, Global Slavery Index 2023", "Walk Free, Global Slavery Index 2023",
     "Walk Free, Global Slavery Index 2023"),
    ("Test NGO helpline records", "Test NGO helpline records", "Test NGO helpline records"),
])
def test_source_words(english, french, spanish):
    assert source_words(english, "fr") == french
    assert source_words(english, "es") == spanish
    assert source_words(english, "en") == english
    assert source_words(english) == english


def test_data_as_of_and_citations_in_each_language():
    found = sources()
    # the newest GLOTIP release only (test_views), then the SDG data set
    assert data_as_of(found) == f"UNODC {GLOTIP_2025}; UNODC {SDG_2025}"
    assert data_as_of(found, "es") == (
        "UNODC portal de datos, edición del 14 de abril de 2025 (años 2003–2022); UNODC "
        "conjunto de datos de los ODS, edición del 15 de mayo de 2025 (16.2.2: años 2007–2024)")
    assert citations(found, "fr") == [
        "UNODC, Global Report on Trafficking in Persons, portail de données (édition du 30 mai "
        "2023; édition du 14 avril 2025)",
        "UNODC, données des indicateurs des ODD (édition du 15 mai 2025)"]
    assert citations(found) == citations(found, "en") == [
        "UNODC, Global Report on Trafficking in Persons, data portal (release 30 May 2023; "
        "release 14 April 2025)", "UNODC, SDG indicator data (release 15 May 2025)"]


# -- the rows' notes and the measures ------------------------------------------------------
def test_note_words():
    proxy = f"{REPORTING_PROXY_NOTE} Used for 80 of 80 countries."
    assert note_words(proxy) == note_words(proxy, "en") == proxy
    assert note_words(proxy, "fr") == (
        "Variable de substitution : les victimes détectées par les autorités (ONUDC, GLOTIP) "
        "remplacent les victimes signalées lorsqu'un pays ne publie pas de série de victimes "
        "signalées. Utilisé pour 80 pays sur 80.")
    assert note_words(proxy, "es").endswith(" Usado para 80 de 80 países.")
    assert note_words(f"{REPORTING_PROXY_NOTE} Used for 1 of 1 countries.", "es").endswith(
        " Usado para 1 de 1 país.")
    ranged = "3 of the 1250 countries reported '<5'; the value is a range."
    assert note_words(ranged, "fr") == (
        f"3 des 1{NNBSP}250 pays ont déclaré « <5 » ; la valeur est une fourchette.")
    assert note_words("No figure for the baseline year 2015.", "es") == (
        "No hay cifra para el año de referencia 2015.")
    assert note_words("No estimate of people in modern slavery for this country.", "fr") == (
        "Aucune estimation des personnes en situation d'esclavage moderne pour ce pays.")
    assert note_words("An NGO's own note.", "fr") == "An NGO's own note."
    assert note_words(None, "fr") == ""


def test_measure_descriptions_and_count_labels():
    from indicators.i18n import translator

    definition = MEASURES["victims_prosecuted"].definition
    assert definition == ("Identified trafficking victims prosecuted in the year for immigration "
                          "or prostitution-related offences. No published series; comes from "
                          "uploads.")
    assert translator("es")(definition) == (
        "Víctimas de trata identificadas procesadas en el año por delitos relacionados con la "
        "inmigración o la prostitución. No hay serie publicada; procede de las cargas.")
    assert published_count_label("persons_convicted") == "Published count: Persons convicted"
    assert published_count_label("persons_convicted", "fr") == (
        "Chiffre publié : Personnes condamnées")
    assert published_count_label("persons_convicted", "es") == (
        "Cifra publicada: Personas condenadas")


def test_series_labels():
    assert series_label("official", None) == "official"
    assert series_label(CONTRIBUTED, "Test NGO") == "contributed by Test NGO"
    assert series_label("official", None, "fr") == "officielle"
    assert series_label(CONTRIBUTED, "Test NGO", "es") == "aportada por Test NGO"
    assert series_label(CONTRIBUTED, None, "fr") == "fournie par Contributeur sans nom"


# -- the charts' footers and hovers ---------------------------------------------------------
def test_every_footer_in_the_views_language():
    found = sources().filter(pl.col("id") == "unodc_glotip_2025")
    notes = [DENOMINATOR_NOTE, f"{REPORTING_PROXY_NOTE} Used for 2 of 5 countries."]
    english = footer_lines(found, notes)
    assert english[:2] == [
        "Source: UNODC, Global Report on Trafficking in Persons, data portal (release 14 April "
        "2025).", f"Data as of: UNODC {GLOTIP_2025}."]
    assert english[3] == notes[1]
    french = footer_lines(found, notes, "fr")
    assert french[:2] == [
        "Source : UNODC, Global Report on Trafficking in Persons, portail de données (édition "
        "du 14 avril 2025).",
        "Données à jour au : UNODC portail de données, édition du 14 avril 2025 (années "
        "2003–2022)."]
    assert french[2].startswith("Dénominateur")
    assert french[3].endswith(" Utilisé pour 2 pays sur 5.")
    spanish = footer_lines(found, notes, "es")
    assert spanish[1] == ("Datos a fecha de: UNODC portal de datos, edición del 14 de abril de "
                          "2025 (años 2003–2022).")


def world_rows() -> pl.DataFrame:
    return pl.DataFrame({
        "scope": ["WORLD", "WORLD", "002"], "name": ["World", "World", "Africa"],
        "scope_type": ["world", "world", "region"], "year": [2020, 2021, 2021],
        "countries_counted": [149, 115, 1], "lower": [0.1, 0.2, 0.3],
        "basis": ["computed", "computed", "published"]})


def test_coverage_and_sdg_notes_in_each_language():
    rows = world_rows()
    assert coverage_note(rows) == (
        "World and regional values add up only the countries with figures that year. World: "
        "115 to 149 countries a year (fewest in 2021); Africa: 1 country.")
    assert coverage_note(rows, "fr") == (
        "Les valeurs mondiales et régionales n'additionnent que les pays ayant des chiffres "
        "cette année-là. Monde : 115 à 149 pays par an (le moins en 2021) ; Afrique : 1 pays.")
    assert coverage_note(rows, "es").endswith(
        "Mundo: de 115 a 149 países por año (el mínimo en 2021); África: 1 país.")
    # 1 published (Africa's row stands for a country's here) and 2 computed
    assert sdg_note(rows) == (
        "SDG 16.2.2: UNODC's published value (SDG 16.2.2 as its custodian publishes it) for 1 "
        "of the 3 values drawn; the other 2 computed from detected victims and World Bank "
        "population (UNODC publishes none for them; regions and the world are always "
        "computed).")
    assert sdg_note(rows, "es").startswith(
        "ODS 16.2.2: valor publicado por UNODC (el ODS 16.2.2 tal como lo publica su "
        "organismo custodio) para 1 de los 3 valores dibujados; los otros 2: ")


def test_a_hover_in_french():
    row = {"indicator": "conviction_rate", "scope": "DEU", "name": "Germany", "year": 2021,
           "value_text": "8.7%", "status": "not_met", "status_text": "✗ Not met",
           "trend": "improving", "series_break": True, "scope_type": "country",
           "note": "No figure for the baseline year 2015."}
    assert row_hover(row) == (
        "<b>Germany</b>, 2021<br>8.7%<br>✗ Not met<br>Trend since the baseline: improving<br>"
        "Possible break in the series (check the source)<br>No figure for the baseline year "
        "2015.")
    assert row_hover(row, lang="fr") == (
        "<b>Allemagne</b>, 2021<br>8,7\u00a0%<br>✗ Non atteinte<br>Tendance depuis l'année de "
        "référence : en amélioration<br>Rupture possible de la série (vérifier la source)<br>"
        "Aucun chiffre pour l'année de référence 2015.")


# -- the ZIP's README.txt and CITATION.txt ---------------------------------------------------
def test_readme_and_citation_in_french_and_spanish():
    found = sources().filter(pl.col("id") == "unodc_glotip_2025")
    made = dt.datetime(2026, 12, 7, 6, 0, tzinfo=dt.UTC)
    chart = bundle.BundleChart("conviction-rate", None, pl.DataFrame(), "A sentence.")
    english = bundle.readme_text([chart], "http://x/?lang=fr", found, made, "Compare")
    assert "Release: data portal release of 14 April 2025 (years 2003–2022)" in english
    french = bundle.readme_text([chart], "http://x/?lang=fr", found, made, "Compare", "fr")
    lines = french.splitlines()
    assert lines[:4] == ["Compare: Anti-Trafficking Indicators (open source)", "",
                         "Vue : http://x/?lang=fr", "Créé le : 2026-12-07 06:00 UTC"]
    assert ("Source : UNODC, Global Report on Trafficking in Persons, portail de données "
            "(édition du 14 avril 2025)") in lines
    assert "Édition : portail de données, édition du 14 avril 2025 (années 2003–2022)" in lines
    assert "Licence : L" in lines and "Graphique : conviction-rate" in lines
    assert "Fichiers : conviction-rate.png, conviction-rate.svg, conviction-rate.csv" in lines
    assert lines[-1].startswith("Les chiffres manquants sont « pas de données », jamais zéro")
    spanish = bundle.readme_text([], "", pl.DataFrame(schema=found.schema), made, lang="es")
    assert spanish.splitlines()[:6] == [
        "Gráficos: Anti-Trafficking Indicators (open source)", "",
        "Vista: (no se dio ningún enlace)", "Creado: 2026-12-07 06:00 UTC", "",
        "Fuente: ninguna: la base de datos no tiene cifras para esta vista."]
    citation = bundle.citation_text("es")
    assert citation.startswith("Cómo citar estas cifras:\n\nData: UNODC")
    assert "\n\nBibTeX:\n\n@misc{" in citation
    assert bundle.citation_text() == bundle.citation_text("en")
    assert bundle.citation_text().startswith("How to cite these figures:\n\nData: UNODC")


def test_breakdowns_in_each_language():
    from indicators.measures import group_label, measure_label, measures_summary

    assert group_label("victims_detected|sex|age") == (
        "Detected trafficking victims by sex and age")
    assert group_label("victims_detected|sex|age", "fr") == (
        "Victimes de la traite détectées par sexe et âge")
    assert measure_label("victims_detected|sex=female|age=0-17") == (
        "Detected trafficking victims: female, 0–17")
    assert measure_label("victims_detected|sex=female|age=0-17", "es") == (
        "Víctimas de trata detectadas — femenino, 0–17")
    # a country by CLDR's name (Germany: 'Alemania'); UNODC's 'unknown' for both sex and age
    assert measure_label("victims_detected|citizenship=DEU", "es") == (
        "Víctimas de trata detectadas — ciudadanos de Alemania")
    assert measure_label("victims_detected|sex=unknown|age=unknown", "fr") == (
        "Victimes de la traite détectées — sexe et âge inconnus")
    names = ["persons_convicted", "victims_detected", "victims_detected|form=forced_labour",
             "victims_detected|sex=male|age=18+"]
    assert measures_summary(names) == (
        "Detected trafficking victims, Persons convicted; with breakdowns by form of "
        "exploitation, sex and age")
    assert measures_summary(names, "fr") == (
        "Victimes de la traite détectées, Personnes condamnées ; avec des ventilations par "
        "forme d'exploitation, sexe et âge")


def test_the_sources_table_release_in_spanish():
    from indicators.views import source_coverage

    found = sources().filter(pl.col("id") == "unodc_glotip_2025").with_columns(
        pl.lit("2026-12-06").alias("retrieved"))
    observations = pl.DataFrame({"source_id": ["unodc_glotip_2025"] * 2, "iso3": ["DEU", "FRA"],
                                 "year": [2021, 2022], "measure": ["persons_convicted"] * 2})
    english = source_coverage(observations, found).row(0, named=True)
    assert (english["Release"], english["Measures"]) == (GLOTIP_2025, "Persons convicted")
    spanish = source_coverage(observations, found, "es").row(0, named=True)
    assert (spanish["Release"], spanish["Measures"], spanish["Years"]) == (
        "portal de datos, edición del 14 de abril de 2025 (años 2003–2022)",
        "Personas condenadas", "2021–2022")


def test_contributed_series_in_each_language():
    from indicators.series_views import basis_notes, basis_words, series_choice_label

    assert [series_choice_label(c) for c in ("official", "Test NGO")] == [
        "Official figures", "Test NGO (contributed)"]
    assert [series_choice_label(c, "fr") for c in ("official", "Test NGO")] == [
        "Chiffres officiels", "Test NGO (contribution)"]
    assert basis_words("adopted correction", "Test NGO", "Rita") == (
        "contributed by Test NGO, adopted correction by Rita")
    assert basis_words("adopted correction", "Test NGO", "Rita", "es") == (
        "aportada por Test NGO, corrección adoptada por Rita")
    assert basis_words("chosen series", "Test NGO", lang="fr") == (
        "fournie par Test NGO, la série que vous avez choisie")
    picked = pl.DataFrame({"iso3": ["GBR", "GBR"], "year": [2018, 2019],
                           "measure": ["victims_reported"] * 2, "basis": ["contributed"] * 2,
                           "series": ["Test NGO"] * 2, "batch_id": [1, 1]})
    assert basis_notes(picked, None, iso3s=None, years=(2015, 2022),
                       measures=["victims_reported"]) == [
        "Victims reported: contributed by Test NGO (GBR 2018–2019)."]
    assert basis_notes(picked, None, iso3s=None, years=(2015, 2022),
                       measures=["victims_reported"], lang="fr") == [
        "Victimes signalées : fournie par Test NGO (GBR 2018–2019)."]
