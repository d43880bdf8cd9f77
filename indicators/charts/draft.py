"""Figures assembled as plain data, for the charts a click draws anew (issue 20).

Plotly's object model checks every property on every call: on a new selection of the Compare
page three quarters of the server's time went into ``go.Scatter``, ``update_layout`` and
``add_hline`` checking values the code itself wrote. A ``Draft`` collects the same dicts the
object model would hold (what ``fig.to_dict()`` gives back), and ``figure()`` makes one
``go.Figure`` of them without checking them again (``_validate=False``): about 1 ms, against
tens of ms.

What a draft writes must be what plotly would have made of the same calls: the values
``None`` leaves out, the shapes and labels of ``hline``/``vline``. The chart families drawn
this way are compared property by property with figures made by the object model
(tests/integration/test_figures_unchanged.py), so a draft that writes something plotly would
not cannot pass unnoticed.
"""

from __future__ import annotations

import functools
from collections.abc import Callable
from typing import Any, ParamSpec

import plotly.graph_objects as go

from indicators.charts.frame import new_figure

P = ParamSpec("P")


def _given(props: dict[str, Any]) -> dict[str, Any]:
    """``props`` without the ones set to None (plotly leaves an unset property out), the same
    down every nested dict but ``meta`` (any value, kept as it is); lists are data, kept too."""
    return {key: _given(value) if isinstance(value, dict) and key != "meta" else value
            for key, value in props.items() if value is not None}


def _merge(into: dict[str, Any], props: dict[str, Any]) -> None:
    """``props`` laid over ``into`` the way ``update_layout`` does: dicts merged key by key,
    anything else replaced."""
    for key, value in props.items():
        if isinstance(value, dict) and isinstance(into.get(key), dict):
            _merge(into[key], value)
        else:
            into[key] = value


class Draft:
    """A figure's traces and layout as plain dicts, made a ``go.Figure`` once (``figure``).

    The methods are the few the chart families use, named after plotly's and doing what
    plotly's do with the same arguments (on a figure with one x and one y axis)."""

    def __init__(self) -> None:
        self.data: list[dict[str, Any]] = []
        self.layout: dict[str, Any] = {}

    def add_trace(self, trace: dict[str, Any], row: int | None = None,
                  col: int | None = None) -> None:
        """A trace as a dict with its ``type`` ('scatter', 'bar'), as ``go.Figure.add_trace``
        takes it (a draft has one plot: no ``row`` or ``col``)."""
        if row is not None or col is not None:
            raise ValueError("a draft has one plot: no row or col")
        self.data.append(_given(trace))

    def update_layout(self, **props: Any) -> None:
        _merge(self.layout, _given(props))

    def update_xaxes(self, **props: Any) -> None:
        self.update_layout(xaxis=props)

    def update_yaxes(self, **props: Any) -> None:
        self.update_layout(yaxis=props)

    def add_annotation(self, **props: Any) -> None:
        self.layout.setdefault("annotations", []).append(_given(props))

    def add_shape(self, **props: Any) -> None:
        self.layout.setdefault("shapes", []).append(_given(props))

    def add_hline(self, y: float, *, line: dict[str, Any], annotation: dict[str, Any] | None
                  = None, annotation_position: str = "top right") -> None:
        """A line across the plot at ``y``, its label at one end (``annotation_position``:
        'top left', 'top right', 'bottom left' or 'bottom right'), as ``go.Figure.add_hline``."""
        self.add_shape(type="line", line=dict(line), x0=0, x1=1, xref="x domain", y0=y, y1=y,
                       yref="y")
        if annotation is not None:
            top, side = _position(annotation_position)
            self.add_annotation(**{
                "showarrow": False, "x": 0 if side == "left" else 1, "xanchor": side,
                "xref": "x domain", "y": y, "yanchor": "bottom" if top else "top", "yref": "y",
                **annotation})

    def add_vline(self, x: float, *, line: dict[str, Any], annotation: dict[str, Any] | None
                  = None, annotation_position: str = "top right") -> None:
        """A line up the plot at ``x``, its label beside its top or foot, as
        ``go.Figure.add_vline``."""
        self.add_shape(type="line", line=dict(line), x0=x, x1=x, xref="x", y0=0, y1=1,
                       yref="y domain")
        if annotation is not None:
            top, side = _position(annotation_position)
            self.add_annotation(**{
                "showarrow": False, "x": x, "xanchor": "right" if side == "left" else "left",
                "xref": "x", "y": 1 if top else 0, "yanchor": "top" if top else "bottom",
                "yref": "y domain", **annotation})

    def figure(self) -> go.Figure:
        """The figure, made once from the dicts, with plotly's template (``TEMPLATE``), given
        as the dict plotly itself would put there (``_template``): plotly would otherwise
        copy its template object into plain data again for every figure."""
        return go.Figure({"data": self.data, "layout": {**self.layout, "template": _template()}},
                         _validate=False)

    def to_dict(self) -> dict[str, Any]:
        """``figure().to_dict()`` without making the figure: what a page sends (a new
        selection's figure is sent, and made only if it is exported). Plotly holds a trace's
        and the layout's own properties in the order of their names (a trace's ``type``
        last), and so does this dict, key for key."""
        try:
            return {"data": [_copy(_in_plotly_order(trace)) for trace in self.data],
                    "layout": _copy(_in_plotly_order({**self.layout,
                                                      "template": _template()}))}
        except _NotPlain:
            return self.figure().to_dict()


