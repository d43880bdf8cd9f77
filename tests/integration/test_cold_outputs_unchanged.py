"""What a reader takes from a chart stays exactly as it was when the way it is built changes
(issue 20: a cheaper new selection must not change a byte of what it gives).

``test_figures_unchanged`` keeps the figures; this keeps the rest of what a page makes of a
chart (``pages.shared.built``): the CSV download's bytes, the text alternative, the read API's
address of the rows and the ``lines`` chart's parameters, and the figure as the page sends it
(``phone_spec(fig.to_dict())``, the phone's layout in its meta), compared with its stored twin
in ``cold_outputs_unchanged.json.gz``. The dicts are compared by ``repr``: every key in its
order, every number of its type. The charts: the Compare page's chart over time and ranking
for the same spread of new selections as the figures (and a few more at the edges: one scope,
a scope without figures, years without any, more scopes than a ranking names), the map, and
every chart of the briefs (each chart family the pages draw).

The stored twins were made by the code before the change; to store them anew after an
intended change, see ``stored_twins``.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from pages.shared import built
from tests.integration.stored_twins import LINES, RANKINGS, built_charts, stored_twins

STORED = Path(__file__).with_name("cold_outputs_unchanged.json.gz")

# new selections at the edges, beside the figures' spread (language None: the library's default)
EDGE_LINES = [
    ("conviction_rate", ("GBR", "FRA", "WORLD", "NGA"), (2003, 2022), "auto", None),
    ("conviction_rate", ("GBR",), (2010, 2020), "auto", "fr"),
    ("victims_prosecuted", ("ATA", "GBR"), (2003, 2022), "auto", "es"),
    ("conviction_rate", ("GBR", "FRA"), (1990, 1995), "auto", "en"),
    ("data_sharing_countries", ("GBR", "FRA"), (2003, 2022), "auto", "en"),
    ("identification_rate", ("BHR", "CHE", "BIH", "BGD", "WORLD"), (2003, 2022), "log", "fr"),
]
EDGE_RANKINGS = [
    ("conviction_rate", 2018, ("ALB", "ARG", "AUS", "AUT", "BEL", "BGR", "BRA", "CAN", "CHE",
                               "CHL", "CZE", "BHR", "BIH", "BGD", "ATA", "WORLD"), "auto", "fr"),
    ("conviction_rate", 2020, ("BHR", "CHE", "BIH", "BGD", "AGO", "AFG"), "auto", None),
    ("victims_prosecuted", 2019, ("ATA", "AFG"), "auto", "es"),
    ("identification_rate", 2020, ("GBR",), "linear", "en"),
]


def _outputs(fig, data, alt: str) -> dict[str, str]:
    made = built(fig, data, alt)
    return {"csv": made.csv.decode("utf-8"), "alt": made.alt,
            "links": repr((made.links.address, made.links.lines_query)),
            "spec": repr(made.spec.to_dict())}


@pytest.fixture(scope="module")
def outputs(bundled_db_template) -> dict[str, dict[str, str]]:
    return {key: _outputs(fig, data, alt) for key, fig, data, alt in
            built_charts(bundled_db_template, LINES + EDGE_LINES, RANKINGS + EDGE_RANKINGS)}


def test_what_a_reader_gets_is_the_one_stored(outputs):
    stored = stored_twins(outputs, STORED, "charts' outputs")
    assert sorted(outputs) == sorted(stored)
    changed = [f"{key}: {part}" for key in stored for part in stored[key]
               if outputs[key][part] != stored[key][part]]
    assert changed == [], f"{len(changed)} outputs changed: {changed}"


def test_the_edges_are_there(outputs):
    """The stored spread reaches what a rewrite could get wrong: a chart without rows (no
    address), tied and ranged ranks, a ranking past the names it lists, every language."""
    assert any(o["links"] == "(None, None)" for o in outputs.values())
    assert any(",'=" in o["csv"] for o in outputs.values())  # '=3', neutralised
    assert any("lowest" in o["alt"] for o in outputs.values())
    assert {key.rsplit(" ", 1)[1] for key in outputs if key.startswith("lines")} >= \
        {"en", "fr", "es", "None"}
    assert sum("'phone'" in o["spec"] for o in outputs.values()) >= len(LINES) + len(RANKINGS)


def test_a_new_selection_is_sent_as_its_draft_and_made_a_figure_once(bundled_db_template):
    """The chart over time and the ranking reach the page as drafts (their dict is sent, no
    ``go.Figure`` made); an export asks for the figure, made once and kept with the chart."""
    import plotly.graph_objects as go

    from indicators import charts

    made = list(built_charts(bundled_db_template, LINES[:1], RANKINGS[:1]))
    for _key, drawn, data, alt in made[:2]:
        assert isinstance(drawn, charts.Draft)
        shown = built(drawn, data, alt)
        assert "fig" not in shown.__dict__  # not made by building what the page sends
        fig = shown.fig
        assert isinstance(fig, go.Figure) and shown.fig is fig
        assert fig.to_dict()["data"] == shown.spec.to_dict()["data"]  # the same traces
