"""The dashboard's languages (indicators.i18n): the catalogs complete and current, CLDR's names,
numbers in each locale's notation, the language from a link or a browser."""

from __future__ import annotations

import os
from pathlib import Path

import pytest
from babel.messages.frontend import CommandLineInterface
from babel.messages.pofile import read_po

from indicators import i18n
from indicators.measures import status_text
from indicators.value_text import format_value, share_text

ROOT = Path(__file__).resolve().parents[2]


@pytest.fixture(autouse=True)
def locale_cache(tmp_path, monkeypatch):
    monkeypatch.setenv("INDICATORS_LOCALE_CACHE", str(tmp_path / "locale"))
    return tmp_path / "locale"


@pytest.fixture(scope="module")
def extracted(tmp_path_factory) -> set[str]:
    """Every message the code marks, as ``pybabel extract`` (with the project's babel.cfg)
    finds it now."""
    out = tmp_path_factory.mktemp("pot") / "messages.pot"
    cwd = os.getcwd()
    os.chdir(ROOT)
    try:
        CommandLineInterface().run(["pybabel", "-q", "extract", "-F", "babel.cfg", "-k", "N_",
                                    "--no-location", "-o", str(out), "."])
    finally:
        os.chdir(cwd)
    with out.open("rb") as pot:
        return {m.id for m in read_po(pot) if m.id}


@pytest.mark.parametrize("lang", ["fr", "es"])
def test_every_message_is_translated_and_none_is_left_over(extracted, lang):
    assert len(extracted) > 50  # the extraction itself found the marked messages
    with i18n.po_path(lang).open("rb") as po:
        catalog = read_po(po, locale=lang)
    entries = {m.id: m.string for m in catalog if m.id}
    missing = sorted(m for m in extracted if not entries.get(m))
    unused = sorted(set(entries) - extracted)
    obsolete = sorted(m.id for m in catalog.obsolete.values())
    assert missing == [], f"no {lang} translation for: {missing}"
    assert unused == [], f"{lang} entries no code uses (run pybabel update): {unused}"
    assert obsolete == []
    fuzzy = sorted(m.id for m in catalog if m.id and m.fuzzy)
    assert fuzzy == [], f"{lang} translations marked fuzzy, to check: {fuzzy}"


@pytest.mark.parametrize("lang", ["fr", "es"])
def test_every_translation_keeps_its_placeholders(lang):
    """A translation with another '{name}' than its message would stop the page with a
    KeyError when it is formatted: each form keeps exactly the message's placeholders."""
    import re

    def names(text: str) -> set[str]:
        return set(re.findall(r"\{(\w*)(?:[:!][^}]*)?\}", text))  # {low:,} is {low}

    with i18n.po_path(lang).open("rb") as po:
        catalog = read_po(po, locale=lang)
    wrong = []
    for message in catalog:
        if not message.id:
            continue
        ids = (message.id,) if isinstance(message.id, str) else message.id
        forms = (message.string,) if isinstance(message.string, str) else message.string
        wanted = set().union(*(names(i) for i in ids))
        wrong += [(ids[0], form) for form in forms if names(form) != wanted
                  and not (len(ids) > 1 and names(form) <= wanted)]
    assert wrong == []


def test_the_template_is_current(extracted):
    with (i18n.LOCALE_DIR / "messages.pot").open("rb") as pot:
        assert {m.id for m in read_po(pot) if m.id} == extracted


def test_unodc_terms():
    fr, es = i18n.translator("fr"), i18n.translator("es")
    assert fr("Conviction rate") == "Taux de condamnation"
    assert es("Conviction rate") == "Tasa de condena"
    assert fr("Detected victims per 100,000 people").startswith("Victimes détectées")
    assert es("Detected victims per 100,000 people").startswith("Víctimas detectadas")
    assert (fr("Victims prosecuted"), es("Victims prosecuted")) == (
        "Victimes poursuivies", "Víctimas procesadas")


def test_statuses_in_each_language():
    fr, es = i18n.translator("fr"), i18n.translator("es")
    assert status_text("off_track") == "✖ Off track"  # English as before
    assert status_text("on_track", translate=fr) == "↗ En bonne voie"
    assert status_text("no_data", translate=es) == "○ Sin datos"
    assert status_text("off_track", "partly_proxy", translate=fr) == (
        "✖ Pas en bonne voie (en partie sur une variable de substitution)")
    assert status_text("met_on_proxy", "partly_proxy", translate=es) == (
        "◐ Meta alcanzada, en parte con una variable sustitutiva")


def test_english_and_unknown_languages_translate_nothing():
    for lang in ("en", None, "xx", "de"):
        assert i18n.translator(lang)("Conviction rate") == "Conviction rate"


