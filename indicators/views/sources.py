"""The sources behind the figures: what each covers, which a chart used, and the releases the
data is as of.
"""

from __future__ import annotations

from collections.abc import Iterable

import polars as pl

from indicators.catalogue import family_of
from indicators.measures import measures_summary


def source_coverage(observations: pl.DataFrame, sources: pl.DataFrame) -> pl.DataFrame:
    """Each source: publisher, release, licence and what it covers in the store."""
    stats = observations.group_by("source_id").agg(
        pl.len().alias("figures"),
        pl.col("iso3").n_unique().alias("countries"),
        pl.col("year").min().alias("first_year"),
        pl.col("year").max().alias("last_year"),
        pl.col("measure").unique().sort().alias("measures"),
    )
    joined = sources.join(stats, left_on="id", right_on="source_id", how="left")
    records = []
    for row in joined.iter_rows(named=True):
        summary = measures_summary(row["measures"] or [])
        years = (
            f"{row['first_year']}–{row['last_year']}"
            if row["first_year"] is not None and row["first_year"] != row["last_year"]
            else str(row["first_year"] or "—")
        )
        records.append({
            "Publisher": row["publisher"],
            "Title": row["title"],
            "Release": row["edition"] or "—",
            "Licence": row["licence"] or "—",
            "Years": years,
            "Countries": row["countries"] or 0,
            "Figures": row["figures"] or 0,
            "Measures": summary or "—",
            "Link": row["url"] or "",
            "Retrieved": row["retrieved"] or "—",
        })
    schema = {
        "Publisher": pl.String, "Title": pl.String, "Release": pl.String, "Licence": pl.String,
        "Years": pl.String, "Countries": pl.Int64, "Figures": pl.Int64, "Measures": pl.String,
        "Link": pl.String, "Retrieved": pl.String,
    }
    return pl.DataFrame(records, schema=schema)


def sources_used(source_texts: Iterable[str | None], sources: pl.DataFrame) -> pl.DataFrame:
    """The rows of the sources table behind a chart, from its 'source' cells.

    A cell may join several citations with '; '; each is matched to a source by citation or
    id. Citations that match nothing (an upload's free text) come back as rows with only a
    citation, so the footer still names them.
    """
    wanted: list[str] = []
    for text in source_texts:
        for part in (text or "").split("; "):
            part = part.strip()
            if part and part != "—" and part not in wanted:
                wanted.append(part)
    by_citation = {r["citation"]: r for r in sources.iter_rows(named=True) if r["citation"]}
    by_id = {r["id"]: r for r in sources.iter_rows(named=True)}
    rows: list[dict] = []
    seen: set[str] = set()
    for part in wanted:
        row = by_citation.get(part) or by_id.get(part)
        key = row["id"] if row else part
        if key in seen:
            continue
        seen.add(key)
        rows.append(row if row else {"id": part, "publisher": None, "title": None,
                                     "edition": None, "citation": part})
    schema = {"id": pl.String, "publisher": pl.String, "title": pl.String,
              "edition": pl.String, "citation": pl.String}
    return pl.DataFrame(
        [{k: r.get(k) for k in schema} for r in rows], schema=schema
    ).sort("id")


def citations(sources: pl.DataFrame) -> list[str]:
    """Each source's citation, once; the releases of one published family cited together
    ('UNODC, …, data portal (release 30 May 2023; release 14 April 2025)'): a chart's figures
    can come from two releases, as a figure the newer one left unchanged keeps the older."""
    texts: list[str] = []
    merged: dict[str, int] = {}
    for row in sources.iter_rows(named=True):
        text = row.get("citation") or row.get("title") or row.get("id")
        if not text or text in texts:
            continue
        family = family_of(row.get("id") or "")
        head, _, inner = text.rpartition(" (")
        if family is None or not head or not inner.endswith(")"):
            texts.append(text)
            continue
        if family.key in merged:
            at = merged[family.key]
            texts[at] = f"{texts[at][:-1]}; {inner}"
        else:
            merged[family.key] = len(texts)
            texts.append(text)
    return texts


def data_as_of(sources: pl.DataFrame) -> str:
    """'UNODC data portal release of 14 April 2025 …; Walk Free GSI 2023 …' from the sources.

    Of several releases of one published family, the newest (the last by release name) is
    the one the data are as of: every current figure of the family is in it, the ones it left
    unchanged included."""
    newest: dict[str, str] = {}
    for row in sources.iter_rows(named=True):
        family = family_of(row.get("id") or "")
        if family is not None:
            newest[family.key] = max(newest.get(family.key, ""), row["id"])
    parts = []
    for row in sources.iter_rows(named=True):
        family = family_of(row.get("id") or "")
        if family is not None and row["id"] != newest[family.key]:
            continue
        if row.get("publisher") and row.get("edition"):
            parts.append(f"{row['publisher']} {row['edition']}")
        elif row.get("edition"):
            parts.append(row["edition"])
    return "; ".join(parts)
