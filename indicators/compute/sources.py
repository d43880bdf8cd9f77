"""The citations a row rests on: carried as bits through the sums, and written out as the
row's `sources` text once per distinct set.
"""

from __future__ import annotations

import polars as pl

from indicators.compute.frame import _BITS, _POWERS, _SUMMED_BIT, _Layout


def _mask_columns(layout: _Layout) -> list[str]:
    return [f"_m{j}" for j in range(max(1, -(-layout.citations.len() // _BITS)))]


def _masks(layout: _Layout) -> list[pl.Expr]:
    """The row's citations as bits: `_m0` holds ids 0–62, `_m1` 63–125, …; the top bit of
    `_m0` is left for `_SUMMED`."""
    names = _mask_columns(layout)
    if len(names) == 1:
        # ids 0–62 only (the usual case): each id is its bit's place, so no id needs sorting
        # into a column (half the work)
        def only(cid: str) -> pl.Expr:
            return pl.lit(_POWERS).gather(pl.col(cid)).fill_null(0)

        return [pl.when(pl.col("present")).then(only("cid1") | only("cid2"))
                .otherwise(pl.lit(0, dtype=pl.UInt64)).alias(names[0])]

    def bit(cid: str, j: int) -> pl.Expr:
        inside = pl.col("present") & ((pl.col(cid) // _BITS) == j)
        return pl.when(inside).then(pl.lit(_POWERS).gather(pl.col(cid) % _BITS)).otherwise(
            pl.lit(0, dtype=pl.UInt64))

    return [(bit("cid1", j) | bit("cid2", j)).alias(name)
            for j, name in enumerate(names)]


# up to this many distinct sets of citations, a row's text is found by comparisons
_FEW_MASKS = 16


def _with_sources(rows: pl.DataFrame, layout: _Layout) -> pl.DataFrame:
    """The `sources` text of each row, from its citation bits: worked out once per distinct
    set of citations (a handful), then looked up (one column of bits) or joined on."""
    keys = _mask_columns(layout)
    distinct = rows[keys[0]].unique().to_frame() if len(keys) == 1 else rows.select(keys).unique()
    citations = layout.citations.to_list()
    texts = []
    for row in distinct.iter_rows():
        masks = [mask or 0 for mask in row]  # no bits: a row without figures
        names = [citations[j * _BITS + b] for j, mask in enumerate(masks)
                 for b in range(_BITS) if mask >> b & 1]
        texts.append(_sources_text(names, summed=bool(masks[0] & _SUMMED_BIT)))
    if len(keys) == 1:
        return rows.with_columns(_looked_up(pl.col(keys[0]), distinct[keys[0]].to_list(), texts)
                                 .alias("sources")).drop(keys)
    table = distinct.with_columns(pl.Series("sources", texts, dtype=pl.String))
    return rows.join(table, on=keys, how="left", maintain_order="left").drop(keys)


def _looked_up(mask: pl.Expr, masks: list[int | None], texts: list[str | None]) -> pl.Expr:
    """Each row's text, by its mask: its set's place found by a few comparisons where there
    are few distinct sets (the usual case, and cheaper than a lookup), else by a lookup; the
    text then taken from that place."""
    if len(masks) > _FEW_MASKS:
        return mask.replace_strict(pl.Series(masks, dtype=pl.UInt64),
                                   pl.Series(texts, dtype=pl.String), default=None)
    places = [(value, i) for i, value in enumerate(masks) if value is not None]
    if not places:
        return pl.lit(None, dtype=pl.String)
    place = pl.when(mask == pl.lit(places[0][0], dtype=pl.UInt64)).then(
        pl.lit(places[0][1], dtype=pl.UInt32))
    for value, i in places[1:]:
        place = place.when(mask == pl.lit(value, dtype=pl.UInt64)).then(
            pl.lit(i, dtype=pl.UInt32))
    return pl.lit(pl.Series(texts, dtype=pl.String)).gather(place)


def _sources_text(citations: list[str], *, summed: bool) -> str | None:
    """What a reader sees as the sources of a row whose inputs cite `citations` (sorted,
    distinct): each citation once, sorted; a citation that itself lists several ("a; b") is
    split. A region's or the world's inputs cite the sorted list of its countries' citations
    as one text."""
    names = ["; ".join(citations)] if summed else [c for c in citations if c]
    joined = "; ".join(name for name in names if name)
    return "; ".join(sorted(set(joined.split("; ")))) if joined else None
