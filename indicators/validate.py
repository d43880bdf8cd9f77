"""Run the Pandera model over a long frame and turn its failure cases into plain words.

The long frame may carry two extra columns that say where each figure came from in the user's
file: `_row` (the spreadsheet row number, header = 1) and `_column` (the column the value came
from). They are used for messages only and are not validated.
"""

from __future__ import annotations

import copy
import json
from functools import lru_cache

import pandera.polars as pa
import polars as pl

from indicators.i18n import N_
from indicators.measures import MEASURES
from indicators.problems import ERROR, ImportRejected, Problem, said
from indicators.schema import LongObservations, latest_allowed_year, to_long_frame
from indicators.settings import EARLIEST_YEAR

LOCATION_COLUMNS = ("_row", "_column")

# The column a user sees for each long column, when the file does not say otherwise.
_USER_COLUMN = {"iso3": "country", "measure": "measure", "value": "value", "year": "year"}


@lru_cache(maxsize=4)
def _schema(model: type[LongObservations], keys_resolved: bool) -> pa.DataFrameSchema:
    schema = model.to_schema()
    if keys_resolved:
        schema = copy.deepcopy(schema)
        schema.unique = None
    return schema


def validate_long(frame: pl.DataFrame, file_name: str,
                  model: type[LongObservations] = LongObservations, *,
                  keys_resolved: bool = False) -> pl.DataFrame:
    """Validate a long frame; return it in canonical form or raise ImportRejected with every
    problem at once. Publishers' releases pass `PublishedObservations` (breakdowns, years
    from 1960).

    `keys_resolved` says the caller has already found and reported every repeated country,
    year and measure (the upload pipeline's `resolve_duplicates`); Pandera's own uniqueness
    pass, the costliest of its checks on a large file, is then skipped. The store's primary
    key still refuses a repeated figure.
    """
    long = to_long_frame(frame)
    try:
        _schema(model, keys_resolved).validate(long, lazy=True)
    except pa.errors.SchemaErrors as exc:
        problems = failure_cases_to_problems(exc.failure_cases, frame, file_name)
        raise ImportRejected(problems) from None
    return long


def failure_cases_to_problems(
    failure_cases: pl.DataFrame, frame: pl.DataFrame, file_name: str
) -> list[Problem]:
    """Pandera's failure cases (row index, column, check, value) as problems a person can fix."""
    problems: list[Problem] = []
    seen: set[tuple[int | None, str]] = set()
    # Only the failing rows are turned into Python dicts: a large file may fail on a few.
    failing = (failure_cases["index"].drop_nulls().cast(pl.Int64).unique().to_list()
               if "index" in failure_cases.columns else [])
    rows = {
        record.pop("_index"): record
        for record in frame.with_row_index("_index")
        .filter(pl.col("_index").cast(pl.Int64).is_in(failing)).iter_rows(named=True)
    }
    for case in failure_cases.iter_rows(named=True):
        index = case.get("index")
        record = rows.get(index, {}) if index is not None else {}
        check = str(case.get("check") or "")
        column = str(case.get("column") or "")
        key = (index, check)
        if key in seen:
            continue
        seen.add(key)
        problems.append(_explain(check, column, case.get("failure_case"), record, file_name))
    return problems


def _where(record: dict, column: str) -> tuple[int | None, str]:
    row = record.get("_row")
    user_column = record.get("_column") if column == "value" else None
    return (int(row) if row is not None else None,
            str(user_column or _USER_COLUMN.get(column, column)))


def _explain(check: str, column: str, failure: object, record: dict, file_name: str) -> Problem:
    row, user_column = _where(record, column)
    value = None if failure is None else str(failure)
    if check == "multiple_fields_uniqueness":
        row, _ = _where(record, "iso3")
        try:
            key = json.loads(str(failure))
        except (TypeError, ValueError):
            key = {}
        figure = f"{key.get('iso3', '?')} {key.get('year', '?')} {key.get('measure', '?')}"
        return Problem(
            said(N_("{figure} appears more than once."), figure=figure),
            N_("Keep one row per country, year and measure (delete or merge the repeats)."),
            file_name, row, "country, year, measure", figure,
        )
    if column == "iso3":
        return Problem(N_("This is not a known country code."),
                       N_("Use the country's name, or its ISO2 or ISO3 code."),
                       file_name, row, user_column, value)
    if column == "year" and "greater_than" in check:
        return Problem(said(N_("The year is before {earliest}."), earliest=EARLIEST_YEAR),
                       said(N_("Give a year from {earliest} to {latest}."),
                            earliest=EARLIEST_YEAR, latest=latest_allowed_year()),
                       file_name, row, user_column, value)
    if column == "year":
        return Problem(N_("The year is in the future."),
                       said(N_("Give a year up to {latest}, the year the figure is for."),
                            latest=latest_allowed_year()),
                       file_name, row, user_column, value)
    if column == "measure" or check == "known_measure":
        return Problem(N_("This is not a measure the dashboard knows."),
                       said(N_("Use one of: {measures}."), measures=", ".join(sorted(MEASURES))),
                       file_name, row, user_column, value)
    if column in ("value", "lower", "upper") and "greater_than" in check:
        return Problem(N_("A count cannot be negative."),
                       N_("Give the count as zero or more, or leave the cell empty if unknown."),
                       file_name, row, str(record.get("_column") or user_column),
                       _cell(record) if record else value)
    if check == "flag_is_zero_or_one":
        return Problem("data_sharing_active must be 0 (no) or 1 (yes).",
                       "Write 1 if the country shared data across borders that year, else 0.",
                       file_name, row, str(record.get("_column") or "value"),
                       _cell(record))
    if check == "value_matches_status":
        return Problem(N_("The figure has no usable value."),
                       N_("Write the number, '<5' for a suppressed count, or leave the row out."),
                       file_name, row, str(record.get("_column") or "value"), _cell(record))
    if column == "source_id":
        return Problem(N_("The figure has no source."),
                       N_("Say where the figure comes from (publisher and report) in 'source'."),
                       file_name, row, "source", value)
    return Problem(f"The value failed the check '{check}'.",
                   "Correct the value or ask the maintainers.",
                   file_name, row, user_column, value, ERROR)


def _cell(record: dict) -> str | None:
    raw = record.get("_raw")
    if raw is not None:
        return str(raw)
    value = record.get("value")
    return None if value is None else f"{value:g}"
