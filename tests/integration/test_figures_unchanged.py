"""The figures a reader sees stay exactly as they were when the way they are built changes
(issue 20: faster figure building must not change a picture).

Each figure below, built from the bundled published data, is compared with its stored twin in
``figures_unchanged.json.gz``: every trace and every layout property (titles, footers, target
and deadline lines, axes, legends, hover texts), keys in any order. The figures are the chart
over time and the ranking for a spread of new selections (indicators, scopes, years, scales,
the three languages), the world map in both modes, and every chart of a country's and the
world's brief (each chart family the pages draw, through ``brief_frame``): the charts of
``stored_twins.built_charts``.

The stored twins were made by the code before the change. To store them anew after an
intended change of a picture, run ``INDICATORS_STORE_FIGURES=1 pytest`` on this file (the test
then fails, saying so) and look at the pictures before committing the file.
"""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from indicators import charts
from tests.integration.stored_twins import (
    BRIEFS,
    LINES,
    MAPS,
    RANKINGS,
    built_charts,
    stored_twins,
)

STORED = Path(__file__).with_name("figures_unchanged.json.gz")


def _canonical(fig) -> str:
    return json.dumps(fig.to_plotly_json(), sort_keys=True, default=str)


@pytest.fixture(scope="module")
def figures(bundled_db_template) -> dict[str, str]:
    return {key: _canonical(charts.as_figure(fig))
            for key, fig, _data, _alt in built_charts(bundled_db_template)}


def test_the_figures_are_the_ones_stored(figures):
    stored = stored_twins(figures, STORED, "figures")
    assert sorted(figures) == sorted(stored)
    changed = [key for key in stored if json.loads(figures[key]) != json.loads(stored[key])]
    assert changed == [], f"{len(changed)} figures changed, the first: {changed[0]}"


def test_every_chart_family_is_compared(figures):
    kinds = {json.loads(fig)["data"][0]["type"] for fig in figures.values()
             if json.loads(fig)["data"]}
    assert {"scatter", "bar", "choropleth", "heatmap"} <= kinds
    assert len(figures) >= len(LINES) + len(RANKINGS) + len(MAPS) + 2 * len(BRIEFS)
