"""The sentences of a card (coverage, trend, projection, breaks, years) in French and Spanish,
English by default and byte for byte as before (tests/unit/test_views.py)."""

from __future__ import annotations

import polars as pl
import pytest

from indicators import views
from indicators.report import indicator_frame
from indicators.settings import IndicatorSettings

NBSP = "\u00a0"


@pytest.fixture(autouse=True)
def locale_cache(tmp_path, monkeypatch):
    monkeypatch.setenv("INDICATORS_LOCALE_CACHE", str(tmp_path / "locale"))


@pytest.fixture(scope="module")
def frame(bundled_db_template):
    from indicators.store import Store

    with Store(bundled_db_template, read_only=True) as store:
        yield indicator_frame(store, IndicatorSettings())


THIN = {"scope_type": "world", "countries_counted": 1, "countries_in_scope": 246,
        "coverage_share": 0.0012}
THREE = {"scope_type": "world", "countries_counted": 3, "countries_in_scope": 246,
         "coverage_share": 0.6437, "basis": "partly_proxy"}


def test_coverage_in_english_is_as_before():
    # the same rows as test_views' English ones: 1 of 246, 0.12% ('<1%'); 3 of 246, 64.37%
    assert views.coverage_text(THIN) == views.coverage_text(THIN, "en") == (
        "1 of 246 countries and territories, <1% of estimated victims. Only 1 country: this "
        "value speaks for them, not for the whole")


@pytest.mark.parametrize(("lang", "thin", "three"), [
    ("fr",
     f"1 sur 246 pays et territoires, <1{NBSP}% des victimes estimées. Seulement 1 pays : "
     "cette valeur parle pour lui, non pour l'ensemble",
     f"3 sur 246 pays et territoires, 64{NBSP}% des victimes estimées ; en partie sur une "
     "variable de substitution. Seulement 3 pays : cette valeur parle pour eux, non pour "
     "l'ensemble"),
    ("es",
     f"1 de 246 países y territorios, <1{NBSP}% de las víctimas estimadas. Solo 1 país: este "
     "valor habla por él, no por el conjunto",
     f"3 de 246 países y territorios, 64{NBSP}% de las víctimas estimadas; en parte con una "
     "variable sustitutiva. Solo 3 países: este valor habla por ellos, no por el conjunto"),
], ids=["fr", "es"])
def test_coverage_in_french_and_spanish_with_the_count_in_its_plural(lang, thin, three):
    # the English rows above: 1 of 246, 0.12% ('<1%'); 3 of 246, 64.37%
    assert views.coverage_text(THIN, lang) == thin
    assert views.coverage_text(THREE, lang) == three


def test_a_countrys_proxy_and_missing_figures_in_french_and_spanish():
    proxy = {"scope_type": "country", "countries_counted": 1, "basis": "proxy",
             "indicator": "reporting_increase"}
    assert views.coverage_text(proxy, "fr") == (
        "Sur une variable de substitution : les victimes détectées par les autorités (ONUDC) "
        "remplacent les victimes signalées, que ce pays ne publie pas.")
    assert views.coverage_text(proxy, "es") == (
        "Con una variable sustitutiva: las víctimas detectadas por las autoridades (UNODC) "
        "sustituyen a las víctimas denunciadas, que este país no publica.")
    none = {"scope_type": "country", "countries_counted": 0}
    assert views.coverage_text(none, "fr") == (
        "Ce pays n'a pas les chiffres nécessaires cette année-là.")
    assert views.coverage_text(none, "es") == "Este país no tiene las cifras necesarias ese año."


def test_trend_projection_and_break_in_french_and_spanish():
    row = {"trend": "improving", "break_year": 2019}
    assert views.trend_text(row, 2015) == (
        "Trend since 2015: improving. The line spans a possible break in the series in 2019 "
        "(check the source).")
    assert views.trend_text(row, 2015, lang="fr") == (
        "Tendance depuis 2015 : en amélioration. La ligne recouvre une rupture possible dans "
        "la série en 2019 (vérifiez la source).")
    assert views.trend_text(row, 2015, lang="es") == (
        "Tendencia desde 2015: mejorando. La línea abarca una posible ruptura en la serie en "
        "2019 (verifique la fuente).")
    assert views.trend_text({"trend": "none"}, None, lang="es") == (
        "Tendencia: ninguna aún (menos de 3 valores anuales desde el año de referencia).")
    # +49.59% against the +50% target stays '+49.6%' (test_views), in each notation
    projected = {"projected_at_deadline": 0.4959, "deadline_year": 2025, "target": 0.5}
    assert views.projection_text(projected, "reporting_increase", lang="fr") == (
        f"Projection : la ligne de tendance atteint +49,6{NBSP}% en 2025, l'échéance.")
    assert views.projection_text(projected, "reporting_increase", lang="es") == (
        f"Proyección: la línea de tendencia alcanza +49,6{NBSP}% en 2025, el plazo.")
    flagged = {"series_break": True, "year": 2019}
    assert views.break_sentence(flagged, "conviction_rate", lang="fr") == (
        "Rupture possible dans la série (vérifiez la source) : le nombre derrière cette valeur "
        "a été multiplié ou divisé par plus de 3 de 2018 à 2019.")


