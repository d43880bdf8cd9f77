"""A draft (``charts.draft.Draft``) writes what plotly's object model makes of the same calls."""

from __future__ import annotations

import json

import numpy as np
import plotly.graph_objects as go
import pytest

from indicators.charts.draft import Draft, figure_dict
from indicators.charts.frame import new_figure


def _same(draft: Draft, fig: go.Figure) -> None:
    made = json.dumps(draft.figure().to_plotly_json(), sort_keys=True)
    assert made == json.dumps(fig.to_plotly_json(), sort_keys=True)


@pytest.mark.parametrize("position", ["top left", "top right", "bottom left", "bottom right"])
def test_lines_across_and_up_with_labels_are_plotlys(position):
    line = {"color": "#222222", "dash": "dash", "width": 1.5}
    label = {"text": "<b>Target</b>: 30%", "font": {"size": 13}, "bgcolor": "white"}
    draft, fig = Draft(), new_figure()
    for made in (draft, fig):  # fresh dicts each call: plotly writes into the one it is given
        made.add_hline(y=0.3, line=dict(line), annotation=dict(label),
                       annotation_position=position)
        made.add_vline(x=2030, line=dict(line), annotation=dict(label),
                       annotation_position=position)
        made.add_hline(y=12.5, line=line)
    _same(draft, fig)


def test_traces_and_layout_updates_are_plotlys():
    draft, fig = Draft(), new_figure()
    for made in (draft, fig):
        made.add_trace(dict(type="scatter", x=[2019, 2020, 2021], y=[0.1, None, 0.3],
                            line=dict(color="#0072B2", width=2.5), name="Nigeria",
                            meta={"role": "line", "scope": None}))
        made.add_trace(dict(type="bar", orientation="h", x=[None, None], y=["a", "b"],
                            base=None))
        made.update_layout(legend=dict(orientation="v", x=1.01), hovermode="closest")
        made.update_layout(legend=dict(font=dict(size=13)), height=640)
        made.update_xaxes(range=[2002.5, 2030.5], dtick=2)
        made.update_yaxes(range=None, tickvals=None, title=dict(text="Rate"), type="linear")
        made.add_annotation(text="no data", x=0, y="b", xref="x", yref="y", showarrow=False)
    _same(draft, fig)
    # what plotly leaves out is left out: a None property, not a null in the figure's data
    assert "base" not in draft.data[1] and "range" not in draft.layout["yaxis"]
    # a trace's meta is kept as it is, None included
    assert draft.data[0]["meta"] == {"role": "line", "scope": None}


def test_a_draft_has_one_plot_and_plain_label_positions():
    draft = Draft()
    with pytest.raises(ValueError, match="one plot"):
        draft.add_trace({"type": "scatter"}, row=1, col=2)
    with pytest.raises(ValueError, match="annotation_position"):
        draft.add_hline(y=1, line={}, annotation={"text": "x"}, annotation_position="middle")
    with pytest.raises(ValueError, match="annotation_position"):
        draft.add_vline(x=1, line={}, annotation={"text": "x"}, annotation_position="top centre")


def test_a_drafts_figure_carries_plotlys_template_and_never_changes_the_kept_one():
    import plotly.io as pio

    from indicators.charts import draft as draft_module

    before = pio.templates.default
    try:
        pio.templates.default = "plotly_dark"  # what importing streamlit does, in kind
        fig = Draft().figure()
        assert fig.to_dict()["layout"]["template"] == \
            pio.templates["plotly"].to_plotly_json()
        fig.layout.template.layout.font.color = "red"
        assert draft_module._template()["layout"]["font"]["color"] == "#2a3f5f"
    finally:
        pio.templates.default = before


def test_a_figures_dict_is_plotlys_to_dict_and_a_copy_of_it():
    draft = Draft()
    years = [2019, 2020, 2021]
    draft.add_trace({"type": "scatter", "x": years, "y": [1.5, None, 3], "meta": {"k": (1, 2)}})
    draft.add_trace({"type": "bar", "x": years, "y": [True, False, True]})
    draft.update_layout(title={"text": "<b>A</b>"}, meta={"title": "A", "footer": ["x"]})
    fig = draft.figure()
    made = figure_dict(fig)
    assert repr(made) == repr(fig.to_dict())  # every key in its order, every value of its type
    made["layout"]["meta"]["title"] = "changed"
    made["data"][0]["x"].append(2022)
    assert fig.to_dict()["layout"]["meta"]["title"] == "A" and fig.data[0].x == tuple(years)


def test_a_figure_holding_arrays_gets_plotlys_own_dict():
    fig = go.Figure(go.Scatter(x=np.array([2019, 2020]), y=np.array([1.0, 2.0])))
    assert repr(figure_dict(fig)) == repr(fig.to_dict())  # the arrays encoded as plotly does


def test_a_drafts_own_dict_is_its_figures_key_for_key_and_a_copy():
    """What a page sends of a new selection (``Draft.to_dict``, no figure made) is what it sent
    when the figure was made first: plotly orders a trace's and the layout's keys by name."""
    draft = Draft()
    draft.add_trace({"type": "scatter", "y": [1.5, None], "x": [2019, 2020], "name": "A",
                     "line": {"width": 2, "color": "#000000"}, "meta": {"k": (1, 2)}})
    draft.add_trace({"type": "bar", "x": [1], "y": ["b"], "orientation": "h"})
    draft.update_layout(title={"text": "<b>A</b>"}, height=500, meta={"footer": ["x"]})
    draft.add_hline(y=0.3, line={"dash": "dash"}, annotation={"text": "Target"})
    made = draft.to_dict()
    assert repr(made) == repr(figure_dict(draft.figure()))
    assert list(made["data"][0])[-1] == "type" and list(made["layout"])[:2] == [
        "annotations", "height"]
    made["data"][0]["x"].append(2021)
    made["layout"]["meta"]["footer"].append("y")
    assert draft.data[0]["x"] == [2019, 2020] and draft.layout["meta"]["footer"] == ["x"]
    assert figure_dict(draft) == made | {"data": [made["data"][0] | {"x": [2019, 2020]},
                                                  made["data"][1]],
                                         "layout": made["layout"] | {
                                             "meta": {"footer": ["x"]}}}


def test_a_builder_of_drafts_gives_its_figure_and_as_figure_takes_either():
    from indicators import charts

    assert charts.indicator_lines.__name__ == "indicator_lines"
    assert "indicator_lines_draft" in charts.indicator_lines.__doc__
    draft = Draft()
    draft.update_layout(height=300)
    fig = charts.as_figure(draft)
    assert isinstance(fig, go.Figure) and fig.layout.height == 300
    assert charts.as_figure(fig) is fig
