"""History: every batch, the batches awaiting review, what each changed, and rolling back.

Nothing is ever deleted: rolling back a batch marks it withdrawn and brings back the figures
it had replaced; the rollback itself is a new line in the history. A batch an organisation
submitted is seen only by that organisation and by reviewers until a reviewer who is not its
uploader approves it (four eyes); every step is in its audit trail.
"""

import streamlit as st

from indicators import i18n, review, views
from indicators.auth import Contributor, may_roll_back
from indicators.i18n import N_
from indicators.releases import counts_table, measure_words, revisions_table
from indicators.series_views import may_see_batch, reviewer_name, visible_batches
from indicators.store import StoreError
from indicators.upload.pipeline import UPLOAD_KINDS
from indicators.upload.preview import (
    BATCH_STATUSES,
    batch_changes_table,
    events_table,
    history_table,
    review_changes_table,
    review_table,
)
from pages import access
from pages.batch_reads import BatchReads
from pages.shared import data, data_changed, data_table, open_store, page_start

_, lang = page_start(N_("History"), writes=True)
st.caption(_(
    "Every batch of figures in the database, newest first: the published data bundled with "
    "the dashboard, each organisation's upload, and each rollback. Nothing is ever deleted. "
    "An upload is published only when a reviewer who did not send it approves it."
))

store = open_store()
try:
    reads = BatchReads(store)  # the store's batches as of now (read once per data version)
    batches = reads.batches()
except StoreError as exc:
    st.error(_("The history cannot be read now: {reason}").format(reason=exc))
    st.stop()
for key in ("rollback_done", "review_done"):
    done = st.session_state.pop(key, None)
    if done:
        st.success(done)

settings = access.config()
person = access.current(settings) if settings.enabled else None
shown = visible_batches(batches, person)
data_table(history_table(shown, lang), hide_index=True, width="stretch", key="history_table")


# -- awaiting review ------------------------------------------------------------------------------
def sign_in() -> Contributor | None:
    """The sign-in form (the person signed in, if any) and the way to sign out."""
    if not settings.enabled:
        st.text(_("Reviewing and rolling back need a sign-in, and none is configured on this "
                  "server."))
        return None
    signed_in = access.sign_in_form(settings, "history")
    if signed_in is not None:
        access.sign_out(settings, signed_in, "history")
    return signed_in


def review_section(person: Contributor | None) -> None:
    """The batches awaiting review, for their organisation and the reviewers: each one's
    preview with the official figure beside, and Approve / Reject for a reviewer."""
    if person is None:
        st.text(_("Batches awaiting review are shown to the organisation that sent them and "
                  "to the reviewers: sign in to see them."))
        return
    waiting = visible_batches(batches, person)
    waiting = waiting.filter(waiting["status"] == "submitted")
    if waiting.is_empty():
        st.text(_("No batch is awaiting review."))
        return
    data_table(review_table(waiting, lang), hide_index=True, width="stretch", key="review_table")
    ids = waiting.sort("id")["id"].to_list()
    rows = {row["id"]: row for row in waiting.iter_rows(named=True)}
    chosen = st.selectbox(_("Batch to review"), ids, key="review_batch",
                          format_func=lambda i: _("Batch {batch}: {file}").format(
                              batch=i, file=rows[i]["file_name"] or ""))
    row = rows[chosen]
    when = row["created_at"].strftime("%Y-%m-%d %H:%M UTC") if row["created_at"] else ""
    st.text(_("Batch {batch}: {file}, sent by {contributor} for {organisation} on {when}: "
              "{new} new and {changed} changed figures of their series.").format(
        batch=chosen, file=row["file_name"] or _("no file name"),
        contributor=row["contributor"] or _("an unnamed contributor"),
        organisation=row["organisation"], when=when, new=row["rows_new"],
        changed=row["rows_changed"]))
    try:
        preview = review_changes_table(reads.batch_diff(chosen), data().figures, lang)
    except StoreError as exc:
        st.error(_("This batch cannot be read now: {reason}").format(reason=exc))
        return
    data_table(preview, hide_index=True, width="stretch", key="review_diff_table")
    if not person.can_review:
        st.text(_("A reviewer who did not send this batch approves or rejects it; until then "
                  "no reader sees its figures."))
        return
    name = reviewer_name(person)
    approve_col, reject_col = st.columns(2)
    with approve_col:
        note = st.text_input(_("Note (optional)"), key="review_note", max_chars=500)
        if st.button(_("Approve batch {batch}").format(batch=chosen), type="primary",
                     key="approve_button"):
            try:
                review.approve(store, chosen, person, note=note.strip() or None)
            except StoreError as exc:
                st.error(str(exc))
                return
            data_changed()  # every running dashboard shows it within seconds (indicators.live)
            st.session_state["review_done"] = _(
                "Batch {batch} was approved by {name}: {organisation}'s figures are now "
                "published beside the official ones.").format(
                batch=chosen, name=name, organisation=row["organisation"])
            st.rerun()
    with reject_col:
        reason = st.text_input(_("Reason for rejecting"), key="reject_reason", max_chars=500)
        if st.button(_("Reject batch {batch}").format(batch=chosen), key="reject_button"):
            if not reason.strip():
                st.error(_("Say why the batch is rejected: the reason is sent back to "
                           "{organisation}.").format(organisation=row["organisation"]))
                return
            try:
                review.reject(store, chosen, person, reason)
            except StoreError as exc:
                st.error(str(exc))
                return
            data_changed()
            st.session_state["review_done"] = _("Batch {batch} was rejected by {name}.").format(
                batch=chosen, name=name)
            st.rerun()


