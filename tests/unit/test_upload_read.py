"""Bytes → cells: encodings, separators, workbooks, and the files that are refused."""

from __future__ import annotations

import io

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from indicators.problems import ImportRejected
from indicators.tables.read import (
    _read_regular_csv,
    decode_text,
    detect_delimiter,
    read_csv_records,
    read_table,
    sniff,
)

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


# -- the fast path (Polars' reader) reads exactly as the csv module does --------------------------
def test_a_spreadsheet_csv_takes_the_fast_path_and_reads_the_same():
    text = ('country,year,measure,value,source,note\r\n'
            'Kenya,2019,persons_convicted,"1,240","Ministry of Interior, report ""2019""",\r\n'
            'Ghana,2019,victims_detected,<5,Police,""\r\n')
    fast = _read_regular_csv(text, ",", 1)
    assert fast is not None
    assert fast.equals(read_csv_records(text, ",", 1, "f.csv"))
    assert fast.row(1) == ("Kenya", "2019", "persons_convicted", "1,240",
                           'Ministry of Interior, report "2019"', "", 2)


def test_empty_lines_at_the_end_are_rows_of_their_own_on_the_fast_path_too():
    text = "country,year\r\nKenya,2019\r\n\r\n\n"
    fast = _read_regular_csv(text, ",", 1)
    assert fast is not None
    assert fast.equals(read_csv_records(text, ",", 1, "f.csv"))
    assert fast["_row"].to_list() == [1, 2, 3, 4]
    assert fast.row(3) == (None, None, 4)


@pytest.mark.parametrize(
    "text",
    [
        "country,year\nKenya,2019,extra\n",  # a row longer than the first
        "country,year,note\nKenya,2019\n",  # a row shorter: its missing cell is null, not ''
        "country,year\n\nKenya,2019\n",  # an empty line is a row of its own
        'country,note\nKenya,"two\nlines"\n',  # a line break inside quotes
        'country,note\nKenya,a"b\n',  # a quote inside an unquoted cell
        'country,note\nKenya,"a"b\n',  # text after the closing quote
        "country,note\rKenya,x\r",  # old Mac line ends
        "country\nKenya\n",  # one column
    ],
)
def test_irregular_text_is_left_to_the_csv_module(text):
    assert _read_regular_csv(text, ",", 1) is None


CELL_TEXT = st.text(alphabet=st.sampled_from(list('aaabbb  ,;\t"é€<5.%\x0b\x85\u2028') + ["\n"]),
                    max_size=4)


@st.composite
def csv_texts(draw: st.DrawFn, regular: bool = False) -> tuple[str, str]:
    """Grids written the ways spreadsheets (and people) write them: quoted or not, doubled
    quotes or not, LF or CRLF, now and then a row of another width or an empty line. A
    `regular` grid is written the way spreadsheets write it, and only so."""
    delimiter = draw(st.sampled_from([",", ";", "\t", "|"]))
    width = draw(st.integers(2 if regular else 1, 5))
    lines = []
    for _ in range(draw(st.integers(1, 5))):
        ragged = not regular and draw(st.integers(0, 9)) == 0
        cells = draw(st.lists(CELL_TEXT, min_size=0 if ragged else width,
                              max_size=width + 1 if ragged else width))
        written = []
        for cell in cells:
            if regular:
                cell = cell.replace("\n", " ")
                needed = bool(set(cell) & {delimiter, '"'})
                style = "quoted" if needed or draw(st.booleans()) else "plain"
            else:
                style = draw(st.sampled_from(["plain"] * 5 + ["quoted"] * 4 + ["broken"]))
            if style == "quoted":
                cell = '"' + cell.replace('"', '""') + '"'
            elif style == "broken":
                cell = '"' + cell + '"'
            written.append(cell)
        lines.append(delimiter.join(written))
    end = draw(st.sampled_from(["\n", "\r\n"] if regular else ["\n", "\r\n", "\r"]))
    return end.join(lines) + draw(st.sampled_from(["", end] if regular else ["", end, "\n\n"])), \
        delimiter


@settings(max_examples=300, deadline=None)
@given(case=csv_texts())
def test_the_fast_path_reads_every_text_it_takes_as_the_csv_module_does(case):
    text, delimiter = case
    fast = _read_regular_csv(text, delimiter, 1)
    if fast is not None:
        assert fast.equals(read_csv_records(text, delimiter, 1, "f.csv"))


@settings(max_examples=300, deadline=None)
@given(case=csv_texts(regular=True))
def test_files_written_as_spreadsheets_write_them_take_the_fast_path(case):
    text, delimiter = case
    fast = _read_regular_csv(text, delimiter, 1)
    assert fast is not None
    assert fast.equals(read_csv_records(text, delimiter, 1, "f.csv"))


def _workbook(sheets: list[tuple[str, str, list[list[object]]]]) -> bytes:
    """An .xlsx of (name, state, rows) sheets; state is visible, hidden or veryHidden."""
    import openpyxl

    book = openpyxl.Workbook()
    book.remove(book.active)
    for name, state, rows in sheets:
        sheet = book.create_sheet(name)
        for row in rows:
            sheet.append(row)
        sheet.sheet_state = state
    book.active = next(i for i, (_, state, _) in enumerate(sheets) if state == "visible")
    buffer = io.BytesIO()
    book.save(buffer)
    return buffer.getvalue()


def test_hidden_sheets_are_never_read_the_first_visible_one_is():
    data = _workbook([("Old", "hidden", [["old"]]), ("Secret", "veryHidden", [["secret"]]),
                      ("Figures", "visible", [["country"], ["Kenya"]]),
                      ("Notes", "visible", [["notes"]])])
    grid = read_table(data, "f.xlsx")
    assert grid.info.sheet == "Figures"
    assert grid.info.hidden == ("Old", "Secret")
    assert grid.cells["c0"].to_list() == ["country", "Kenya"]
    assert grid.info.describe() == ("Read as an Excel workbook, sheet 'Figures' (the first "
                                     "visible sheet; hidden sheets are not read).")
    assert [w.message for w in grid.warnings] == [
        "Only the first visible sheet, 'Figures', was read; the workbook has 4 sheets. The "
        "hidden sheets 'Old', 'Secret' were not read (hidden sheets never are)."]


def test_a_workbook_whose_first_sheet_is_visible_reads_it_as_before():
    grid = read_table(_workbook([("Figures", "visible", [["country"]]),
                                 ("Old", "hidden", [["old"]])]), "f.xlsx")
    assert (grid.info.sheet, grid.info.hidden) == ("Figures", ())
    assert grid.info.describe() == "Read as an Excel workbook, sheet 'Figures'."
    assert [w.message for w in grid.warnings] == [
        "Only the first sheet, 'Figures', was read; the workbook has 2 sheets."]


def test_a_published_table_is_never_found_on_a_hidden_sheet(tmp_path):
    from indicators.tables import Column, read_source_table

    header = ["Country", "Year", "Value"]
    path = tmp_path / "release.xlsx"
    path.write_bytes(_workbook([("Cover", "visible", [["A title"]]),
                                ("Old", "hidden", [header, ["Atlantis", 1999, 1]]),
                                ("Data", "visible", [header, ["Kenya", 2019, 40]])]))
    table = read_source_table(path, [Column("Country"), Column("Year"), Column("Value")])
    assert table.sheet == "Data"
    assert table.frame.select("Country", "Year", "Value").rows() == [("Kenya", "2019", "40")]
