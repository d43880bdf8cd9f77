"""The dashboard in French and Spanish as a person sees it in Chromium: from the link, from the
browser's own language, and from the sidebar's choice; axe on a French page."""

from __future__ import annotations

from tests.browser.conftest import wait_for_app
from tests.browser.test_accessibility import assert_accessible, settle


def nav_links(tab) -> list[str]:
    return tab.locator('[data-testid="stSidebarNavLink"]').all_inner_texts()


def test_the_overview_from_a_french_link(app_server, page, artifacts_dir):
    page.goto(f"{app_server.url}/?lang=fr")
    wait_for_app(page)
    assert page.get_by_role("heading", name="Indicateurs de lutte contre la traite").is_visible()
    assert "Vue d'ensemble" in " ".join(nav_links(page))
    assert page.get_by_text("1. Taux de condamnation").is_visible()
    assert page.locator('[data-testid="stException"]').count() == 0
    assert "lang=fr" in page.url  # the link the page writes keeps its language
    # screen readers read the page in French (WCAG 3.1.1 Language of Page)
    page.wait_for_function("() => document.documentElement.lang === 'fr'", polling=250)
    settle(page)
    assert_accessible(page, artifacts_dir, "overview-fr")


def test_the_browser_language_is_the_default(app_server, browser):
    context = browser.new_context(viewport={"width": 1400, "height": 1000}, locale="es-ES")
    try:
        tab = context.new_page()
        tab.goto(app_server.url)
        wait_for_app(tab)
        assert tab.get_by_role("heading", name="Indicadores contra la trata").is_visible()
        assert "Resumen" in " ".join(nav_links(tab))
        tab.wait_for_function("() => document.documentElement.lang === 'es'", polling=250)
        # the sidebar's choice wins, and goes into the link
        tab.get_by_role("combobox", name="Idioma").click()
        tab.get_by_role("option", name="English").click()
        wait_for_app(tab)
        assert tab.get_by_role("heading", name="Anti-Trafficking Indicators").is_visible()
        assert "lang=" not in tab.url
        tab.wait_for_function("() => document.documentElement.lang === 'en'", polling=250)
    finally:
        context.close()


def test_compare_in_french_and_the_country_profile_in_spanish(app_server, page, artifacts_dir):
    """Two more pages as a person sees them, charts drawn: the French Compare page (its chart
    titles, the map's legend, the table) and the Spanish Country profile, each checked by axe
    (a11y-compare-fr.png, a11y-country-es.png in tests/artifacts/)."""
    page.goto(f"{app_server.url}/compare?lang=fr&indicator=conviction_rate&countries=GBR,NGA")
    wait_for_app(page)
    settle(page)
    assert page.get_by_role("heading", name="Comparer les pays").is_visible()
    svg = " ".join(page.locator('[data-testid="stPlotlyChart"] .main-svg').all_text_contents())
    # the chart over time and the ranking in French, the countries by CLDR's names
    assert "Taux de condamnation, " in svg and "Royaume-Uni" in svg and "Conviction rate" not in svg
    page.wait_for_function("() => document.documentElement.lang === 'fr'", polling=250)
    assert_accessible(page, artifacts_dir, "compare-fr")

    page.goto(f"{app_server.url}/country?lang=es&country=NGA")
    wait_for_app(page)
    settle(page)
    assert page.get_by_role("heading", name="Perfil de país").is_visible()
    svg = " ".join(page.locator('[data-testid="stPlotlyChart"] .main-svg').all_text_contents())
    assert "Nigeria: Tasa de condena, frente a " in svg
    assert "Conviction rate" not in svg and "Detected trafficking victims" not in svg
    page.wait_for_function("() => document.documentElement.lang === 'es'", polling=250)
    assert_accessible(page, artifacts_dir, "country-es")