st.header(_("Awaiting review"))
person = sign_in()
review_section(person)


# -- adopting a correction ------------------------------------------------------------------------
def adopt_section(person: Contributor | None) -> None:
    """A reviewer makes a published contributed figure the value the indicators use in place
    of the official one, with a reason: recorded with both names."""
    if person is None or not person.can_review:
        return
    published = batches.filter((batches["status"] == "committed")
                               & batches["kind"].is_in(list(UPLOAD_KINDS)))
    if published.is_empty():
        return
    st.header(_("Adopt a correction"))
    st.caption(_("A published figure of an organisation becomes the value the indicators use "
                 "in place of the official one only when a reviewer adopts it, with a reason."))
    ids = published["id"].to_list()
    labels = {r["id"]: _("Batch {batch}: {file}").format(
        batch=r["id"], file=f"{r['organisation'] or ''}, {r['file_name'] or ''}")
        for r in published.iter_rows(named=True)}
    chosen = st.selectbox(_("Batch"), ids, format_func=labels.get, key="adopt_batch")
    try:
        figures = reads.batch_diff(chosen)
    except StoreError as exc:
        st.error(_("This batch cannot be read now: {reason}").format(reason=exc))
        return
    figures = figures.filter(figures["change"] != "withdrawn")
    if figures.is_empty():
        st.text(_("Batch {batch} has no figure to adopt.").format(batch=chosen))
        return
    keys = [(r["iso3"], int(r["year"]), r["measure"]) for r in figures.iter_rows(named=True)]
    figure = st.selectbox(_("Figure"), keys, key="adopt_figure", format_func=figure_words)
    reason = st.text_input(_("Reason for adopting it"), key="adopt_reason", max_chars=500)
    if st.button(_("Adopt as the correction"), key="adopt_button"):
        try:
            review.adopt(store, chosen, *figure, person, reason)
        except StoreError as exc:
            st.error(str(exc))
            return
        data_changed()
        st.session_state["review_done"] = _(
            "The figure {figure} of batch {batch} is now the value the indicators use (an "
            "adopted correction).").format(figure=figure_words(figure), batch=chosen)
        st.rerun()


def figure_words(key: tuple[str, int, str]) -> str:
    """A figure to adopt: 'GBR 2019 persons_convicted' (codes, in English); in French or
    Spanish its country's and measure's names ('Royaume-Uni (GBR) 2019 Personnes
    condamnées')."""
    iso3, year, measure = key
    if lang == i18n.ENGLISH:
        return f"{iso3} {year} {measure}"
    return f"{i18n.country_name(iso3, iso3, lang)} ({iso3}) {year} {measure_words(measure, lang)}"


adopt_section(person)
shown = visible_batches(batches, person)

# -- one batch: what it changed, its audit trail, rolling it back ------------------------------
st.header(_("One batch"))
ids = shown["id"].to_list()
if not ids:
    st.stop()
# A published release's batch names its release too: two UNODC releases share a file name.
labels = {
    row["id"]: _("Batch {batch}: {file}").format(
        batch=row["id"], file=row["file_name"] or row["note"] or row["kind"])
    + (f", {views.source_words(row['note'], lang)}" if row["kind"] in ("bundled", "release")
       and row["file_name"] and row["note"] else "")
    + f" ({_(BATCH_STATUSES.get(row['status'], row['status']))})"
    for row in shown.iter_rows(named=True)
}
chosen = st.selectbox(_("Show what a batch changed"), ids, format_func=lambda i: labels[i],
                      key="history_batch")