def test_the_year_rule_in_french_and_spanish(frame):
    # the United Kingdom's figures run to 2021, the data to 2022 (test_views)
    gbr = views.default_year(frame, ("GBR",))
    assert views.year_reason(gbr) == gbr.reason == (
        "2021 is the latest year with figures for this country. The data run to 2022.")
    assert views.year_reason(gbr, "fr") == (
        "2021 est la dernière année avec des chiffres pour ce pays. Les données vont jusqu'à "
        "2022.")
    assert views.year_reason(gbr, "es") == (
        "2021 es el último año con cifras de este país. Los datos llegan hasta 2022.")
    # the world: 115 countries in 2022, the most 149 in 2020 (test_views)
    world = views.default_year(frame)
    assert views.year_reason(world, "fr") == (
        "2022 est la dernière année avec des chiffres pour au moins moitié autant de pays et "
        "territoires que la meilleure année (115 ; le maximum est 149, en 2020).")


def test_a_newest_year_with_few_countries_is_named_in_each_language():
    # four countries in 2019, one in 2020: 2020 has under half the best year's, so 2019
    rows = [("AAA", 2019), ("BBB", 2019), ("CCC", 2019), ("DDD", 2019), ("AAA", 2020)]
    frame = pl.DataFrame({"scope": [s for s, _ in rows], "year": [y for _, y in rows],
                          "scope_type": ["country"] * 5, "status": ["on_track"] * 5})
    choice = views.default_year(frame)
    assert choice.reason == (
        "2019 is the latest year with figures for at least half as many countries and "
        "territories as the best year (4; the most is 4, in 2019). 2020 has figures for only 1.")
    assert views.year_reason(choice, "es").endswith(
        "(4; el máximo es 4, en 2019). 2020 solo tiene cifras de 1.")


def test_a_cards_own_year_and_the_mixed_years_line_in_french(frame):
    # the data run to 2022, where the world has a conviction rate (test_views): a page asking
    # for 2024 shows 2022's, the latest before it, and says so
    page_year = views.YearChoice(2024, "")
    shown = views.card(frame, "conviction_rate", page_year=page_year, lang="fr")
    assert shown.year == 2022
    assert shown.year_note == ("Pas de chiffre pour 2024 (l'année affichée par la page) ; "
                               "celui-ci est de 2022, la dernière année avant.")
    assert views.mixed_years_text([shown], 2024, "fr") == (
        "Les cartes montrent des chiffres d'années différentes : 1. Taux de condamnation 2022 "
        "(l'année de la page est 2024).")
    assert views.mixed_years_text([shown], None, "es") == (
        "Las tarjetas muestran cifras de años distintos: 1. Tasa de condena 2022.")
    english = views.card(frame, "conviction_rate", page_year=page_year)
    assert english.year_note == ("No figure for 2024 (the year the page shows); this is "
                                 "2022's, the latest before it.")
    assert views.mixed_years_text([english], 2024) == (
        "The cards show figures of different years: 1. Conviction rate 2022 (the page's year "
        "is 2024).")


def test_countries_with_two_iso2_codes_get_their_cldr_name():
    # the country table writes the United Kingdom's and Greece's ISO2 as patterns ('^GB$|^UK$',
    # '^GR$|^EL$'): ISO's code is the first
    from indicators import i18n

    assert i18n.country_name("GBR", "United Kingdom", "fr") == "Royaume-Uni"
    assert i18n.country_name("GBR", "United Kingdom", "es") == "Reino Unido"
    assert i18n.country_name("GRC", "Greece", "fr") == "Grèce"
    assert i18n.country_name("GBR", "United Kingdom", "en") == "United Kingdom"
