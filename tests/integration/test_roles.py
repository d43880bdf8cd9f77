"""Roles on both backends: tokens with a role in the database, the commands that make, list and
withdraw them, a contributor limited to some countries, and who may review and roll back.

The uploaded figures are synthetic and labelled so in their source."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import polars as pl
import pytest

from indicators import auth, review
from indicators.problems import ImportRejected
from indicators.store import Store
from indicators.upload.pipeline import commit, prepare

ROOT = Path(__file__).resolve().parents[2]
SOURCE = "SYNTHETIC TEST DATA (roles)"


def cli(*args: str) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, "-m", "indicators", *args], capture_output=True,
                          text=True, timeout=300, cwd=ROOT)


def test_tokens_with_roles_live_in_the_database(empty_target: str):
    with Store(empty_target) as store:
        store.add_token("Old NGO", "a" * 64)  # made before roles: a contributor token
        store.add_access_token("b" * 64, name="Rita", role="reviewer")
        store.add_access_token("c" * 64, name="Test NGO", role="contributor",
                               organisation="Test NGO", countries="GBR,FRA")
        store.add_access_token("d" * 64, name="Rita", role="reviewer")  # replaces Rita's
        rows = [{k: r[k] for k in ("digest", "name", "role", "organisation", "countries")}
                for r in store.access_tokens()]
        assert rows == [
            {"digest": "a" * 64, "name": "Old NGO", "role": "contributor",
             "organisation": "Old NGO", "countries": None},
            {"digest": "d" * 64, "name": "Rita", "role": "reviewer", "organisation": None,
             "countries": None},
            {"digest": "c" * 64, "name": "Test NGO", "role": "contributor",
             "organisation": "Test NGO", "countries": "GBR,FRA"},
        ]
        # a new token named after an old organisation token replaces that one too
        store.add_access_token("e" * 64, name="Old NGO", role="contributor",
                               organisation="Old NGO")
        assert store.token_digests() == {}
        assert [r["digest"] for r in store.access_tokens()] == ["e" * 64, "d" * 64, "c" * 64]
        assert store.remove_access_token("Rita") is True
        assert store.remove_access_token("Rita") is False
        store.add_token("Older NGO", "f" * 64)
        assert store.remove_access_token("Older NGO") is True  # either kind, by name
        assert [r["name"] for r in store.access_tokens()] == ["Old NGO", "Test NGO"]
        config = auth.access_config(None, {}, role_tokens=store.access_tokens())
    assert auth.token_holder("c" * 64, config, "Ana") == auth.Contributor(
        "Test NGO", "Ana", "token", auth.CONTRIBUTOR, ("GBR", "FRA"))
    assert auth.token_holder("d" * 64, config) is None  # withdrawn


def test_token_commands_with_roles(bundled_target: str):
    db = ("--db", bundled_target)
    made = cli("token", "new", "Rita Reviewer", "--role", "reviewer", *db)
    assert made.returncode == 0, made.stderr
    token = made.stdout.split("\n\n")[1].strip()
    assert made.stdout.startswith("Token for Rita Reviewer, reviewer (shown once;")
    assert "[contributors]" not in made.stdout  # only organisation tokens go there
    limited = cli("token", "new", "Kenya desk", "--organisation", "Test NGO",
                  "--countries", "ken, gha", *db)
    assert limited.returncode == 0, limited.stderr
    assert limited.stdout.startswith("Token for Kenya desk, contributor for Test NGO, figures "
                                     "for KEN, GHA only (shown once;")
    plain = cli("token", "new", "Example NGO", *db)  # as before roles
    assert plain.returncode == 0, plain.stderr
    plain_token = plain.stdout.split("\n\n")[1].strip()
    assert f'"Example NGO" = "{auth.token_digest(plain_token)}"' in plain.stdout

    listed = cli("token", "list", *db)
    assert listed.returncode == 0, listed.stderr
    lines = [line.split("┆") for line in listed.stdout.splitlines() if "┆" in line]
    cells = [[cell.strip(" │") for cell in line][:4] for line in lines]
    assert cells == [["Name", "Role", "Organisation", "Countries"],
                     ["Example NGO", "contributor", "Example NGO", "any"],
                     ["Kenya desk", "contributor", "Test NGO", "KEN,GHA"],
                     ["Rita Reviewer", "reviewer", "", "any"]]
    with Store(bundled_target, read_only=True) as store:
        digests = {r["digest"] for r in store.access_tokens()}
        config = auth.access_config(None, {}, role_tokens=store.access_tokens())
    assert not any(d in listed.stdout for d in digests)  # never a digest
    assert auth.check_token(token, config) == auth.Contributor(
        "", "Rita Reviewer", "token", auth.REVIEWER)

    unknown = cli("token", "new", "Typo desk", "--countries", "GBR,XYZ", *db)
    assert unknown.returncode == 1
    assert unknown.stderr.strip() == ("error: XYZ is not a country code the dashboard knows; "
                                      "use ISO3 codes like GBR.")
    wrong = cli("token", "new", "Typo desk", "--countries", "UK", *db)
    assert wrong.returncode == 1 and "give countries as ISO3 codes" in wrong.stderr
    removed = cli("token", "remove", "Rita Reviewer", *db)
    assert removed.returncode == 0
    assert removed.stdout.strip() == ("The token of Rita Reviewer was withdrawn; it no longer "
                                      "signs anyone in.")
    again = cli("token", "remove", "Rita Reviewer", *db)
    assert again.returncode == 1
    assert again.stdout.strip() == "There is no token named Rita Reviewer in the database."
    for done in (made, limited, plain, listed, unknown, wrong, removed, again):
        assert "Traceback" not in done.stderr


def test_a_contributor_limited_to_countries_cannot_submit_others(bundled_target: str):
    data = ("country,year,measure,value,source,note\r\n"
            f"Kenya,2020,victims_reported,12,{SOURCE},\r\n"
            f"United Kingdom,2020,victims_reported,13,{SOURCE},\r\n"
            f"Ghana,2020,victims_reported,14,{SOURCE},\r\n").encode()
    desk = auth.Contributor("Test NGO", "Ana", "token", countries=("KEN", "GHA"))
    with Store(bundled_target) as store:
        before = store.table_checksums()
        with pytest.raises(ImportRejected) as refused:
            prepare(data, "three.csv", store, person=desk)
        errors = [(p.row, p.column, p.value) for p in refused.value.problems]
        assert errors == [(3, "country", "GBR")]
        assert refused.value.problems[0].message == (
            "Test NGO may submit figures for KEN and GHA only, not for United Kingdom (GBR).")
        assert store.table_checksums() == before  # nothing written

        allowed = data.replace(f"United Kingdom,2020,victims_reported,13,{SOURCE},\r\n".encode(),
                               b"")
        prepared = prepare(allowed, "two.csv", store, person=desk)
        assert prepared.counts == {"new": 2, "changed": 0, "unchanged": 0}
        batch = commit(prepared, store, kind="upload", contributor=desk.name,
                       organisation=desk.organisation)
        assert store.batch(batch)["status"] == "submitted"


def test_only_a_reviewer_or_administrator_decides(bundled_target: str):
    ana = auth.Contributor("Test NGO", "Ana", "token")
    rita = auth.Contributor("", "Rita", "login", auth.REVIEWER)
    adam = auth.Contributor("", "Adam", "token", auth.ADMINISTRATOR)
    other = auth.Contributor("Other NGO", "Bo", "token")
    data = f"country,year,measure,value,source,note\r\nKEN,2021,victims_reported,15,{SOURCE},\r\n"
    with Store(bundled_target) as store:
        first = commit(prepare(data.encode(), "a.csv", store, person=ana), store, kind="upload",
                       contributor="Ana", organisation="Test NGO")
        second = commit(prepare(data.replace("15", "16").encode(), "b.csv", store, person=ana),
                        store, kind="upload", contributor="Ana", organisation="Test NGO")
        before = store.table_checksums()
        for who in (None, ana, other):
            with pytest.raises(review.NotAllowed) as refused:
                review.approve(store, first, who)
            assert str(refused.value) == auth.REVIEW_REFUSED
            with pytest.raises(review.NotAllowed):
                review.reject(store, first, who, reason="no")
            with pytest.raises(review.NotAllowed):
                review.adopt(store, first, "KEN", 2021, "victims_reported", who, reason="no")
        assert store.table_checksums() == before

        review.approve(store, first, rita, note="checked")
        review.reject(store, second, adam, reason="a duplicate of batch " + str(first))
        assert (store.batch(first)["status"], store.batch(first)["reviewed_by"]) == (
            "committed", "Rita")
        assert (store.batch(second)["status"], store.batch(second)["reviewed_by"]) == (
            "rejected", "Adam")
        kenya = store.observations(series="Test NGO").filter(
            (pl.col("iso3") == "KEN") & (pl.col("year") == 2021))
        assert kenya["value"].to_list() == [15.0]

        # rollbacks: the organisation that sent it or an administrator, no one else
        for who in (other, rita):
            with pytest.raises(review.NotAllowed):
                review.roll_back(store, first, who)
        undo = review.roll_back(store, first, adam)
        assert store.batch(undo)["kind"] == "rollback"
        assert store.batch(first)["status"] == "rolled_back"


def test_the_pages_know_the_role_of_a_database_token(bundled_db: Path, monkeypatch):
    import streamlit as st
    from streamlit.testing.v1 import AppTest

    monkeypatch.setenv("INDICATORS_DB", str(bundled_db))
    monkeypatch.delenv("INDICATORS_CONTRIBUTOR_TOKENS", raising=False)
    monkeypatch.chdir(ROOT)
    st.cache_resource.clear()
    st.cache_data.clear()
    with Store(bundled_db) as store:
        store.add_access_token(auth.token_digest("rita-token"), name="Rita Reviewer",
                               role="reviewer")
        store.add_access_token(auth.token_digest("desk-token"), name="Kenya desk",
                               role="contributor", organisation="Test NGO", countries="KEN")
    try:
        at = AppTest.from_file(str(ROOT / "app.py"), default_timeout=90)
        at.switch_page("pages/upload.py").run()
        at.text_input[0].input("rita-token")
        at.text_input[1].input("Somebody")  # a reviewer's token names its person
        at.button[0].click().run()
        assert not at.exception
        assert at.text[0].value == "Signed in as Rita Reviewer, reviewer."

        at.button(key="sign_out_upload").click().run()
        at.text_input[0].input("desk-token")
        at.text_input[1].input("Ana")
        at.button[0].click().run()
        assert at.text[0].value == "Signed in as Ana, for Test NGO (figures for KEN only)."
        # a token withdrawn while its holder is signed in stops working at the next run
        with Store(bundled_db) as store:
            store.remove_access_token("Kenya desk")
        at.run()
        assert not any(t.value.startswith("Signed in as") for t in at.text)
        assert at.get("file_uploader")[0].disabled
    finally:
        st.cache_resource.clear()
