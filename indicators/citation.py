"""How to cite the figures: one line for every CSV and API answer, a BibTeX entry, and the
words the README and the pages use. The original publishers come first: the dashboard only
recomputes what UNODC, Walk Free and the World Bank published."""

from __future__ import annotations

from indicators.measures import PAPER_CITATION

DASHBOARD_TITLE = "Anti-Trafficking Indicators dashboard"
DASHBOARD_VERSION = "0.1.0"
PUBLISHERS = (
    "UNODC, Global Report on Trafficking in Persons, data portal, and SDG indicator data",
    "Walk Free, Global Slavery Index 2023",
    "World Bank, World Development Indicators, Population, total (SP.POP.TOTL)",
)

CITATION = (
    f"Data: {'; '.join(PUBLISHERS)}. Indicators computed by the {DASHBOARD_TITLE} "
    f"(version {DASHBOARD_VERSION}) after {PAPER_CITATION}."
)

BIBTEX = f"""@misc{{anti_trafficking_indicators,
  title        = {{{{{DASHBOARD_TITLE}}}: the five indicators of success on published UNODC,
                  Walk Free and World Bank data}},
  author       = {{{{Anti-Trafficking Indicators contributors}}}},
  year         = {{2026}},
  version      = {{{DASHBOARD_VERSION}}},
  note         = {{Data: {'; '.join(PUBLISHERS)}. Indicators after {PAPER_CITATION}}},
  howpublished = {{Read API: /api/v1/}}
}}
"""


def csv_line(citation: str = CITATION) -> str:
    """The citation as the first line of a CSV answer: a comment (``#``), which the Data
    Package's dialect declares and ``read_csv(..., comment_prefix="#")`` skips."""
    return "# Cite as: " + citation.replace("\n", " ") + "\n"
