"""The indicator line chart in French and Spanish (``lang``): its title, subtitle, axis title,
target label, baseline and deadline marks and footer through the catalogs; the paper's own
words stay in English; English is the figure it always was."""

from __future__ import annotations

import html

import plotly.graph_objects as go

from indicators import charts, views
from indicators.measures import INDICATORS
from tests.unit.chart_fixtures import SYNTHETIC_CITATION, synthetic_sources

YEARS = (2015, 2021)


def _lines(frame, names, lang=None, scale="auto"):
    data = views.lines_data(frame, "conviction_rate", ["WORLD", "AAA", "BBB"], YEARS, names)
    kwargs = {} if lang is None else {"lang": lang}
    return charts.indicator_lines(
        data, "conviction_rate", sources=views.sources_used(data["source"], synthetic_sources()),
        baseline_year=2015, deadline_year=2025, years=YEARS, scale=scale, **kwargs,
    )


def _footer(fig: go.Figure) -> str:
    (footer,) = [a for a in fig.layout.annotations if a.name == "footer"]
    return " ".join(html.unescape(footer.text.replace("<br>", " ")).split())


def _labels(fig: go.Figure) -> str:
    return " ".join(html.unescape(a.text or "") for a in fig.layout.annotations)


def test_a_french_chart_has_french_words_and_the_papers_english_quote(frame, names):
    fig = _lines(frame, names, "fr")
    assert fig.layout.title.text == "<b>Taux de condamnation, 2015–2021</b>"
    subtitle = fig.layout.title.subtitle.text.replace("<br>", " ")
    assert subtitle.startswith(
        "Personnes condamnées par victime estimée. Cible : plus de 30\u00a0%")
    assert INDICATORS["conviction_rate"].paper_wording in subtitle  # quoted as published
    assert fig.layout.yaxis.title.text == "Personnes condamnées par<br>victime estimée"
    footer = _footer(fig)
    assert f"Source : {SYNTHETIC_CITATION}." in footer
    assert "Données à jour au : Test Publisher édition du 1 janvier 2000." in footer
    assert "Une interruption de la ligne est une année sans chiffres, pas un zéro." in footer
    assert footer.endswith("Graphique : Anti-Trafficking Indicators (logiciel libre). "
                           "Indicateurs de réussite de Saif & Khan (2026).")
    assert "Source:" not in footer and "Chart:" not in footer
    labels = _labels(fig)
    assert "Référence 2015" in labels and "Échéance 2025" in labels
    assert "bien au-dessus des valeurs affichées" in labels  # 0.1%–1.2% against 30%


def test_a_spanish_chart_has_spanish_words(frame, names):
    fig = _lines(frame, names, "es")
    assert fig.layout.title.text == "<b>Tasa de condena, 2015–2021</b>"
    footer = _footer(fig)
    assert f"Fuente: {SYNTHETIC_CITATION}." in footer
    assert "Datos a fecha de: Test Publisher edición del 1 de enero de 2000." in footer
    labels = _labels(fig)
    assert "Referencia 2015" in labels and "Plazo 2025" in labels
    assert "<b>Meta</b>: más del 30\u00a0% en el año de referencia + 10" in labels


def test_english_is_the_same_figure_with_or_without_lang(frame, names):
    default, english = _lines(frame, names), _lines(frame, names, "en")
    assert default.to_json() == english.to_json()
    assert default.layout.title.text == "<b>Conviction rate, 2015–2021</b>"
    assert _footer(default).startswith(f"Source: {SYNTHETIC_CITATION}.")
    assert "Baseline 2015" in _labels(default) and "Deadline 2025" in _labels(default)


def test_a_remembered_hover_is_the_one_made_anew_and_told_apart_by_every_value():
    from indicators.charts import words

    row = {"indicator": "conviction_rate", "scope": "GBR", "name": "United Kingdom",
           "scope_type": "country", "year": 2020, "value": 0.0016, "lower": 0.0016,
           "upper": 0.0016, "value_text": "1 in 620", "status": "off_track",
           "status_text": "✖ Off track", "trend": "none", "note": None}
    first = words.hover(row, "fr")
    assert words.hover(dict(row), "fr") == first == words._translated_hover(row, "fr", "")
    for changed in ({"year": 2021}, {"value_text": "1 in 630"}, {"scope": "FRA"}):
        other = {**row, **changed}
        assert words.hover(other, "fr") == words._translated_hover(other, "fr", "") != first
    assert words.hover(row, "es") != first
