"""Upload figures: sign in, send a CSV or .xlsx, read every problem, preview, then import.

Everything the contributor sent is shown as plain text (st.dataframe / st.text / st.code);
nothing they wrote is ever rendered as Markdown or HTML.
"""

import math
from dataclasses import replace

import streamlit as st

from indicators import auth, i18n
from indicators.export import safe_csv_bytes
from indicators.i18n import N_
from indicators.problems import ERROR, ImportRejected, translate
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
from pages.shared import data_changed, data_table, open_store, page_start, plain, shown_version

_, lang = page_start(N_("Upload figures"), writes=True)
WIDE = {"width": "stretch", "hide_index": True}
PROBLEM_COLUMNS = {
    _("Kind"): st.column_config.TextColumn(width="small"),
    _("Row"): st.column_config.NumberColumn(width="small", format="%d"),
    _("Column"): st.column_config.TextColumn(width="small"),
    _("Value"): st.column_config.TextColumn(width="small"),
    _("Problem"): st.column_config.TextColumn(width="large"),
    _("What to do"): st.column_config.TextColumn(width="large"),
}

st.caption(_(
    "For organisations that collect yearly figures on trafficking. Browsing the dashboard "
    "needs no sign-in; sending figures does. Nothing is sent until you have seen the "
    "preview and pressed Submit. What you submit is your organisation's own series: it never "
    "replaces an official figure, and readers see it only after a reviewer who is not you "
    "has approved it on the History page."
))

with st.expander(_("Templates and how to fill them in"), expanded=False):
    # The templates' column names are the file format: they stay as they are in every language.
    st.markdown(_(
        "- **One figure per row** (long template): `country, year, measure, value, source, "
        "note`.\n"
        "- **One row per country and year** (wide template): `country, year, source, note` "
        "and one column per measure.\n"
        "- Country: English name, or ISO code (FRA, FR). Year: four digits. Value: digits "
        "only; `<5` for a count from 1 to 4; leave it empty when there is no figure.\n"
        "- Source: who published the figure, and where. Every figure needs one.\n"
        "- Save as CSV (any separator, UTF-8 or Windows encoding) or as .xlsx (first sheet)."
    ))
    columns = st.columns(len(TEMPLATE_FILES))
    for column, (file_name, (label, make)) in zip(columns, TEMPLATE_FILES.items(),
                                                  strict=True):
        column.download_button(_(label), as_excel_csv(make()), file_name=file_name,
                               mime="text/csv", key=f"template_{file_name}")
    st.caption(_("The full guide, with every measure and every message explained, is "
                 "docs/upload.md in the project."))

if read_only_mode():
    st.info(_("This copy of the dashboard only shows figures (it runs read-only). Uploads are "
              "taken by the other copies of the dashboard on the same database (see "
              "docs/deploy.md); ask your administrator for their address."))
    st.stop()

settings = access.config()
limit = upload_limit_bytes()
limit_mb = max(1, math.ceil(limit / (1024 * 1024)))
uploader_label = _("Your file: CSV or .xlsx, up to {size} MB").format(
    size=i18n.localise_value(f"{limit / (1024 * 1024):g}", lang))

if not settings.enabled:
    access.show_disabled(settings)
    st.file_uploader(uploader_label, disabled=True, key="upload_disabled",
                     help=_("Uploads are switched off on this server."))
    st.stop()

for problem in settings.problems:
    st.error(problem)

contributor = access.sign_in_form(settings, "upload")
if contributor is None:
    st.file_uploader(uploader_label, disabled=True, key="upload_locked",
                     help=_("Sign in with your contributor token first."))
    st.stop()

access.sign_out(settings, contributor, "upload")
if not auth.may_submit(contributor):
    st.text(_("You are signed in without an organisation, so there is nothing for you to "
              "submit here: reviewers approve and reject batches on the History page."))
    st.page_link("pages/history.py", label=_("Open the History page"),
                 icon=":material/history:")
    st.stop()

done = st.session_state.pop("upload_done", None)
if done:
    st.success(_("Submitted as batch {batch} for review: nothing changes for readers until a "
                 "reviewer who is not you approves it.").format(batch=done["batch"]))
    st.text(_("The batch holds {new} new and {changed} changed figures of {organisation}'s "
              "series. It is listed under 'Awaiting review' on the History page, for your "
              "organisation and the reviewers.").format(
        new=done["new"], changed=done["changed"], organisation=contributor.organisation))
    st.page_link("pages/history.py", label=_("Open the History page"),
                 icon=":material/history:")

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
    with st.spinner(_("Reading and checking the file…")):
        try:
            result = prepare(data, uploaded.name, store, limit_bytes=limit,
                             organisation=contributor.organisation, person=contributor)
        except ImportRejected as rejected:
            result = rejected
        except StoreError as exc:
            st.error(_("The file could not be checked against the database: {reason}")
                     .format(reason=exc))
            st.stop()
    st.session_state["upload_prepared"] = (cache_key, result)
else:
    result = cached[1]

st.text(_("File: {name}").format(name=uploaded.name))
outdated = st.session_state.pop("upload_outdated", None)
if outdated:
    st.warning(outdated, icon=":material/update:")

