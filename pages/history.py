"""History: every import and rollback, what each changed, and rolling a batch back.

Nothing is ever deleted: rolling back a batch marks it withdrawn and brings back the figures
it had replaced; the rollback itself is a new line in the history.
"""

import streamlit as st

from indicators.bundled import release_report
from indicators.releases import counts_table, revisions_table
from indicators.store import StoreError
from indicators.upload.pipeline import UPLOAD_KINDS
from indicators.upload.preview import batch_changes_table, history_table
from pages import access
from pages.shared import data_changed, database_banner, open_store

st.title("History")
database_banner()
st.caption(
    "Every batch of figures in the database, newest first: the published data bundled with "
    "the dashboard, each upload, and each rollback. Nothing is ever deleted."
)

store = open_store()
try:
    batches = store.batches()
except StoreError as exc:
    st.error(f"The history cannot be read now: {exc}")
    st.stop()
done = st.session_state.pop("rollback_done", None)
if done:
    st.success(f"Batch {done['batch']} was rolled back (recorded as batch {done['record']}). "
               "The figures it had replaced are in effect again.")

st.dataframe(history_table(batches), hide_index=True, width="stretch", key="history_table")

ids = batches["id"].to_list()
if not ids:
    st.stop()
labels = {
    row["id"]: f"Batch {row['id']}: {row['file_name'] or row['note'] or row['kind']}"
    for row in batches.iter_rows(named=True)
}
chosen = st.selectbox("Show what a batch changed", ids, format_func=lambda i: labels[i],
                      key="history_batch")
try:
    batch = store.batch(chosen)
    changes = store.batch_diff(chosen)
except StoreError as exc:
    st.error(f"This batch cannot be read now: {exc}")
    st.stop()
assert batch is not None
if batch["kind"] == "rollback":
    st.text(f"Batch {chosen} rolled back batch {batch['rolls_back']}: the figures that batch "
            "had replaced are in effect again.")
    st.stop()

if batch["kind"] not in UPLOAD_KINDS:
    try:
        report = release_report(store, chosen)
    except StoreError as exc:
        st.error(f"What this release revised cannot be read now: {exc}")
        st.stop()
    if report is not None:
        totals = report.counts()
        st.header("What this release revised")
        st.text(
            f"Compared with the figures its source had just before it, batch {chosen} brought "
            f"{totals['new']:,} new, {totals['revised']:,} revised and {totals['withdrawn']:,} "
            f"withdrawn figures; {totals['unchanged']:,} were unchanged. A range ('<5') is "
            "compared from its nearest ends: '<5' → 3 is no certain change."
        )
        st.dataframe(counts_table(report), hide_index=True, width="stretch",
                     key="release_counts_table")
        for relative in (False, True):
            largest = report.largest(10, relative=relative)
            if largest.is_empty():
                continue
            st.markdown("**Largest revisions, "
                        + ("relative to the old figure**" if relative else "absolute**"))
            st.dataframe(revisions_table(largest), hide_index=True, width="stretch",
                         key=f"release_largest_{'relative' if relative else 'absolute'}")
        st.header("Every figure this batch wrote")

diff = batch_changes_table(changes)
st.text(f"Batch {chosen} wrote {diff.height} figure{'s' * (diff.height != 1)} "
        f"({batch['rows_unchanged']} unchanged figures in the file were not stored again).")
st.dataframe(diff, hide_index=True, width="stretch", key="batch_diff_table")

if batch["status"] != "committed":
    st.text(f"Batch {chosen} has been rolled back; its figures are no longer in effect.")
    st.stop()
if batch["kind"] not in UPLOAD_KINDS:
    st.text("Published data bundled with the dashboard cannot be rolled back from this page.")
    st.stop()

st.header("Roll back")
settings = access.config()
if not settings.enabled:
    st.text("Rolling back needs a contributor sign-in, and none is configured on this server.")
    st.stop()
contributor = access.sign_in_form(settings, "history")
if contributor is None:
    st.text("Sign in as a contributor to roll back a batch.")
    st.stop()
access.sign_out(settings, contributor, "history")
if batch["organisation"] != contributor.organisation:
    st.text(f"Batch {chosen} was sent by another organisation; only they (or whoever runs the "
            "server, with `indicators rollback`) can roll it back.")
    st.stop()

confirm = st.checkbox(
    f"I want to withdraw the {diff.height} figures of batch {chosen}; the values they "
    "replaced come back.", key="rollback_confirm")
if st.button(f"Roll back batch {chosen}", type="primary", disabled=not confirm,
             key="rollback_button"):
    try:
        record = store.rollback(chosen, contributor=contributor.name,
                                organisation=contributor.organisation)
    except StoreError as exc:
        st.error(str(exc))
        st.stop()
    data_changed()
    st.session_state["rollback_done"] = {"batch": chosen, "record": record}
    st.rerun()
