"""The templates in docs/ are the ones the page offers, and the example's figures are real."""

from __future__ import annotations

import csv
import io
from pathlib import Path

from indicators.measures import CONTEXT_MEASURES, MEASURES
from indicators.store import Store
from indicators.templates import EXAMPLE_ROWS, TEMPLATE_FILES, as_excel_csv
from indicators.upload.shape import EXAMPLE_MARKER

ROOT = Path(__file__).resolve().parents[2]
DOCS = ROOT / "docs"


def test_docs_files_equal_what_the_page_offers():
    for name, (_, make) in TEMPLATE_FILES.items():
        assert (DOCS / name).read_bytes() == as_excel_csv(make()), name


def test_wide_template_has_a_column_per_measure():
    header = (DOCS / "template_wide.csv").read_text("utf-8-sig").splitlines()[0].split(",")
    assert header[:4] == ["country", "year", "source", "note"]
    assert set(header[4:]) == set(MEASURES) - set(CONTEXT_MEASURES)


def test_example_copies_real_published_figures(bundled_db_template: Path):
    with Store(bundled_db_template, read_only=True) as store:
        current = store.observations()
    names = {"United Kingdom": "GBR", "Philippines": "PHL", "Iceland": "ISL"}
    real = [row for row in EXAMPLE_ROWS if row[4] != EXAMPLE_MARKER]
    assert len(real) == 8
    for country, year, measure, value, source, _ in real:
        found = current.filter((current["iso3"] == names[country])
                               & (current["year"] == int(year))
                               & (current["measure"] == measure)).row(0, named=True)
        assert found["source_citation"] == source
        if value == "<5":
            assert found["value_status"] == "suppressed"
        else:
            assert found["value"] == float(value)
    made_up = [row for row in EXAMPLE_ROWS if row[4] == EXAMPLE_MARKER]
    assert [row[2] for row in made_up] == ["victims_reported"]


def test_upload_guide_lists_every_corpus_file_and_every_measure():
    guide = (DOCS / "upload.md").read_text("utf-8")
    for folder in ("bad_uploads", "good_uploads"):
        with open(ROOT / "tests" / "data" / folder / "EXPECTED.csv", encoding="utf-8") as f:
            for line in csv.DictReader(io.StringIO(f.read())):
                assert f"`{line['file']}`" in guide, line["file"]
    for name in MEASURES:
        assert f"`{name}`" in guide, name
