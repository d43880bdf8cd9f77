"""The page on a phone (not a page itself): what app.py adds to every page so that it reads
on a narrow screen, and the layout each chart carries for one.

The figures are laid out for a wide page and for their exports, which must stay as they are.
So a chart's layout for a phone travels with the page's copy of the figure
(``indicators.charts.narrow.phone_layout``, in ``layout.meta["phone"]``) and a script of a few
lines (static/phone.js) switches each chart to it, in the browser, while the screen is at most
640 px wide, or while the chart itself is narrower than 720 px (a window about 1,100 px
wide). Wider than that, the same script cuts a chart's title, subtitle and footer again to the
chart's width where the lines cut for the 1600 px export are wider than the page's column.
The rest is CSS: the buttons under a chart sit side by side instead of one a row,
and a table's words wrap so that it fits the screen (a table wider than the screen would
scroll inside a box the keyboard cannot reach: axe's scrollable-region-focusable).
"""

from __future__ import annotations

from pathlib import Path

import streamlit as st

from indicators.charts.narrow import phone_layout as chart_layout

SCRIPT = Path(__file__).resolve().parents[1] / "static" / "phone.js"

# Streamlit stacks columns below 640 px, one a row: the five small buttons under every chart
# then took five rows. Side by side they wrap as the width allows.
_BUTTON_ROW = ('[data-testid="stHorizontalBlock"]:has(> [data-testid="stColumn"] '
               '[data-testid="stDownloadButton"])')
CSS = f"""
<style>
.st-key-phone_layout {{ display: none; }}
@media (max-width: 640px) {{
  {_BUTTON_ROW} {{ flex-flow: row wrap; gap: 0.5rem; }}
  {_BUTTON_ROW} > [data-testid="stColumn"] {{ width: auto; flex: 0 1 auto; min-width: 0; }}
  [data-testid="stTable"] table {{ table-layout: fixed; width: 100%; }}
  [data-testid="stTable"] th, [data-testid="stTable"] td,
  [data-testid="stTable"] :is(td, th) * {{
    white-space: normal; overflow-wrap: anywhere !important;
  }}
  [data-testid="stTable"] :is(td, th) > div {{ display: block !important; max-width: 100%; }}
}}
</style>
"""


def phone_spec(spec: dict) -> dict:
    """``spec`` (the page's copy: ``fig.to_dict()``) with the figure's layout for a phone in
    its ``layout.meta["phone"]``. Exports are made from the figure itself, never from this."""
    phone = chart_layout(spec)
    if phone is not None:
        spec["layout"]["meta"] = {**spec["layout"]["meta"], "phone": phone}
    return spec


@st.cache_resource(show_spinner=False)
def _script() -> str:
    return SCRIPT.read_text(encoding="utf-8")


def phone_layout() -> None:
    """The page's CSS for narrow screens and the script that fits the charts to them (in a
    hidden container: it takes no room)."""
    st.html(CSS)
    with st.container(key="phone_layout"):
        st.html(f"<script>{_script()}</script>", unsafe_allow_javascript=True)
