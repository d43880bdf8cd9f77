"""How to cite the figures, as the API's answers use it: the words themselves live in
``indicators.citation`` (the pages' CSV downloads and ZIPs carry the same line)."""

from __future__ import annotations

from indicators.citation import (
    BIBTEX,
    CITATION,
    DASHBOARD_TITLE,
    DASHBOARD_VERSION,
    PUBLISHERS,
    csv_line,
)

__all__ = ["BIBTEX", "CITATION", "DASHBOARD_TITLE", "DASHBOARD_VERSION", "PUBLISHERS",
           "csv_line"]
