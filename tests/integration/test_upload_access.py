"""The Upload and History pages in Streamlit's AppTest: who may use them, and the whole path
from a refused file to an import and its rollback."""

from __future__ import annotations

from pathlib import Path

import polars as pl
import pytest
import streamlit as st
from streamlit.testing.v1 import AppTest

from indicators.auth import token_digest
from indicators.store import Store

ROOT = Path(__file__).resolve().parents[2]
TOKEN = "correct-horse-battery-staple-token"
GOOD = (b"country,year,measure,value,source,note\r\n"
        b"Kenya,2020,victims_prosecuted,3,SYNTHETIC TEST DATA,<b>not bold</b>\r\n")
BAD = (ROOT / "tests" / "data" / "bad_uploads" / "many_problems.csv").read_bytes()


@pytest.fixture
def app(bundled_db: Path, monkeypatch: pytest.MonkeyPatch):
    """The app on a private database; the cached store of an earlier test is dropped."""
    monkeypatch.setenv("INDICATORS_DB", str(bundled_db))
    monkeypatch.delenv("INDICATORS_CONTRIBUTOR_TOKENS", raising=False)
    monkeypatch.chdir(ROOT)
    st.cache_resource.clear()
    st.cache_data.clear()

    def make(page: str = "pages/upload.py") -> AppTest:
        at = AppTest.from_file(str(ROOT / "app.py"), default_timeout=90)
        return at.switch_page(page).run()

    yield make
    st.cache_resource.clear()


def _uploader(at: AppTest):
    return at.get("file_uploader")[0]


def test_without_configuration_uploads_are_off_and_say_how_to_switch_them_on(app):
    at = app()
    assert not at.exception
    assert "Uploads are switched off on this server" in at.warning[0].value
    assert 'indicators token new "Example NGO"' in at.code[0].value
    assert "[contributors]" in at.text[0].value
    assert _uploader(at).disabled
    assert [b.label for b in at.get("download_button")] == [
        "Long template (one figure per row)", "Wide template (one column per measure)",
        "Filled example (real published figures)"]


def test_a_wrong_token_is_refused_and_a_right_one_works(app, monkeypatch):
    monkeypatch.setenv("INDICATORS_CONTRIBUTOR_TOKENS", f"Test NGO={token_digest(TOKEN)}")
    at = app()
    assert _uploader(at).disabled
    at.text_input[0].input("not-the-token")
    at.button[0].click().run()
    assert at.error[0].value.startswith("This token is not valid.")
    assert _uploader(at).disabled
    at.text_input[0].input(TOKEN)
    at.text_input[1].input("Ana")
    at.button[0].click().run()
    assert not at.error
    assert at.text[0].value == "Signed in as Ana, for Test NGO."
    assert not _uploader(at).disabled


def test_refused_file_then_preview_then_import_then_rollback(app, monkeypatch, bundled_db):
    monkeypatch.setenv("INDICATORS_CONTRIBUTOR_TOKENS", f"Test NGO={token_digest(TOKEN)}")
    at = app()
    at.text_input[0].input(TOKEN)
    at.text_input[1].input("Ana")
    at.button[0].click().run()

    _uploader(at).set_value(("many_problems.csv", BAD, "text/csv"))
    at.run()
    assert at.error[0].value.startswith("The file was not imported: 7 problems to fix.")
    problems = at.dataframe[0].value
    assert list(problems["Row"]) == [3, 4, 5, 6, 7, 8, 9]
    assert "could mean more than one place" in problems["Problem"].iloc[0]

    _uploader(at).set_value(("kenya.csv", GOOD, "text/csv"))
    at.run()
    assert not at.exception
    assert [m.value for m in at.metric] == ["1", "0", "0"]
    changes = at.dataframe[2].value
    assert changes.iloc[0].to_dict() == {
        "Row": 2, "Country": "Kenya (KEN)", "Year": 2020, "Measure": "victims_prosecuted",
        "Your series now": "no data", "In your file": "3", "Change": "new",
        "Official figure": "no official figure"}
    warnings = at.dataframe[0].value
    assert warnings["Value"].iloc[0] == "<b>not bold</b>"  # shown as text in a table cell
    assert all("<b>" not in m.value for m in at.markdown)
    at.button(key="import_button").click().run()
    assert at.success[0].value == (
        "Submitted as batch 6 for review: nothing changes for readers until a reviewer who is "
        "not you approves it.")
    # the file box is emptied: no stale preview or "already imported" under the success
    assert not at.metric and not at.info
    assert _uploader(at).value is None
    with Store(bundled_db) as store:  # same settings as the app's open store
        batch = store.batch(6)
        assert (batch["kind"], batch["contributor"], batch["organisation"],
                batch["file_name"], batch["status"]) == ("upload", "Ana", "Test NGO",
                                                         "kenya.csv", "submitted")
        store.approve_batch(6, reviewer="Rita")  # a second person publishes it

    at.switch_page("pages/history.py").run()
    assert not at.exception
    history = at.dataframe[0].value
    assert history.iloc[0]["Batch"] == 6 and history.iloc[0]["Organisation"] == "Test NGO"
    assert at.selectbox(key="history_batch").value == 6
    assert "No batch is awaiting review." in [t.value for t in at.text]
    assert at.dataframe[1].value.iloc[0].to_dict() == {
        "Country": "Kenya (KEN)", "Year": 2020, "Measure": "victims_prosecuted",
        "Before": "no data", "After": "3", "Change": "new"}
    assert at.button(key="rollback_button").disabled
    at.checkbox(key="rollback_confirm").check().run()
    at.button(key="rollback_button").click().run()
    assert at.success[0].value.startswith("Batch 6 was rolled back (recorded as batch 7).")
    with Store(bundled_db) as store:  # same settings as the app's open store
        current = store.observations()
        assert current.filter((pl.col("iso3") == "KEN") & (pl.col("year") == 2020)
                              & (pl.col("measure") == "victims_prosecuted")).height == 0
        assert store.batch(6)["status"] == "rolled_back"
        assert store.batch(6)["organisation"] == "Test NGO"


def test_history_needs_a_contributor_to_roll_back(app, monkeypatch, bundled_db):
    with Store(bundled_db) as store:
        from indicators.upload.pipeline import commit, prepare

        batch = commit(prepare(GOOD, "kenya.csv", store, organisation="Test NGO"), store,
                       kind="upload", contributor="Ana", organisation="Test NGO")
        store.approve_batch(batch, reviewer="Ben")  # published: a batch one could roll back
    monkeypatch.setenv("INDICATORS_CONTRIBUTOR_TOKENS", f"Test NGO={token_digest(TOKEN)}")
    at = app("pages/history.py")
    assert not at.exception
    assert "Sign in as a contributor to roll back a batch." in [t.value for t in at.text]
    assert not at.get("checkbox")


def test_a_read_only_viewer_replica_sends_uploaders_to_the_writer(app, monkeypatch):
    monkeypatch.setenv("INDICATORS_READ_ONLY", "1")
    monkeypatch.setenv("INDICATORS_CONTRIBUTOR_TOKENS", f"Test NGO={token_digest(TOKEN)}")
    at = app()
    assert not at.exception
    assert "only shows figures (it runs read-only)" in at.info[0].value
    assert not at.get("file_uploader")