if isinstance(result, ImportRejected):
    errors = [p for p in result.problems if p.severity == ERROR]
    warnings = len(result.problems) - len(errors)
    to_fix = (_("1 problem to fix") if len(errors) == 1 else
              _("{count} problems to fix").format(count=len(errors)))
    extra = ("" if not warnings else _(" and 1 warning") if warnings == 1 else
             _(" and {count} warnings").format(count=warnings))
    st.error(_("The file was not imported: {problems}{warnings}. Nothing was written. Fix them "
               "in your spreadsheet (row numbers are the ones your spreadsheet shows) and upload "
               "the file again.").format(problems=to_fix, warnings=extra))
    st.markdown(_("**What to fix, row by row**"))
    st.text(problem_lines(result.problems, lang=lang))
    st.markdown(_("**The same list as a table** (sort it by clicking a column name)"))
    table = problems_table(result.problems, lang)
    data_table(table, column_config=PROBLEM_COLUMNS, key="problems_table", **WIDE)
    st.download_button(_("Download this list (CSV)"), safe_csv_bytes(table),
                       file_name="upload-problems.csv", mime="text/csv")
    st.stop()

prepared = result
counts = prepared.counts
st.header(_("Preview: nothing has been written yet"))
st.text("\n".join(translate(note, lang) for note in prepared.reading_notes()))
new_col, changed_col, same_col = st.columns(3)
new_col.metric(_("New figures"), counts["new"], border=True)
changed_col.metric(_("Changed figures"), counts["changed"], border=True)
same_col.metric(_("Unchanged (already in your series)"), counts["unchanged"], border=True)

if prepared.warnings:
    shown = len(prepared.warnings)
    st.warning(_("1 warning: these do not stop the import, but check them before you "
                 "import.") if shown == 1 else
               _("{count} warnings: these do not stop the import, but check them before you "
                 "import.").format(count=shown))
    st.text(problem_lines(prepared.warnings, limit=30, lang=lang))
    data_table(problems_table(prepared.warnings, lang), column_config=PROBLEM_COLUMNS,
                 key="warnings_table", **WIDE)

st.markdown(_("**Figures per country and measure**"))
data_table(summary_table(prepared, lang), key="summary_table", **WIDE)
st.markdown(_("**Every figure: your organisation's series now, your file, and the official "
              "figure beside it**"))
st.caption(_("Your figures form your organisation's own series: an official figure is never "
             "replaced, and your figure is shown beside it once a reviewer has approved it."))
data_table(changes_table(prepared, lang), key="changes_table", **WIDE)

if prepared.already_imported is not None:
    found = prepared.already_imported
    st.info(_("This exact file was already sent as batch {batch} on {when}. There is nothing "
              "to do.").format(batch=found["id"], when=found["created_at"]))
    st.stop()
if prepared.rejected_before is not None:
    rejected = prepared.rejected_before
    decided = rejected["reviewed_at"]
    st.warning(_("A reviewer rejected this exact file as batch {batch} on {when}, saying: "
                 "“{reason}”. Submitting it again asks a reviewer to look at the same figures "
                 "again: change what the reason asks for first, or say why in a note.").format(
        batch=rejected["id"], when=decided.strftime("%Y-%m-%d") if decided else "?",
        reason=plain(rejected["review_note"] or "")), icon=":material/undo:")
if prepared.nothing_to_import:
    st.info(_("Every figure in this file is already in your organisation's series with the "
              "same value. There is nothing to submit."))
    st.stop()

to_write = counts["new"] + counts["changed"]
submit_label = (_("Submit 1 figure for review") if to_write == 1 else
                _("Submit {count} figures for review").format(count=to_write))
if st.button(submit_label, type="primary", key="import_button"):
    try:
        batch_id = commit(prepared, store, kind="upload", contributor=contributor.name,
                          organisation=contributor.organisation)
    except ImportRejected as rejected:
        st.error(_("The file was refused; nothing was written."))
        data_table(problems_table(rejected.problems, lang), column_config=PROBLEM_COLUMNS,
                     **WIDE)
        st.stop()
    except PreviewOutdated as exc:
        # Someone else's change was published meanwhile: nothing was written. Show the fresh
        # comparison (the store made it inside the refused commit) and let them submit again.
        data_changed()
        st.session_state["upload_prepared"] = (
            (uploaded.file_id, uploaded.name, len(data), shown_version()),
            replace(prepared, diff=exc.diff))
        # the store's sentence (store.contract.PreviewOutdated), in the page's language
        st.session_state["upload_outdated"] = _(
            "The figures this preview compared against changed while you were looking at it "
            "(someone else's change was published meanwhile). Nothing was written; check the "
            "fresh preview and submit again.")
        st.rerun()
    except StoreError as exc:
        st.error(_("The file could not be submitted, and nothing was written: {reason}")
                 .format(reason=exc))
        st.stop()
    data_changed()
    st.session_state["upload_done"] = {"batch": batch_id, **counts}
    st.session_state["upload_generation"] = generation + 1
    st.session_state.pop("upload_prepared", None)
    st.rerun()
