"""Upload figures: sign in, send a CSV or .xlsx, read every problem, preview, then import.

Everything the contributor sent is shown as plain text (st.dataframe / st.text / st.code);
nothing they wrote is ever rendered as Markdown or HTML.
"""

import math
from dataclasses import replace

import streamlit as st

from indicators import auth
from indicators.export import safe_csv_bytes
from indicators.problems import ERROR, ImportRejected
from indicators.settings import read_only_mode, upload_limit_bytes
from indicators.store import PreviewOutdated, StoreError
from indicators.templates import TEMPLATE_FILES, as_excel_csv
from indicators.upload.pipeline import commit, prepare
from indicators.upload.preview import (
    changes_table,
    problem_lines,
    problems_table,
    summary_table,
)
from pages import access
from pages.shared import data_changed, database_banner, open_store, shown_version

WIDE = {"width": "stretch", "hide_index": True}
PROBLEM_COLUMNS = {
    "Kind": st.column_config.TextColumn(width="small"),
    "Row": st.column_config.NumberColumn(width="small", format="%d"),
    "Column": st.column_config.TextColumn(width="small"),
    "Value": st.column_config.TextColumn(width="small"),
    "Problem": st.column_config.TextColumn(width="large"),
    "What to do": st.column_config.TextColumn(width="large"),
}

st.title("Upload figures")
database_banner()
st.caption(
    "For organisations that collect yearly figures on trafficking. Browsing the dashboard "
    "needs no sign-in; sending figures does. Nothing is sent until you have seen the "
    "preview and pressed Submit. What you submit is your organisation's own series: it never "
    "replaces an official figure, and readers see it only after a reviewer who is not you "
    "has approved it on the History page."
)

with st.expander("Templates and how to fill them in", expanded=False):
    st.markdown(
        "- **One figure per row** (long template): `country, year, measure, value, source, "
        "note`.\n"
        "- **One row per country and year** (wide template): `country, year, source, note` "
        "and one column per measure.\n"
        "- Country: English name, or ISO code (FRA, FR). Year: four digits. Value: digits "
        "only; `<5` for a count from 1 to 4; leave it empty when there is no figure.\n"
        "- Source: who published the figure, and where. Every figure needs one.\n"
        "- Save as CSV (any separator, UTF-8 or Windows encoding) or as .xlsx (first sheet)."
    )
    columns = st.columns(len(TEMPLATE_FILES))
    for column, (file_name, (label, make)) in zip(columns, TEMPLATE_FILES.items(),
                                                  strict=True):
        column.download_button(label, as_excel_csv(make()), file_name=file_name,
                               mime="text/csv", key=f"template_{file_name}")
    st.caption("The full guide, with every measure and every message explained, is "
               "docs/upload.md in the project.")

if read_only_mode():
    st.info("This copy of the dashboard only shows figures (it runs read-only). Uploads are "
            "taken by the other copies of the dashboard on the same database (see "
            "docs/deploy.md); ask your administrator for their address.")
    st.stop()

settings = access.config()
limit = upload_limit_bytes()
limit_mb = max(1, math.ceil(limit / (1024 * 1024)))
uploader_label = f"Your file: CSV or .xlsx, up to {limit / (1024 * 1024):g} MB"

if not settings.enabled:
    access.show_disabled(settings)
    st.file_uploader(uploader_label, disabled=True, key="upload_disabled",
                     help="Uploads are switched off on this server.")
    st.stop()

for problem in settings.problems:
    st.error(problem)

contributor = access.sign_in_form(settings, "upload")
if contributor is None:
    st.file_uploader(uploader_label, disabled=True, key="upload_locked",
                     help="Sign in with your contributor token first.")
    st.stop()

access.sign_out(settings, contributor, "upload")
if not auth.may_submit(contributor):
    st.text("You are signed in without an organisation, so there is nothing for you to submit "
            "here: reviewers approve and reject batches on the History page.")
    st.page_link("pages/history.py", label="Open the History page", icon=":material/history:")
    st.stop()

done = st.session_state.pop("upload_done", None)
if done:
    st.success(f"Submitted as batch {done['batch']} for review: nothing changes for readers "
               "until a reviewer who is not you approves it.")
    st.text(f"The batch holds {done['new']} new and {done['changed']} changed figures of "
            f"{contributor.organisation}'s series. It is listed under 'Awaiting review' on the "
            "History page, for your organisation and the reviewers.")
    st.page_link("pages/history.py", label="Open the History page", icon=":material/history:")

# A new key after each import empties the file box, so the imported file's preview is not shown
# again under the success message.
generation = st.session_state.setdefault("upload_generation", 0)
uploaded = st.file_uploader(uploader_label, key=f"upload_file_{generation}",
                            max_upload_size=limit_mb)
