"""Frames into HTTP bodies: JSON (with paging, the data version and the citation), CSV (the
citation as a first comment line) and Parquet (the citation in the file's metadata)."""

from __future__ import annotations

import io
from dataclasses import dataclass, field

import orjson
import polars as pl

from indicators import report
from indicators.api.citation import CITATION, csv_line
from indicators.api.queries import Page
from indicators.export import safe_csv_text

JSON = "application/json"
CSV = "text/csv; charset=utf-8"
PARQUET = "application/vnd.apache.parquet"
MEDIA = {"json": JSON, "csv": CSV, "parquet": PARQUET}


@dataclass(frozen=True)
class Body:
    content: bytes
    media_type: str
    headers: dict[str, str] = field(default_factory=dict)


def _records(frame: pl.DataFrame) -> list[dict]:
    return frame.to_dicts()


def _dumps(value: object) -> bytes:
    return orjson.dumps(value, option=orjson.OPT_SERIALIZE_NUMPY | orjson.OPT_NON_STR_KEYS,
                        default=str)


def envelope(data: object, version: str, *, paging: dict | None = None,
             extra: dict | None = None) -> bytes:
    document: dict[str, object] = {"data_version": version, "citation": CITATION}
    if paging is not None:
        document["paging"] = paging
    document.update(extra or {})
    document["data"] = data
    return _dumps(document)


def paging_of(page: Page, next_url: str | None) -> dict:
    return {"offset": page.offset, "limit": page.limit, "total": page.total,
            "returned": page.rows.height, "next": next_url}


def csv_bytes(frame: pl.DataFrame) -> bytes:
    return (csv_line() + safe_csv_text(frame)).encode("utf-8")


def parquet_bytes(frame: pl.DataFrame) -> bytes:
    buffer = io.BytesIO()
    frame.write_parquet(buffer, metadata={"citation": CITATION})
    return buffer.getvalue()


def table(frame: pl.DataFrame, fmt: str, version: str, *, page: Page | None = None,
          next_url: str | None = None, extra: dict | None = None) -> Body:
    """A frame (or one page of one) in the asked format."""
    headers: dict[str, str] = {}
    if page is not None:
        headers["X-Total-Count"] = str(page.total)
        if next_url:
            headers["Link"] = f'<{next_url}>; rel="next"'
    if fmt == "csv":
        return Body(csv_bytes(frame), CSV, headers)
    if fmt == "parquet":
        return Body(parquet_bytes(frame), PARQUET, headers)
    paging = paging_of(page, next_url) if page is not None else None
    return Body(envelope(_records(frame), version, paging=paging, extra=extra), JSON, headers)


def indicator_rows(page: Page, fmt: str, version: str, next_url: str | None,
                   extra: dict | None = None) -> Body:
    """Indicator rows as ``indicators report`` writes them: the same records in JSON
    (``report.to_records``) and the same CSV (``report.to_csv``)."""
    if fmt == "json":
        headers = {"X-Total-Count": str(page.total)}
        if next_url:
            headers["Link"] = f'<{next_url}>; rel="next"'
        return Body(envelope(report.to_records(page.rows), version,
                             paging=paging_of(page, next_url), extra=extra), JSON, headers)
    if fmt == "csv":
        rows = page.rows
        text = _plain_csv(rows.drop("inputs")) if rows.schema["inputs"] == pl.List(pl.Null) \
            else report.to_csv(rows)
        headers = {"X-Total-Count": str(page.total)}
        if next_url:
            headers["Link"] = f'<{next_url}>; rel="next"'
        return Body((csv_line() + text).encode("utf-8"), CSV, headers)
    return table(page.rows, fmt, version, page=page, next_url=next_url)


def _plain_csv(rows: pl.DataFrame) -> str:
    words = [report.texts(row) for row in rows.iter_rows(named=True)]
    return safe_csv_text(rows.with_columns(
        pl.Series("value_text", [w["value_text"] for w in words], dtype=pl.String),
        pl.Series("status_text", [w["status_text"] for w in words], dtype=pl.String)))


def error(status: int, sentence: str) -> bytes:
    return _dumps({"status": status, "error": sentence})
