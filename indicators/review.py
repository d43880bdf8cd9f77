"""Review decisions taken by a signed-in person: the role is checked here, then the store
records the decision (and refuses a person's own batch).

The pages call these with the `auth.Contributor` who clicked; `indicators review` runs on the
server and names the reviewer itself (``--reviewer``), so it calls the store directly.
"""

from __future__ import annotations

from indicators import auth
from indicators.store import Store, StoreError


class NotAllowed(StoreError):
    """The signed-in person's role does not allow this; nothing was changed."""


def reviewer_name(person: auth.Contributor | None) -> str:
    """The name a review decision is recorded under; refuses anyone who may not review."""
    if person is None or not auth.may_review(person):
        raise NotAllowed(auth.REVIEW_REFUSED)
    return person.name or person.organisation or person.role


def approve(store: Store, batch_id: int, person: auth.Contributor | None,
            note: str | None = None) -> None:
    """Publish a submitted batch, as ``person`` (a reviewer or an administrator)."""
    store.approve_batch(batch_id, reviewer=reviewer_name(person), note=note)


def reject(store: Store, batch_id: int, person: auth.Contributor | None, reason: str) -> None:
    """Refuse a submitted batch with a reason, as ``person``."""
    store.reject_batch(batch_id, reviewer=reviewer_name(person), reason=reason)


def adopt(store: Store, batch_id: int, iso3: str, year: int, measure: str,
          person: auth.Contributor | None, reason: str) -> None:
    """Make a published contributed figure the one the indicators use, as ``person``."""
    store.adopt_correction(batch_id, iso3, year, measure, reviewer=reviewer_name(person),
                           reason=reason)


def roll_back(store: Store, batch_id: int, person: auth.Contributor | None) -> int:
    """Withdraw a published batch, as ``person``: an administrator any batch, anyone else
    their own organisation's. Returns the rollback batch's id."""
    organisation = (store.batch(batch_id) or {}).get("organisation")
    if not auth.may_roll_back(person, str(organisation) if organisation else None):
        raise NotAllowed("Only the organisation that sent a batch, or an administrator, may "
                         "roll it back.")
    assert person is not None  # may_roll_back said so
    return store.rollback(batch_id, contributor=person.name,
                          organisation=person.organisation or None)