try:
    batch = reads.batch(chosen)
    changes = reads.batch_diff(chosen)
    events = reads.batch_events(chosen)
except StoreError as exc:
    st.error(_("This batch cannot be read now: {reason}").format(reason=exc))
    st.stop()
assert batch is not None
if not may_see_batch(person, batch["status"], batch["organisation"]):
    st.stop()  # a batch awaiting review, for someone who signed out meanwhile
if batch["kind"] == "rollback":
    st.text(_("Batch {batch} rolled back batch {other}: the figures that batch had replaced "
              "are in effect again.").format(batch=chosen, other=batch["rolls_back"]))
    st.stop()

if batch["kind"] not in UPLOAD_KINDS:
    try:
        report = reads.release_report(chosen)
    except StoreError as exc:
        st.error(_("What this release revised cannot be read now: {reason}").format(
            reason=exc))
        st.stop()
    if report is not None:
        totals = report.counts()
        st.header(_("What this release revised"))
        st.text(_(
            "Compared with the figures its source had just before it, batch {batch} brought "
            "{new} new, {revised} revised and {withdrawn} withdrawn figures; {unchanged} were "
            "unchanged. A range ('<5') is compared from its nearest ends: '<5' → 3 is no "
            "certain change.").format(
            batch=chosen, **{k: i18n.number(totals[k], lang)
                             for k in ("new", "revised", "withdrawn", "unchanged")}))
        data_table(counts_table(report, lang), hide_index=True, width="stretch",
                     key="release_counts_table")
        for relative in (False, True):
            largest = report.largest(10, relative=relative)
            if largest.is_empty():
                continue
            st.markdown(_("**Largest revisions, relative to the old figure**") if relative
                        else _("**Largest revisions, absolute**"))
            data_table(revisions_table(largest, lang), hide_index=True, width="stretch",
                         key=f"release_largest_{'relative' if relative else 'absolute'}")
        st.header(_("Every figure this batch wrote"))

diff = batch_changes_table(changes, lang)
st.text((_("Batch {batch} wrote 1 figure ({unchanged} unchanged figures in the file were not "
           "stored again).") if diff.height == 1 else
         _("Batch {batch} wrote {count} figures ({unchanged} unchanged figures in the file were "
           "not stored again).")).format(batch=chosen, count=diff.height,
                                         unchanged=batch["rows_unchanged"]))
data_table(diff, hide_index=True, width="stretch", key="batch_diff_table")
if events.height:
    st.markdown(_("**Audit trail: every step of this batch, with who and when**"))
    data_table(events_table(events, lang), hide_index=True, width="stretch",
                 key="batch_events_table")

if batch["status"] == "submitted":
    st.text(_("Batch {batch} is awaiting review; its figures are not shown to readers yet.")
            .format(batch=chosen))
    st.stop()
if batch["status"] == "rejected":
    st.text(_("Batch {batch} was rejected by {reviewer}; its figures were never shown.")
            .format(batch=chosen, reviewer=batch["reviewed_by"] or _("a reviewer")))
    st.stop()
if batch["status"] != "committed":
    st.text(_("Batch {batch} has been rolled back; its figures are no longer in effect.")
            .format(batch=chosen))
    st.stop()
if batch["kind"] not in UPLOAD_KINDS:
    st.text(_("Published data bundled with the dashboard cannot be rolled back from this "
              "page."))
    st.stop()

st.header(_("Roll back"))
if not settings.enabled:
    st.text(_("Rolling back needs a contributor sign-in, and none is configured on this "
              "server."))
    st.stop()
if person is None:
    st.text(_("Sign in as a contributor to roll back a batch."))
    st.stop()
if not may_roll_back(person, batch["organisation"]):
    st.text(_("Batch {batch} was sent by another organisation; only they, an administrator "
              "(or whoever runs the server, with `indicators rollback`) can roll it back.")
            .format(batch=chosen))
    st.stop()

confirm = st.checkbox(
    _("I want to withdraw the {count} figures of batch {batch}; the values they replaced come "
      "back.").format(count=diff.height, batch=chosen), key="rollback_confirm")
if st.button(_("Roll back batch {batch}").format(batch=chosen), type="primary",
             disabled=not confirm,
             key="rollback_button"):
    try:
        record = review.roll_back(store, chosen, person)
    except StoreError as exc:
        st.error(str(exc))
        st.stop()
    data_changed()
    st.session_state["rollback_done"] = _(
        "Batch {batch} was rolled back (recorded as batch {record}). The figures it had "
        "replaced are in effect again.").format(batch=chosen, record=record)
    st.rerun()
