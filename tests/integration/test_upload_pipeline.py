"""The whole path on a real database: preview, commit, the same file twice, history, rollback,
exports, the size limit, and the CLI commands."""

from __future__ import annotations

import hashlib
import subprocess
import sys
from pathlib import Path

import polars as pl
import pytest

from indicators.cli import main
from indicators.export import observations_for_export, safe_csv_text
from indicators.problems import ImportRejected
from indicators.store import Store
from indicators.upload.pipeline import commit, prepare
from indicators.upload.preview import (
    batch_changes_table,
    changes_table,
    history_table,
    problems_table,
    review_changes_table,
    summary_table,
)
from tests.review import approve

GOOD = Path(__file__).resolve().parents[1] / "data" / "good_uploads"
ROOT = Path(__file__).resolve().parents[2]

# GBR 2019 persons_convicted is 251 in UNODC's data; this file changes it and adds two figures.
CHANGE = (
    b"country,year,measure,value,source,note\r\n"
    b"GBR,2019,persons_convicted,260,SYNTHETIC TEST DATA,corrected\r\n"
    b"GBR,2019,victims_reported,5,SYNTHETIC TEST DATA,\r\n"
    b"Kenya,2019,victims_prosecuted,0,SYNTHETIC TEST DATA,\r\n"
    b"GBR,2019,persons_prosecuted,251,SYNTHETIC TEST DATA,\r\n"
)


# The same organisation's next file: one figure changed (260 -> 262), three as they were.
NEXT = CHANGE.replace(b"persons_convicted,260", b"persons_convicted,262")
NGO = "Test NGO"


def _figure(store: Store, iso3: str, year: int, measure: str, series: str | None = None
            ) -> dict | None:
    """The figure the indicators use (the source rule's pick), or ``series``' own figure."""
    current = store.observations(series=series)
    found = current.filter((pl.col("iso3") == iso3) & (pl.col("year") == year)
                           & (pl.col("measure") == measure))
    return found.row(0, named=True) if found.height else None


def test_preview_writes_nothing_and_says_what_would_change(bundled_store: Store):
    before = bundled_store.table_checksums()
    prepared = prepare(CHANGE, "change.csv", bundled_store)
    assert bundled_store.table_checksums() == before
    assert prepared.counts == {"new": 2, "changed": 1, "unchanged": 1}
    table = changes_table(prepared)
    assert table.columns == ["Row", "Country", "Year", "Measure", "Your series now",
                             "In your file", "Change", "Official figure"]
    first = table.row(0, named=True)
    assert first == {"Row": 2, "Country": "United Kingdom (GBR)", "Year": 2019,
                     "Measure": "persons_convicted", "Your series now": "251",
                     "In your file": "260", "Change": "changed", "Official figure": "251"}
    assert table["Change"].to_list() == ["changed", "new", "new",
                                         "unchanged (not stored again)"]
    summary = summary_table(prepared)
    kenya = summary.filter(pl.col("Country") == "Kenya (KEN)").row(0, named=True)
    assert kenya == {"Country": "Kenya (KEN)", "Measure": "victims_prosecuted",
                     "Years": "2019", "New": 1, "Changed": 0, "Unchanged": 0}


def test_prepare_says_where_its_time_went_when_asked(bundled_store: Store):
    stages: dict[str, float] = {}
    prepared = prepare(CHANGE, "change.csv", bundled_store, stage_seconds=stages)
    assert list(stages) == ["read", "shape", "duplicates", "validate", "plausibility", "diff"]
    assert all(seconds >= 0 for seconds in stages.values())
    assert prepared.sha256 == hashlib.sha256(CHANGE).hexdigest()


