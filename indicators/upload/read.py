"""Bytes → a table of text cells, with the spreadsheet row number of each row."""

from __future__ import annotations

import io

import polars as pl

from indicators.problems import ImportRejected, Problem

ROW_COLUMN = "_row"


def read_table(data: bytes, file_name: str) -> pl.DataFrame:
    """Every cell as text, header names as written, plus `_row` (the header is row 1)."""
    if not data.strip():
        raise ImportRejected([Problem("The file is empty.",
                                      "Upload the filled-in template (CSV or .xlsx).", file_name)])
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError:
        raise ImportRejected([Problem(
            "The file is not UTF-8 text.", "Save it from Excel as 'CSV UTF-8'.", file_name
        )]) from None
    try:
        table = pl.read_csv(io.StringIO(text), infer_schema=False, truncate_ragged_lines=False)
    except pl.exceptions.PolarsError as exc:
        raise ImportRejected([Problem(
            f"The file could not be read as CSV ({str(exc).splitlines()[0]}).",
            "Save it from Excel as 'CSV UTF-8' with one header row.", file_name
        )]) from None
    table = table.with_row_index(ROW_COLUMN, offset=2)
    return table.with_columns(pl.col(ROW_COLUMN).cast(pl.Int64))
