"""Publishing a contributed batch the way the product does: submitted by one person, approved by
another (issue 16). Tests that need an organisation's figures to be published use these."""

from __future__ import annotations

import polars as pl

from indicators.store import BatchMeta, Source, Store

REVIEWER = "Second Reviewer"  # never the contributor of a test's batch


def approve(store: Store, batch_id: int, reviewer: str = REVIEWER) -> int:
    """Approve a submitted batch as a reviewer who did not submit it; return its id."""
    store.approve_batch(batch_id, reviewer=reviewer)
    return batch_id


def publish(store: Store, meta: BatchMeta, figures: pl.DataFrame, sources: list[Source],
            *, reviewer: str = REVIEWER, **options: object) -> int:
    """Submit a contributed batch and have a second person approve it; its id."""
    return approve(store, store.commit_batch(meta, figures, sources, **options), reviewer)