def test_commit_then_same_file_again_then_rollback(bundled_store: Store):
    store = bundled_store
    prepared = prepare(CHANGE, "change.csv", store, organisation=NGO)
    # Compared with Test NGO's own series, which has no figure yet: all four are new.
    assert prepared.counts == {"new": 4, "changed": 0, "unchanged": 0}
    batch_id = commit(prepared, store, kind="upload", contributor="Ana", organisation=NGO)
    batch = store.batch(batch_id)
    assert batch is not None
    assert (batch["kind"], batch["contributor"], batch["organisation"], batch["file_name"],
            batch["rows_in_file"], batch["rows_new"], batch["rows_changed"],
            batch["rows_unchanged"], batch["status"]) == (
        "upload", "Ana", NGO, "change.csv", 4, 4, 0, 0, "submitted")
    assert batch["sha256"] == prepared.sha256
    assert _figure(store, "GBR", 2019, "victims_reported") is None  # not shown before review
    # the reviewer reads what readers will see beside each figure: its source and note as the
    # organisation wrote them, and UNODC's figure
    review = review_changes_table(store.batch_diff(batch_id), store.snapshot().figures)
    assert review.filter(pl.col("Measure") == "persons_convicted").row(0, named=True) == {
        "Country": "United Kingdom (GBR)", "Year": 2019, "Measure": "persons_convicted",
        "Before": "no data", "After": "260", "Change": "new", "Official figure": "251",
        "Source": "SYNTHETIC TEST DATA", "Note": "corrected"}
    assert review.filter(pl.col("Measure") == "victims_reported")["Note"].to_list() == [""]
    approve(store, batch_id)
    assert store.batch(batch_id)["status"] == "committed"
    # UNODC's 251 stays the figure the indicators use; the NGO's 260 is kept as theirs.
    convicted = _figure(store, "GBR", 2019, "persons_convicted")
    assert (convicted["value"], convicted["basis"], convicted["source_id"]) == (
        251.0, "official", "unodc_glotip_2023")
    assert _figure(store, "GBR", 2019, "persons_convicted", NGO)["value"] == 260.0
    assert _figure(store, "GBR", 2019, "victims_reported")["value"] == 5.0

    again = prepare(CHANGE, "renamed.csv", store, organisation=NGO)
    assert again.already_imported is not None and again.already_imported["id"] == batch_id
    with pytest.raises(ImportRejected) as caught:
        commit(again, store, kind="upload", contributor="Ana", organisation=NGO)
    assert f"already imported as batch {batch_id}" in caught.value.problems[0].message

    diff = batch_changes_table(store.batch_diff(batch_id))  # against the NGO's own series
    assert diff.filter(pl.col("Measure") == "persons_convicted").row(0, named=True) == {
        "Country": "United Kingdom (GBR)", "Year": 2019, "Measure": "persons_convicted",
        "Before": "no data", "After": "260", "Change": "new"}

    observations_before = store.observations(history=True).height
    record = store.rollback(batch_id, contributor="Ana", organisation=NGO)
    assert _figure(store, "GBR", 2019, "persons_convicted")["value"] == 251.0
    assert _figure(store, "GBR", 2019, "persons_convicted", NGO) is None
    assert _figure(store, "GBR", 2019, "victims_reported") is None
    assert store.observations(history=True).height == observations_before  # nothing deleted
    history = history_table(store.batches())
    assert history["Batch"].to_list()[:2] == [record, batch_id]
    assert history.row(0, named=True)["What"] == "rollback"
    assert history.row(0, named=True)["Rolls back batch"] == str(batch_id)
    assert history.row(1, named=True)["Status"] == "rolled back"

    # After a rollback the same file may be imported again, as a new batch.
    third = prepare(CHANGE, "change.csv", store, organisation=NGO)
    assert third.already_imported is None
    resubmitted = commit(third, store, kind="upload", contributor="Ana", organisation=NGO)
    assert resubmitted > record
    approve(store, resubmitted)

    # The NGO's next file: only new and changed figures are stored; the unchanged ones keep
    # the batch that brought them.
    following = prepare(NEXT, "next.csv", store, organisation=NGO)
    assert following.counts == {"new": 0, "changed": 1, "unchanged": 3}
    fourth = approve(store, commit(following, store, kind="upload", contributor="Ana",
                                   organisation=NGO))
    assert (store.batch(fourth)["rows_changed"], store.batch(fourth)["rows_unchanged"]) == (1, 3)
    assert _figure(store, "GBR", 2019, "persons_convicted", NGO)["batch_id"] == fourth
    assert _figure(store, "GBR", 2019, "persons_prosecuted", NGO)["batch_id"] == resubmitted


def test_a_file_with_nothing_new_is_not_committed(bundled_store: Store):
    example = (ROOT / "docs" / "example_filled.csv").read_text("utf-8-sig")
    real_rows = "\r\n".join(line for line in example.splitlines()
                            if "EXAMPLE" not in line) + "\r\n"
    prepared = prepare(real_rows.encode(), "example.csv", bundled_store)
    assert prepared.counts == {"new": 0, "changed": 0, "unchanged": 8}
    assert prepared.nothing_to_import
    before = bundled_store.table_checksums()
    with pytest.raises(ImportRejected) as caught:
        commit(prepared, bundled_store, kind="upload", contributor=None, organisation="X")
    assert "already in the database with the same value" in caught.value.problems[0].message
    assert bundled_store.table_checksums() == before


