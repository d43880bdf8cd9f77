"""An incoming file's figures against a series' current ones: each marked new, changed or
unchanged, with the official figure beside it (``Store.diff``), and whether a diff taken again
at commit says what the preview said (``Store.commit_batch``)."""

from __future__ import annotations

import polars as pl

from indicators.columns import LONG_COLUMNS
from indicators.series import OFFICIAL
from indicators.store.sql import Session

# An incoming figure (i) equal to a current one (c): value, status and bounds.
SAME_FIGURE = """i.value IS NOT DISTINCT FROM c.value
        AND i.value_status = c.value_status
        AND i.lower IS NOT DISTINCT FROM c.lower
        AND i.upper IS NOT DISTINCT FROM c.upper"""


def diff_incoming(session: Session, incoming: pl.DataFrame, series_kind: str, series: str
                  ) -> pl.DataFrame:
    """``incoming`` (long columns) with each figure's current value in the series
    (``series_kind``, ``series``) beside it (old_value, old_value_status, old_lower, old_upper,
    old_source_id), ``change`` (new, changed, unchanged) and the official figure (official_value,
    official_value_status, official_source_id), in the incoming order."""
    frame = incoming.select(list(LONG_COLUMNS)).with_row_index("row_order").with_columns(
        pl.col("row_order").cast(pl.Int64))
    session.put("incoming_diff", frame)
    try:
        result = session.frame(
            f"""SELECT i.*, c.value AS old_value, c.value_status AS old_value_status,
                      c.lower AS old_lower, c.upper AS old_upper,
                      c.source_id AS old_source_id,
                      CASE
                        WHEN c.iso3 IS NULL THEN 'new'
                        WHEN {SAME_FIGURE} THEN 'unchanged'
                        ELSE 'changed'
                      END AS change,
                      f.value AS official_value, f.value_status AS official_value_status,
                      f.source_id AS official_source_id
               FROM incoming_diff i
               LEFT JOIN current_observations c
                 ON c.iso3 = i.iso3 AND c.year = i.year AND c.measure = i.measure
                    AND c.series_kind = ? AND c.series = ?
               LEFT JOIN current_observations f
                 ON f.iso3 = i.iso3 AND f.year = i.year AND f.measure = i.measure
                    AND f.series_kind = '{OFFICIAL}'
               ORDER BY i.row_order""", [series_kind, series])
    finally:
        session.drop("incoming_diff")
    return result.drop("row_order")


DIFF_KEY = ("iso3", "year", "measure", "change", "old_value", "old_value_status", "old_lower",
             "old_upper", "official_value", "official_value_status")


def same_diff(fresh: pl.DataFrame, shown: pl.DataFrame) -> bool:
    """Whether a fresh diff says what the preview said (same figures, same old values)."""
    columns = [c for c in DIFF_KEY if c in shown.columns]
    if fresh.height != shown.height:
        return False
    order = ["iso3", "year", "measure"]
    left = fresh.select(columns).sort(order)
    right = shown.select(columns).cast(dict(left.schema)).sort(order)
    return left.equals(right)
