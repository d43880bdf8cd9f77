"""The files contributors start from: the long template, the wide template, a filled example.

The same text is offered on the Upload page and committed in docs/ (a test keeps them equal).
The filled example copies real published figures with their real source, so that uploading it
unchanged imports nothing; its one made-up row says so in its source column, and the upload
refuses that row.
"""

from __future__ import annotations

import csv
import io
from collections.abc import Callable

from indicators.i18n import N_
from indicators.measures import CONTEXT_MEASURES, MEASURES
from indicators.upload.shape import EXAMPLE_MARKER, LONG_TEMPLATE, WIDE_FIXED

# Each figure cites the release it comes from in the store: a figure the 14 April 2025 release
# left unchanged keeps the 30 May 2023 release that first published it.
GLOTIP = "UNODC, Global Report on Trafficking in Persons, data portal (release 30 May 2023)"
GLOTIP_2025 = "UNODC, Global Report on Trafficking in Persons, data portal (release 14 April 2025)"
WALK_FREE = "Walk Free, Global Slavery Index 2023"

# Real published figures (checked against the bundled files by tests/unit/test_upload_templates).
EXAMPLE_ROWS: tuple[tuple[str, str, str, str, str, str], ...] = (
    ("United Kingdom", "2019", "victims_detected", "10627", GLOTIP, ""),
    ("United Kingdom", "2019", "persons_prosecuted", "251", GLOTIP, ""),
    ("United Kingdom", "2019", "persons_convicted", "251", GLOTIP, ""),
    ("United Kingdom", "2021", "estimated_victims", "122000", WALK_FREE,
     "Estimate of people in modern slavery on a given day in 2021"),
    ("Philippines", "2019", "victims_detected", "1233", GLOTIP_2025, ""),  # 2,041 in 2023
    ("Philippines", "2019", "persons_prosecuted", "741", GLOTIP, ""),
    ("Philippines", "2019", "persons_convicted", "77", GLOTIP_2025, ""),  # 87 in 2023
    ("Iceland", "2019", "persons_convicted", "<5", GLOTIP,
     "'<5' means a count from 1 to 4 that the publisher does not give exactly"),
    ("Philippines", "2023", "victims_reported", "1500", EXAMPLE_MARKER,
     "Made-up value showing the layout only: delete this row before uploading"),
)

WIDE_MEASURES: tuple[str, ...] = tuple(m for m in MEASURES if m not in CONTEXT_MEASURES)


def _csv(rows: list[list[str]]) -> str:
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\r\n")
    writer.writerows(rows)
    return buffer.getvalue()


def long_template() -> str:
    """The header of the long template: one figure per row."""
    return _csv([list(LONG_TEMPLATE)])


def wide_template() -> str:
    """The header of the wide template: one row per country and year, a column per measure."""
    return _csv([[*WIDE_FIXED, *WIDE_MEASURES]])


def filled_example() -> str:
    """The long template filled with real published figures and one labelled made-up row."""
    return _csv([list(LONG_TEMPLATE), *[list(row) for row in EXAMPLE_ROWS]])


def as_excel_csv(text: str) -> bytes:
    """UTF-8 with a byte-order mark, so Excel shows accents and dashes correctly."""
    return ("\ufeff" + text).encode("utf-8")


TEMPLATE_FILES: dict[str, tuple[str, Callable[[], str]]] = {
    "template_long.csv": (N_("Long template (one figure per row)"), long_template),
    "template_wide.csv": (N_("Wide template (one column per measure)"), wide_template),
    "example_filled.csv": (N_("Filled example (real published figures)"), filled_example),
}
