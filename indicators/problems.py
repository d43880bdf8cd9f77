"""Problems found in a file, in plain words, with the row and column the user sees.

Every importer (bundled sources, `indicators import`, the Upload page) reports through these
types, so a bad file reads the same everywhere.
"""

from __future__ import annotations

from dataclasses import asdict, dataclass, field

import polars as pl

ERROR = "error"
WARNING = "warning"


@dataclass(frozen=True)
class Problem:
    """One thing wrong (error) or worth a second look (warning) in a file."""

    message: str
    fix: str
    file: str = ""
    row: int | None = None  # as the user sees it in a spreadsheet: the header is row 1
    column: str | None = None
    value: str | None = None
    severity: str = ERROR

    def as_text(self) -> str:
        where = [self.file] if self.file else []
        if self.row is not None:
            where.append(f"row {self.row}")
        if self.column:
            where.append(f"column '{self.column}'")
        if self.value is not None:
            where.append(f"value '{_clip(self.value)}'")
        prefix = ", ".join(where)
        return f"{prefix}: {self.message} {self.fix}".strip(": ")


@dataclass
class ImportRejected(Exception):
    """The file was refused; nothing was written. Carries every problem found at once."""

    problems: list[Problem] = field(default_factory=list)

    def __str__(self) -> str:
        errors = [p for p in self.problems if p.severity == ERROR]
        if not errors:
            return "The file was refused."
        first = errors[0].as_text()
        more = len(errors) - 1
        return first if not more else f"{first} (and {more} more problem{'s' * (more > 1)})"


def problems_frame(problems: list[Problem]) -> pl.DataFrame:
    """Problems as a table for a page or a CSV, errors first, then by row."""
    schema = {
        "severity": pl.String,
        "row": pl.Int64,
        "column": pl.String,
        "value": pl.String,
        "message": pl.String,
        "fix": pl.String,
        "file": pl.String,
    }
    if not problems:
        return pl.DataFrame(schema=schema)
    rows = [asdict(p) for p in problems]
    frame = pl.DataFrame(rows, schema_overrides=schema).select(list(schema))
    return frame.sort(
        [pl.col("severity") != ERROR, pl.col("row").fill_null(0)], maintain_order=True
    )


def _clip(text: str, limit: int = 60) -> str:
    text = str(text)
    return text if len(text) <= limit else text[: limit - 1] + "…"
