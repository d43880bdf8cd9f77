"""The deployment's data path: one writer publishes a snapshot after every change; viewer
replicas open the snapshot read-only while the writer keeps its database open."""

from __future__ import annotations

from pathlib import Path

import pytest
import streamlit as st
from streamlit.testing.v1 import AppTest

from indicators.store import Store, StoreError

ROOT = Path(__file__).resolve().parents[2]


def test_writer_publishes_after_every_change(bundled_db, tmp_path):
    snapshot = tmp_path / "published" / "snapshot.duckdb"
    with Store(bundled_db, snapshot_to=snapshot) as writer:
        writer.publish_snapshot(snapshot)
        with Store(snapshot, read_only=True) as viewer:  # while the writer holds its file
            assert viewer.table_checksums() == writer.table_checksums()
            first_inode = snapshot.stat().st_ino
        writer.rollback(2)  # a change: published again without being asked
        assert snapshot.stat().st_ino != first_inode  # a new file, swapped in by rename
        with Store(snapshot, read_only=True) as viewer:
            assert viewer.table_checksums() == writer.table_checksums()
            assert viewer.batch(2)["status"] == "rolled_back"
            with pytest.raises(StoreError, match="read-only"):
                viewer.rollback(1)
    assert not list(snapshot.parent.glob(".*partial"))


@pytest.fixture
def clean_streamlit_caches():
    st.cache_data.clear()
    st.cache_resource.clear()
    yield
    st.cache_data.clear()
    st.cache_resource.clear()


def test_viewer_replica_serves_the_snapshot_read_only(bundled_db, tmp_path, monkeypatch,
                                                     clean_streamlit_caches):
    snapshot = tmp_path / "snapshot.duckdb"
    with Store(bundled_db) as writer:
        writer.publish_snapshot(snapshot)
        before = snapshot.read_bytes()
        monkeypatch.setenv("INDICATORS_DB", str(snapshot))
        monkeypatch.setenv("INDICATORS_READ_ONLY", "1")
        app = AppTest.from_file(str(ROOT / "app.py"), default_timeout=120).run()
        assert len(app.exception) == 0
        assert len(app.error) == 0
        assert len(app.title) == 1  # the page drew (its wording is the Overview's business)
    assert snapshot.read_bytes() == before  # a viewer never writes