def _in_plotly_order(props: dict[str, Any]) -> dict[str, Any]:
    """``props`` in the order plotly's constructors set them: by name, ``type`` last."""
    ordered = {key: props[key] for key in sorted(props) if key != "type"}
    if "type" in props:
        ordered["type"] = props["type"]
    return ordered


def as_figure(drawn: go.Figure | Draft) -> go.Figure:
    """The figure of a draft (made anew on each call), or the figure itself."""
    return drawn.figure() if isinstance(drawn, Draft) else drawn


def drawn_figure(build: Callable[P, Draft]) -> Callable[P, go.Figure]:
    """A chart family's builder that gives the ``go.Figure`` of the ``Draft`` ``build`` gives
    (the draft's own builder, for a page that may never need the figure, stays ``build``)."""

    def figure(*args: P.args, **kwargs: P.kwargs) -> go.Figure:
        return build(*args, **kwargs).figure()

    figure.__name__ = figure.__qualname__ = build.__name__.removesuffix("_draft")
    figure.__module__ = build.__module__
    figure.__doc__ = f"``{build.__name__}``, made a ``go.Figure``:\n\n{build.__doc__}"
    return figure


class _NotPlain(Exception):
    """A value ``figure_dict`` leaves to plotly's own copy (a NumPy array, a pandas series)."""


_PLAIN = frozenset((str, int, float, bool, type(None)))


def _copy(value: Any) -> Any:
    """A deep copy of plain data (dicts, lists and tuples of text, numbers, booleans and
    None, of exactly those types); ``_NotPlain`` at anything else (a subclass too)."""
    kind = type(value)
    if kind is dict:
        return {key: item if type(item) in _PLAIN else _copy(item)
                for key, item in value.items()}
    if kind is list or kind is tuple:
        if _PLAIN.issuperset(map(type, value)):  # a list of values (the data): copied whole
            return value.copy() if kind is list else value
        items = [item if type(item) in _PLAIN else _copy(item) for item in value]
        return items if kind is list else tuple(items)
    if kind in _PLAIN:
        return value
    raise _NotPlain


def figure_dict(fig: go.Figure | Draft) -> dict[str, Any]:
    """``fig.to_dict()``, the same dict, made quicker for a figure of plain data (every chart
    a ``Draft`` makes): plotly's copies it with ``copy.deepcopy`` and then looks through it
    for arrays to encode, which plain data never holds. A figure with anything else (arrays,
    animation frames) gets plotly's own ``to_dict``. Reads the figure's stored properties
    (``_data``, ``_layout``), which plotly's ``to_dict`` copies. A draft gives its own
    (``Draft.to_dict``)."""
    if isinstance(fig, Draft):
        return fig.to_dict()
    if fig._frame_objs:
        return fig.to_dict()
    try:
        return {"data": _copy(fig._data), "layout": _copy(fig._layout)}
    except _NotPlain:
        return fig.to_dict()


@functools.lru_cache(maxsize=1)
def _template() -> dict[str, Any]:
    """``TEMPLATE`` as plain data: what a figure made by plotly holds in ``layout.template``
    (the figure made from it copies it, so the one kept here is never changed)."""
    return new_figure().to_dict()["layout"]["template"]


def _position(position: str) -> tuple[bool, str]:
    """'top left' → (True, 'left'): whether the label stands at the top, and its side."""
    vertical, _, side = position.partition(" ")
    if vertical not in ("top", "bottom") or side not in ("left", "right"):
        raise ValueError(f"annotation_position {position!r}: a draft takes "
                         "'top|bottom left|right'")
    return vertical == "top", side
