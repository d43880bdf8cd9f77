"""Whatever bytes arrive, the pipeline answers with ImportRejected or a preview, never a crash,
and a refused file leaves the database exactly as it was."""

from __future__ import annotations

from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from indicators.problems import ImportRejected, Problem
from indicators.store import Store
from indicators.upload.pipeline import Prepared, prepare
from tests.helpers import store_on_a_copy


@pytest.fixture(scope="module")
def store(bundled_db_template: Path, tmp_path_factory: pytest.TempPathFactory):
    with store_on_a_copy(bundled_db_template, tmp_path_factory.mktemp("property")) as opened:
        yield opened


CELLS = st.one_of(
    st.sampled_from([
        "country", "year", "measure", "value", "source", "note", "Kenya", "KEN", "Congo",
        "Korea", "NA", "2019", "1985", "2099", "persons_convicted", "victims_detected",
        "data_sharing_active", "convictions", "1,240", "1.240", "<5", "n/a", "-", "..", "",
        "=SUM(A1)", "+cmd", "@x", "45%", "120%", "<script>", '"', "\t", ";", "12,5", "-3",
        "EXAMPLE – not real data", "1 240", "sep=;", "\ufeff",
    ]),
    st.text(max_size=12),
)
CSV_LIKE = st.builds(
    lambda rows, sep, end: end.join(sep.join(r) for r in rows),
    st.lists(st.lists(CELLS, max_size=8), max_size=12),
    st.sampled_from([",", ";", "\t", "|"]),
    st.sampled_from(["\n", "\r\n", "\r"]),
)
ENCODED = st.builds(
    lambda text, encoding, bom: (bom + text).encode(encoding, errors="replace"),
    CSV_LIKE,
    st.sampled_from(["utf-8", "utf-16-le", "utf-16-be", "cp1252", "latin-1"]),
    st.sampled_from(["", "\ufeff"]),
)
DATA = st.one_of(st.binary(max_size=600), ENCODED,
                 st.builds(lambda head, rest: head + rest,
                           st.sampled_from([b"PK\x03\x04", b"%PDF", b"\x89PNG", b"\xd0\xcf\x11\xe0",
                                            b"\xff\xfe", b"\xfe\xff", b"\xef\xbb\xbf"]),
                           st.binary(max_size=200)))


@settings(max_examples=80, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(data=DATA, name=st.sampled_from(["f.csv", "f.xlsx", "f.txt", "f"]))
def test_prepare_only_ever_refuses_or_previews(store: Store, data: bytes, name: str):
    before = store.table_checksums()
    try:
        result = prepare(data, name, store, limit_bytes=100_000)
    except ImportRejected as rejected:
        assert rejected.problems, "a refusal always says why"
        assert all(isinstance(p, Problem) and p.message and p.fix for p in rejected.problems)
        assert any(p.severity == "error" for p in rejected.problems)
    else:
        assert isinstance(result, Prepared)
        assert result.figures.height > 0
    assert store.table_checksums() == before