def test_formulas_in_notes_are_stored_as_text_and_neutralised_in_exports(bundled_store):
    data = (GOOD / "formula_in_note.csv").read_bytes()
    approve(bundled_store, commit(prepare(data, "formula_in_note.csv", bundled_store,
                                          organisation=NGO),
                                  bundled_store, kind="cli", contributor="Ana",
                                  organisation=NGO))
    kenya = _figure(bundled_store, "KEN", 2019, "victims_reported")
    assert kenya["note"] == '=HYPERLINK("http://example.invalid","more")'
    exported = safe_csv_text(observations_for_export(bundled_store.observations(),
                                                     bundled_store.sources()))
    assert """'=HYPERLINK(""http://example.invalid"",""more"")""" in exported
    assert "'+cmd|' /C calc'!A0" in exported
    assert "'@SUM(1+1)" in exported
    assert ',=HYPERLINK' not in exported and ',"=HYPERLINK' not in exported


def test_oversized_file_is_refused_with_the_limit(bundled_store: Store, tmp_path: Path):
    header = b"country,year,measure,value,source,note\r\n"
    row = b"Kenya,2019,victims_reported,40,SYNTHETIC TEST DATA,\r\n"
    data = header + row * (1_500_000 // len(row))  # generated here, never committed
    assert 1.4 < len(data) / 2**20 < 1.45
    before = bundled_store.table_checksums()
    with pytest.raises(ImportRejected) as caught:
        prepare(data, "big.csv", bundled_store, limit_bytes=1024 * 1024)
    problem = caught.value.problems[0]
    assert problem.message == "The file is 1.4 MB; the largest file accepted is 1.0 MB."
    assert problem.fix.startswith("Split it into smaller files")
    assert bundled_store.table_checksums() == before


def test_default_limit_comes_from_settings(bundled_store: Store, monkeypatch):
    monkeypatch.setenv("INDICATORS_UPLOAD_LIMIT_MB", "0.001")
    with pytest.raises(ImportRejected) as caught:
        prepare(CHANGE * 5, "change.csv", bundled_store)
    assert "the largest file accepted is 0.0 MB" in caught.value.problems[0].message


def test_problems_table_reads_in_plain_words(bundled_store: Store):
    with pytest.raises(ImportRejected) as caught:
        prepare(b"country,year,measure,value,source\r\nCongo,2019,victims_reported,3,x\r\n",
                "f.csv", bundled_store)
    table = problems_table(caught.value.problems)
    assert table.columns == ["Kind", "Row", "Column", "Value", "Problem", "What to do"]
    assert table.row(0, named=True)["Kind"] == "Error"
    assert table.row(0, named=True)["Row"] == 2


def test_cli_import_history_rollback(bundled_db: Path, tmp_path: Path, capsys):
    good = tmp_path / "change.csv"
    good.write_bytes(CHANGE)
    who = ["--contributor", "Ana", "--organisation", NGO]
    assert main(["import", str(good), "--db", str(bundled_db), *who, "--dry-run"]) == 0
    assert "Dry run: nothing was written." in capsys.readouterr().out
    assert main(["import", str(good), "--db", str(bundled_db), *who]) == 0
    out = capsys.readouterr().out
    assert "change.csv: 4 new, 0 changed, 0 unchanged figures" in out  # the NGO's own series
    assert "Submitted as batch 6 for review." in out
    assert main(["import", str(good), "--db", str(bundled_db), *who]) == 0
    assert "already submitted as batch 6" in capsys.readouterr().out
    assert main(["history", "--db", str(bundled_db), "--format", "csv"]) == 0
    assert ",import (command line),awaiting review,Test NGO,Ana," in \
        capsys.readouterr().out.splitlines()[1]
    assert main(["rollback", "6", "--db", str(bundled_db)]) == 1
    assert "awaiting review" in capsys.readouterr().err
    assert main(["review", "approve", "6", "--reviewer", "Ana", "--db", str(bundled_db)]) == 1
    assert capsys.readouterr().err.strip() == (
        "error: You submitted batch 6, so you cannot approve it: another reviewer must.")
    assert main(["review", "approve", "6", "--reviewer", "Ben", "--db", str(bundled_db)]) == 0
    assert "Batch 6 approved by Ben" in capsys.readouterr().out

    assert main(["history", "--db", str(bundled_db), "--format", "csv"]) == 0
    lines = capsys.readouterr().out.splitlines()
    assert lines[0].startswith("Batch,When,What,Status,Organisation,Contributor,File")
    assert lines[1].startswith("6,") and ",import (command line),published,Test NGO,Ana," \
        "change.csv,4,0,0," in lines[1]
    assert main(["history", "--db", str(bundled_db), "--batch", "6", "--format", "csv"]) == 0
    assert "United Kingdom (GBR),2019,persons_convicted,no data,260,new" in \
        capsys.readouterr().out

    assert main(["rollback", "6", "--db", str(bundled_db)]) == 0
    assert "Batch 6 rolled back (recorded as batch 7)" in capsys.readouterr().out
    assert main(["rollback", "6", "--db", str(bundled_db)]) == 1
    assert "already rolled back" in capsys.readouterr().err

    bad = tmp_path / "bad.csv"
    bad.write_bytes(b"country,year,measure,value,source\r\nKorea,2019,victims_reported,3,x\r\n")
    before = Store(bundled_db, read_only=True)
    checksums = before.table_checksums()
    before.close()
    assert main(["import", str(bad), "--db", str(bundled_db), *who]) == 2
    err = capsys.readouterr().err
    assert "error: bad.csv, row 2, column 'country', value 'Korea'" in err
    assert "Nothing was written; the database is unchanged." in err
    with Store(bundled_db, read_only=True) as after:
        assert after.table_checksums() == checksums


def test_token_new_prints_the_token_once_and_its_digest(bundled_db: Path):
    # a database of its own: the token command stores the digest, never in the project's data/
    result = subprocess.run([sys.executable, "-m", "indicators", "token", "new", "Example NGO",
                             "--db", str(bundled_db)],
                            capture_output=True, text=True, cwd=ROOT, check=True)
    lines = [line.strip() for line in result.stdout.splitlines() if line.strip()]
    token = lines[1]
    from indicators.auth import token_digest

    digest = token_digest(token)
    assert f'"Example NGO" = "{digest}"' in lines
    assert f"Example NGO={digest}" in lines
    assert result.stdout.count(token) == 1
    with Store(str(bundled_db), read_only=True) as store:
        assert [(r["digest"], r["name"], r["role"], r["organisation"])
                for r in store.access_tokens()] == [
            (digest, "Example NGO", "contributor", "Example NGO")]
    refused = subprocess.run([sys.executable, "-m", "indicators", "token", "new", "A,B",
                              "--db", str(bundled_db)],
                             capture_output=True, text=True, cwd=ROOT)
    assert refused.returncode == 1 and "no commas" in refused.stderr


def test_replacing_a_published_figure_is_warned_about_in_plain_words(bundled_store: Store):
    # UNODC published 251 persons convicted for the United Kingdom in 2019.
    data = (b"country,year,measure,value,source,note\n"
            b"GBR,2019,persons_convicted,260,SYNTHETIC TEST DATA,\n"
            b"GBR,2019,victims_prosecuted,0,SYNTHETIC TEST DATA,\n")
    prepared = prepare(data, "gbr.csv", bundled_store)
    replaced = [w for w in prepared.warnings if w.message.startswith("This differs")]
    assert len(replaced) == 1
    warning = replaced[0]
    assert warning.message == ("This differs from the figure UNODC published for United Kingdom "
                               "(GBR) 2019 persons_convicted (251).")
    assert (warning.row, warning.column, warning.value) == (2, "value", "260")


def test_a_file_rejected_before_is_sent_again_with_the_reason_shown(bundled_store: Store,
                                                                     tmp_path, capsys):
    """A reviewer rejected a file with a reason; the organisation sent the same file again and
    the preview offered 'Submit 4 figures for review' without a word of the rejection. The
    preview (and the command line) now say which batch was rejected, when and why."""
    store = bundled_store
    prepared = prepare(CHANGE, "change.csv", store, organisation=NGO)
    assert prepared.rejected_before is None
    batch_id = commit(prepared, store, kind="upload", contributor="Ana", organisation=NGO)
    store.reject_batch(batch_id, reviewer="Ben", reason="Kenya's 0 needs its source page.")

    again = prepare(CHANGE, "change-again.csv", store, organisation=NGO)
    assert again.already_imported is None  # a rejected file may be sent again
    assert {k: again.rejected_before[k] for k in ("id", "reviewed_by", "review_note")} == {
        "id": batch_id, "reviewed_by": "Ben", "review_note": "Kenya's 0 needs its source page."}
    # another organisation's rejection is not this one's
    assert prepare(CHANGE, "change.csv", store, organisation="Other NGO").rejected_before is None

    path = tmp_path / "change.csv"
    path.write_bytes(CHANGE)
    code = main(["import", str(path), "--db", str(store.path), "--organisation", NGO,
                 "--contributor", "Ana", "--dry-run"])
    assert code == 0
    err = capsys.readouterr().err
    assert f"warning: a reviewer rejected this exact file as batch {batch_id} on " in err
    assert "saying: \"Kenya's 0 needs its source page.\"" in err
