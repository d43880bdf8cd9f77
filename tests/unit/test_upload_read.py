"""Bytes → cells: encodings, separators, workbooks, and the files that are refused."""

from __future__ import annotations

import io

import pytest

from indicators.problems import ImportRejected
from indicators.upload.read import decode_text, detect_delimiter, read_table, sniff

TEXT = "country;year;note\r\nCôte d'Ivoire;2019;Ministère – données\r\n"


@pytest.mark.parametrize(
    ("data", "label"),
    [
        (TEXT.encode("utf-8"), "UTF-8"),
        (b"\xef\xbb\xbf" + TEXT.encode("utf-8"), "UTF-8 (with byte-order mark)"),
        (b"\xff\xfe" + TEXT.encode("utf-16-le"), "UTF-16 (little-endian)"),
        (b"\xfe\xff" + TEXT.encode("utf-16-be"), "UTF-16 (big-endian)"),
        (TEXT.encode("utf-16-le"), "UTF-16 (little-endian)"),  # no byte-order mark
        (TEXT.encode("cp1252"), "Windows-1252"),
    ],
)
def test_encodings(data, label):
    text, found = decode_text(data, "f.csv")
    assert text == TEXT
    assert found == label


def test_latin1_bytes_that_windows_1252_cannot_decode():
    data = "country;note\r\nPeru;a\x81b é\r\n".encode("latin-1")
    text, label = decode_text(data, "f.csv")
    assert label == "Latin-1 (ISO-8859-1)"
    assert "é" in text


@pytest.mark.parametrize(
    ("line", "delimiter"),
    [("a,b,c", ","), ("a;b;c", ";"), ("a\tb\tc", "\t"), ('"a;b",c,d', ","), ("a;b,c;d", ";"),
     ("single", ",")],
)
def test_delimiter(line, delimiter):
    assert detect_delimiter(line + "\n1,2,3\n") == delimiter


def test_rows_are_numbered_as_the_spreadsheet_shows_them():
    data = b'country,year,note\r\n\r\nKenya,2019,"two\nlines"\r\nGhana,2019,x\r\n'
    grid = read_table(data, "f.csv")
    rows = grid.cells.to_dicts()
    assert [r["_row"] for r in rows] == [1, 2, 3, 4]
    assert rows[2]["c2"] == "two\nlines"
    assert rows[3]["c0"] == "Ghana"


def test_excel_sep_line_is_hidden_like_excel_does():
    grid = read_table(b"sep=;\r\ncountry;year\r\nKenya;2019\r\n", "f.csv")
    assert grid.info.delimiter == ";"
    assert grid.cells.row(0, named=True)["c0"] == "country"
    assert grid.cells.row(0, named=True)["_row"] == 1


def test_xlsx_rows_keep_their_sheet_numbers():
    import openpyxl

    book = openpyxl.Workbook()
    sheet = book.active
    sheet["B3"] = "country"
    sheet["C3"] = "year"
    sheet["B5"] = "Kenya"
    sheet["C5"] = 2019
    buffer = io.BytesIO()
    book.save(buffer)
    grid = read_table(buffer.getvalue(), "f.xlsx")
    assert grid.info.kind == "xlsx"
    filled = [r for r in grid.cells.to_dicts() if any(v for k, v in r.items() if k != "_row")]
    # Row numbers are kept; empty leading columns are not read (messages name columns by header).
    assert [(r["_row"], r["c0"], r["c1"]) for r in filled] == [
        (3, "country", "year"), (5, "Kenya", "2019")]


@pytest.mark.parametrize(
    ("head", "kind"),
    [(b"%PDF-1.4", "pdf"), (b"\x89PNG\r\n\x1a\n", "image"), (b"\xff\xd8\xff\xe0", "image"),
     (b"GIF89a", "image"), (b"\xd0\xcf\x11\xe0\xa1\xb1", "xls"), (b"\x1f\x8b\x08", "archive"),
     (b"PK\x03\x04garbage", "zip"), (b"country,year", "text")],
)
def test_sniff(head, kind):
    assert sniff(head + bytes(20)) == kind or kind == "text"
    if kind == "text":
        assert sniff(head) == "text"


def test_size_limit_message():
    with pytest.raises(ImportRejected) as caught:
        read_table(b"x" * 2_000_000, "big.csv", limit_bytes=1_048_576)
    problem = caught.value.problems[0]
    assert problem.message == "The file is 1.9 MB; the largest file accepted is 1.0 MB."
    assert "Split it" in problem.fix


def test_text_full_of_control_characters_is_refused():
    with pytest.raises(ImportRejected) as caught:
        read_table(bytes(range(1, 32)) * 40, "f.csv")
    assert "not text or a spreadsheet" in caught.value.problems[0].message


def test_a_cell_longer_than_the_limit_is_refused_clearly():
    with pytest.raises(ImportRejected) as caught:
        read_table(b"country,note\r\nKenya," + b"x" * 200_000 + b"\r\n", "f.csv")
    assert "could not be read as a table near row 2" in caught.value.problems[0].message
