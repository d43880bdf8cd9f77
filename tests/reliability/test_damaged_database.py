"""A damaged database file: a clear message and the way back, never a traceback."""

from __future__ import annotations

import random
from pathlib import Path

import pytest
import streamlit as st
from streamlit.testing.v1 import AppTest

from indicators.cli import main
from indicators.store import Store, StoreError

ROOT = Path(__file__).resolve().parents[2]
WAY_BACK = ("indicators init --rebuild", "indicators restore")


def random_bytes_file(path: Path, size: int = 200_000) -> Path:
    path.write_bytes(random.Random(5).randbytes(size))
    return path


def truncated_copy(source: Path, path: Path) -> Path:
    data = source.read_bytes()
    path.write_bytes(data[: len(data) // 4])  # the header survives, the tables do not
    return path


@pytest.fixture
def garbage_db(tmp_path: Path) -> Path:
    return random_bytes_file(tmp_path / "indicators.duckdb")


@pytest.fixture
def truncated_db(bundled_db_template: Path, tmp_path: Path) -> Path:
    return truncated_copy(bundled_db_template, tmp_path / "indicators.duckdb")


@pytest.mark.parametrize("kind", ["garbage", "truncated"])
@pytest.mark.parametrize("read_only", [True, False])
def test_store_refuses_a_damaged_file_with_the_way_back(kind, read_only, request):
    path = request.getfixturevalue(f"{kind}_db")
    with pytest.raises(StoreError) as raised:
        Store(path, read_only=read_only)
    message = str(raised.value)
    assert str(path) in message
    assert all(way in message for way in WAY_BACK)
    # The failed open released the file: opening it again gives the same clear error, not a
    # lock conflict.
    with pytest.raises(StoreError) as again:
        Store(path, read_only=not read_only)
    assert "lock" not in str(again.value).lower()
    assert all(way in str(again.value) for way in WAY_BACK)


@pytest.mark.parametrize("command", [["report"], ["export", "--out", "x.csv"],
                                     ["history"], ["backup", "--out", "bk"]])
def test_cli_says_what_to_do_and_exits_non_zero(command, truncated_db, tmp_path, capsys,
                                                 monkeypatch):
    monkeypatch.chdir(tmp_path)
    code = main([*command, "--db", str(truncated_db)])
    err = capsys.readouterr().err
    assert code == 1
    assert err.startswith("error: ")
    assert all(way in err for way in WAY_BACK)
    assert "Traceback" not in err
    assert not (tmp_path / "bk").exists()


def test_init_rebuild_is_the_way_back(garbage_db, capsys):
    assert main(["init", "--rebuild", "--db", str(garbage_db)]) == 0
    with Store(garbage_db, read_only=True) as store:
        assert store.observation_count() == 73665  # 57,729 + 336 + 14,010 + 1,590
    assert "73665 current figures" in capsys.readouterr().out  # the same


@pytest.fixture
def clean_streamlit_caches():
    st.cache_data.clear()
    st.cache_resource.clear()
    yield
    st.cache_data.clear()
    st.cache_resource.clear()


@pytest.mark.parametrize("kind", ["garbage", "truncated"])
def test_app_shows_a_message_and_the_way_back(kind, request, monkeypatch,
                                              clean_streamlit_caches):
    path = request.getfixturevalue(f"{kind}_db")
    before = path.read_bytes()
    monkeypatch.setenv("INDICATORS_DB", str(path))
    app = AppTest.from_file(str(ROOT / "app.py"), default_timeout=60).run()
    assert len(app.exception) == 0
    errors = [e.value for e in app.error]
    assert len(errors) == 1
    assert errors[0].startswith("The dashboard cannot open its database.")
    assert all(way in errors[0] for way in WAY_BACK)
    # The page stops there: no half-drawn dashboard under the message.
    assert len(app.metric) == 0 and len(app.get("plotly_chart")) == 0
    assert path.read_bytes() == before  # the damaged file is left for the operator


@pytest.mark.parametrize("page", ["compare", "country", "breaks", "methodology", "upload",
                                  "history"])
def test_every_page_shows_the_message_not_an_error_box(page, garbage_db, monkeypatch,
                                                       clean_streamlit_caches):
    # a page opened from its own address (or the menu) says the same one sentence; the watch
    # on the database that every page starts with used to raise before the page could say it
    before = garbage_db.read_bytes()
    monkeypatch.setenv("INDICATORS_DB", str(garbage_db))
    app = AppTest.from_file(str(ROOT / "app.py"), default_timeout=60).run()
    app.switch_page(f"pages/{page}.py").run()
    assert len(app.exception) == 0
    errors = [e.value for e in app.error]
    assert len(errors) == 1 and errors[0].startswith("The dashboard cannot open its database.")
    assert all(way in errors[0] for way in WAY_BACK)
    assert len(app.get("plotly_chart")) == 0
    assert garbage_db.read_bytes() == before