def test_country_and_region_names_from_cldr():
    assert i18n.country_name("DEU", "Germany", "fr") == "Allemagne"
    assert i18n.country_name("DEU", "Germany", "es") == "Alemania"
    assert i18n.country_name("CIV", "Côte d'Ivoire", "fr") == "Côte d’Ivoire"
    assert i18n.country_name("CIV", "Côte d'Ivoire", "es") == "Côte d’Ivoire"
    # English keeps UNODC's own name, whatever CLDR says
    assert i18n.country_name("CIV", "Côte d'Ivoire", "en") == "Côte d'Ivoire"
    assert i18n.country_name("GBR", "United Kingdom", "en") == "United Kingdom"
    # regions and subregions by their UN M49 code, the world by 001
    assert i18n.place_name("Western Africa", "Western Africa", "fr") == "Afrique occidentale"
    assert i18n.place_name("Europe", "Europe", "es") == "Europa"
    assert i18n.place_name("WORLD", "World", "es") == "Mundo"
    # a code CLDR does not know keeps the name it came with
    assert i18n.country_name("XKX", "Kosovo", "fr") in ("Kosovo", "Kosovo")
    assert i18n.place_name("Nowhere", "Nowhere", "fr") == "Nowhere"


def test_numbers_in_each_locale():
    # CLDR: a no-break space before the percent sign; French groups thousands with a narrow one
    assert i18n.percent(0.087, "fr") == "8,7\u00a0%"
    assert i18n.percent(0.087, "es") == "8,7\u00a0%"
    assert i18n.percent(0.087, "en") == "8.7%"
    share = 1 / 620
    assert share_text(share) == "1 in 620"  # English unchanged
    assert i18n.one_in_text(share, "en") == "1 in 620"
    assert i18n.one_in_text(share, "fr") == "1 sur 620"
    assert i18n.one_in_text(share, "es") == "1 de cada 620"
    assert i18n.one_in_text(0.087, "fr") == "8,7\u00a0%"


def test_values_keep_their_figures_in_every_notation():
    # format_value decides the figures (never rounded across a target); the locale writes them
    english = format_value(None, "share", lower=1 / 5808, upper=1 / 5708)
    assert english == "1 in 5,700–5,800"
    assert i18n.localise_value(english, "fr") == "1 sur 5\u202f700–5\u202f800"
    assert i18n.localise_value(english, "es") == "1 de cada 5.700–5.800"
    assert i18n.localise_value("−10% to +5%", "fr") == "−10\u00a0% à +5\u00a0%"
    assert i18n.localise_value("+62–63%", "es") == "+62–63\u00a0%"
    assert i18n.localise_value("0.010%", "fr") == "0,010\u00a0%"  # the digits it was given
    assert i18n.localise_value("12,345", "fr") == "12\u202f345"
    assert i18n.localise_value("no data", "es") == "sin datos"
    assert i18n.localise_value("1 in 5,700–5,800", "en") == "1 in 5,700–5,800"


@pytest.mark.parametrize(("raw", "lang"), [
    ("fr", "fr"), ("FR", "fr"), ("es-MX", "es"), ("es_ES", "es"), (" en ", "en"),
    ("xx", None), ("", None), (None, None), ("french", None),
])
def test_parse_language(raw, lang):
    assert i18n.parse_language(raw) == lang


def test_browser_language():
    assert i18n.browser_language("fr-FR") == "fr"
    assert i18n.browser_language("de-DE", "de-DE,de;q=0.9,es;q=0.8,fr;q=0.7") == "es"
    assert i18n.browser_language(None, "fr;q=0.5, es;q=0.9") == "es"  # by weight, not order
    assert i18n.browser_language("de-DE", "de;q=x, it") == "en"
    assert i18n.browser_language(None, None) == "en"


def test_catalogs_compile_on_first_use_and_again_when_the_po_changes(locale_cache, tmp_path,
                                                                      monkeypatch):
    mo = i18n.compiled("fr")
    assert mo.parent == locale_cache / "fr" / "LC_MESSAGES" and mo.suffix == ".mo"
    first = mo.stat().st_mtime_ns
    assert i18n.compiled("fr") == mo and mo.stat().st_mtime_ns == first  # the same .po: kept
    # another .po (a copy of the locale folder, never the real one): compiled anew beside the
    # first, which another checkout sharing the cache may still use
    copy = tmp_path / "src"
    po = copy / "fr" / "LC_MESSAGES" / "messages.po"
    po.parent.mkdir(parents=True)
    po.write_bytes(i18n.po_path("fr").read_bytes().replace(
        b'msgstr "Taux de condamnation"', b'msgstr "Taux de condamnation (essai)"'))
    real = i18n.LOCALE_DIR
    monkeypatch.setattr(i18n, "LOCALE_DIR", copy)
    assert i18n.translator("fr")("Conviction rate") == "Taux de condamnation (essai)"
    assert i18n.compiled("fr") != mo and mo.exists()
    monkeypatch.setattr(i18n, "LOCALE_DIR", real)
    assert i18n.translator("fr")("Conviction rate") == "Taux de condamnation"


def test_a_read_only_cache_falls_back_to_the_temporary_folder(tmp_path, monkeypatch):
    blocked = tmp_path / "blocked"
    blocked.write_text("a file where the cache folder would be")
    monkeypatch.setenv("INDICATORS_LOCALE_CACHE", str(blocked))
    assert i18n.compiled("es").exists()
    assert i18n.translator("es")("Language") == "Idioma"