if uploaded is None:
    st.stop()

store = open_store()
data = uploaded.getvalue()
cache_key = (uploaded.file_id, uploaded.name, len(data), shown_version())
cached = st.session_state.get("upload_prepared")
if cached is None or cached[0] != cache_key:
    with st.spinner("Reading and checking the file…"):
        try:
            result = prepare(data, uploaded.name, store, limit_bytes=limit,
                             organisation=contributor.organisation, person=contributor)
        except ImportRejected as rejected:
            result = rejected
        except StoreError as exc:
            st.error(f"The file could not be checked against the database: {exc}")
            st.stop()
    st.session_state["upload_prepared"] = (cache_key, result)
else:
    result = cached[1]

st.text(f"File: {uploaded.name}")
outdated = st.session_state.pop("upload_outdated", None)
if outdated:
    st.warning(outdated, icon=":material/update:")

if isinstance(result, ImportRejected):
    errors = [p for p in result.problems if p.severity == ERROR]
    warnings = len(result.problems) - len(errors)
    extra = f" and {warnings} warning{'s' * (warnings != 1)}" if warnings else ""
    st.error(
        f"The file was not imported: {len(errors)} problem{'s' * (len(errors) != 1)} to fix"
        f"{extra}. Nothing was written. Fix them in your spreadsheet (row numbers are the "
        "ones your spreadsheet shows) and upload the file again."
    )
    st.markdown("**What to fix, row by row**")
    st.text(problem_lines(result.problems))
    st.markdown("**The same list as a table** (sort it by clicking a column name)")
    table = problems_table(result.problems)
    st.dataframe(table, column_config=PROBLEM_COLUMNS, key="problems_table", **WIDE)
    st.download_button("Download this list (CSV)", safe_csv_bytes(table),
                       file_name="upload-problems.csv", mime="text/csv")
    st.stop()

prepared = result
counts = prepared.counts
st.header("Preview: nothing has been written yet")
st.text("\n".join(prepared.reading_notes()))
new_col, changed_col, same_col = st.columns(3)
new_col.metric("New figures", counts["new"], border=True)
changed_col.metric("Changed figures", counts["changed"], border=True)
same_col.metric("Unchanged (already in your series)", counts["unchanged"], border=True)

if prepared.warnings:
    st.warning(f"{len(prepared.warnings)} warning{'s' * (len(prepared.warnings) != 1)}: these "
               "do not stop the import, but check them before you import.")
    st.text(problem_lines(prepared.warnings, limit=30))
    st.dataframe(problems_table(prepared.warnings), column_config=PROBLEM_COLUMNS,
                 key="warnings_table", **WIDE)

st.markdown("**Figures per country and measure**")
st.dataframe(summary_table(prepared), key="summary_table", **WIDE)
st.markdown("**Every figure: your organisation's series now, your file, and the official "
            "figure beside it**")
st.caption("Your figures form your organisation's own series: an official figure is never "
           "replaced, and your figure is shown beside it once a reviewer has approved it.")
st.dataframe(changes_table(prepared), key="changes_table", **WIDE)

if prepared.already_imported is not None:
    found = prepared.already_imported
    st.info(f"This exact file was already sent as batch {found['id']} on "
            f"{found['created_at']}. There is nothing to do.")
    st.stop()
if prepared.nothing_to_import:
    st.info("Every figure in this file is already in your organisation's series with the same "
            "value. There is nothing to submit.")
    st.stop()

to_write = counts["new"] + counts["changed"]
if st.button(f"Submit {to_write} figure{'s' * (to_write != 1)} for review", type="primary",
             key="import_button"):
    try:
        batch_id = commit(prepared, store, kind="upload", contributor=contributor.name,
                          organisation=contributor.organisation)
    except ImportRejected as rejected:
        st.error("The file was refused; nothing was written.")
        st.dataframe(problems_table(rejected.problems), column_config=PROBLEM_COLUMNS, **WIDE)
        st.stop()
    except PreviewOutdated as exc:
        # Someone else's change was published meanwhile: nothing was written. Show the fresh
        # comparison (the store made it inside the refused commit) and let them submit again.
        data_changed()
        st.session_state["upload_prepared"] = (
            (uploaded.file_id, uploaded.name, len(data), shown_version()),
            replace(prepared, diff=exc.diff))
        st.session_state["upload_outdated"] = str(exc)
        st.rerun()
    except StoreError as exc:
        st.error(f"The file could not be submitted, and nothing was written: {exc}")
        st.stop()
    data_changed()
    st.session_state["upload_done"] = {"batch": batch_id, **counts}
    st.session_state["upload_generation"] = generation + 1
    st.session_state.pop("upload_prepared", None)
    st.rerun()
