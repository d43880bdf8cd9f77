"""Bytes → a grid of text cells, with the spreadsheet row number of every row.

What a contributor sends is whatever their spreadsheet wrote: CSV in UTF-8 (with or without a
byte-order mark), UTF-16 ("Unicode text" from Excel), or Windows-1252/Latin-1; separated by
commas, semicolons or tabs; or an .xlsx workbook. Everything else (PDFs, images, archives,
old .xls files, empty files) is refused here with a message that says what to do instead.

Nothing here interprets the cells: numbers, countries and years stay text until `shape`.
"""

from __future__ import annotations

import csv
import gc
import io
import itertools
import re
import zipfile
from collections.abc import Iterator
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field
from typing import Any

import polars as pl

from indicators.i18n import N_
from indicators.problems import WARNING, ImportRejected, Problem, said
from indicators.settings import upload_limit_bytes

ROW_COLUMN = "_row"
DELIMITER_NAMES = {",": N_("commas"), ";": N_("semicolons"), "\t": N_("tabs")}
MAX_CSV_CELL = 100_000  # characters in one cell; longer is not a figure file
MAX_XLSX_UNPACKED = 400 * 1024 * 1024  # an .xlsx that unpacks to more than this is refused
TEMPLATE_HINT = said(N_("Start from the template on the Upload page (docs/template_long.csv)."))


@dataclass(frozen=True)
class ReadInfo:
    """How the file was read, said back to the contributor in the preview."""

    kind: str  # "csv" or "xlsx"
    encoding: str | None = None  # as a person names it: "UTF-8", "Windows-1252", …
    delimiter: str | None = None
    sheet: str | None = None
    hidden: tuple[str, ...] = ()  # hidden sheets before the one read: never read

    def describe(self) -> str:
        if self.kind == "xlsx" and self.hidden:
            return said(N_("Read as an Excel workbook, sheet '{sheet}' (the first visible sheet; "
                           "hidden sheets are not read)."), sheet=self.sheet)
        if self.kind == "xlsx":
            return said(N_("Read as an Excel workbook, sheet '{sheet}'."), sheet=self.sheet)
        named = DELIMITER_NAMES.get(self.delimiter or ",")
        separator = said(named) if named else repr(self.delimiter)
        return said(N_("Read as CSV text in {encoding}, columns separated by {separator}."),
                    encoding=self.encoding, separator=separator)


@dataclass
class Grid:
    """Every row of the file as text cells `c0`, `c1`, … and `_row` (the first row is 1)."""

    cells: pl.DataFrame
    info: ReadInfo
    warnings: list[Problem] = field(default_factory=list)


def refuse(file_name: str, message: str, fix: str) -> ImportRejected:
    return ImportRejected([Problem(message, fix, file_name)])


def read_table(data: bytes, file_name: str, *, limit_bytes: int | None = None) -> Grid:
    """Read a CSV or .xlsx file into text cells; raise ImportRejected for anything else."""
    limit = upload_limit_bytes() if limit_bytes is None else limit_bytes
    if len(data) > limit:
        raise refuse(
            file_name,
            said(N_("The file is {size}; the largest file accepted is {limit}."),
                 size=_megabytes(len(data)), limit=_megabytes(limit)),
            N_("Split it into smaller files (for example one per year) and upload them one by "
               "one."),
        )
    if not data[:4096].strip(b" \t\r\n\x00") and not data.strip(b" \t\r\n\x00"):
        raise refuse(file_name, N_("The file is empty."),
                     said(N_("Fill in the template and save it again. {hint}"),
                          hint=TEMPLATE_HINT))
    kind = sniff(data)
    if kind == "xlsx":
        grid = _read_xlsx(data, file_name)
        if not file_name.lower().endswith((".xlsx", ".xlsm")):
            grid.warnings.append(Problem(
                N_("This file is an Excel workbook although its name does not end in .xlsx; "
                   "it was read as a workbook."),
                N_("Nothing to do, unless you meant to send a different file."),
                file_name, severity=WARNING))
        return grid
    if kind != "text":
        message, fix = _REFUSED[kind]
        raise refuse(file_name, message, fix)
    text, encoding = decode_text(data, file_name)
    return _read_csv(text, encoding, file_name, data)


# -- what kind of file is it --------------------------------------------------------------------
_SAVE_AS = N_("In Excel: File → Save As → 'CSV UTF-8 (Comma delimited)' or 'Excel Workbook "
              "(.xlsx)'.")
_AS_TABLE = said(N_("Upload the figures as a CSV or .xlsx file. {hint}"), hint=TEMPLATE_HINT)
_REFUSED: dict[str, tuple[str, str]] = {
    "pdf": (N_("This is a PDF document, not a table of figures."), _AS_TABLE),
    "image": (N_("This is an image, not a table of figures."), _AS_TABLE),
    "zip": (N_("This is a compressed archive (zip), not a table of figures."),
            N_("Unzip it and upload the CSV or .xlsx file inside.")),
    "archive": (N_("This is a compressed archive, not a table of figures."),
                N_("Unpack it and upload the CSV or .xlsx file inside.")),
    "xls": (N_("This is an old-format Office file (.xls or .doc), which is not accepted."),
            _SAVE_AS),
    "ods": (N_("This is an OpenDocument spreadsheet (.ods), which is not accepted."),
            N_("In LibreOffice: File → Save As → 'Excel 2007-365 (.xlsx)' or 'Text CSV'.")),
    "docx": (N_("This is a Word or PowerPoint document, not a table of figures."),
             said(N_("Copy the table into the template and save it as CSV or .xlsx. {hint}"),
                  hint=TEMPLATE_HINT)),
    "binary": (N_("This file is not text or a spreadsheet: it looks like a program or other "
                  "binary file."), _AS_TABLE),
}


def sniff(data: bytes) -> str:
    """The kind of file from its first bytes: text, xlsx, or a kind that is refused."""
    head = data[:8]
    if head.startswith(b"%PDF"):
        return "pdf"
    if head.startswith((b"\x89PNG", b"\xff\xd8\xff", b"GIF87a", b"GIF89a")) or (
        data[:4] == b"RIFF" and data[8:12] == b"WEBP"
    ):
        return "image"
    if head.startswith(b"\xd0\xcf\x11\xe0"):
        return "xls"
    if head.startswith((b"\x1f\x8b", b"7z\xbc\xaf", b"Rar!", b"BZh")):
        return "archive"
    if head.startswith((b"PK\x03\x04", b"PK\x05\x06")):
        return _zip_kind(data)
    return "text"


def _zip_kind(data: bytes) -> str:
    try:
        with zipfile.ZipFile(io.BytesIO(data)) as archive:
            names = set(archive.namelist())
            if "mimetype" in names and b"opendocument" in archive.read("mimetype")[:100]:
                return "ods"
    except (zipfile.BadZipFile, OSError, ValueError, KeyError, RuntimeError,
            NotImplementedError, EOFError):
        return "zip"
    if "xl/workbook.xml" in names or "xl/workbook.bin" in names:
        return "xlsx"
    if "word/document.xml" in names or "ppt/presentation.xml" in names:
        return "docx"
    return "zip"


# -- text ----------------------------------------------------------------------------------------
_BOMS = (
    (b"\xef\xbb\xbf", "utf-8-sig", said(N_("UTF-8 (with byte-order mark)"))),
    (b"\xff\xfe\x00\x00", "utf-32-le", "UTF-32"),
    (b"\x00\x00\xfe\xff", "utf-32-be", "UTF-32"),
    (b"\xff\xfe", "utf-16-le", "UTF-16 (little-endian)"),
    (b"\xfe\xff", "utf-16-be", "UTF-16 (big-endian)"),
)
# Single-byte encodings in the Windows-1252 family: charset detection cannot tell them apart on
# short files, and Windows-1252 is what Excel writes in western locales.
_WESTERN = {"cp1252", "windows_1252", "latin_1", "iso8859_1", "iso8859_15", "cp1250",
            "iso8859_2", "cp1257", "cp850", "cp775"}
_NOT_TEXT = re.compile(r"[\x00-\x08\x0b\x0e-\x1f\x7f]")


def decode_text(data: bytes, file_name: str) -> tuple[str, str]:
    """The text of the file and the name of its encoding as a person would say it."""
    for bom, codec, label in _BOMS:
        if data.startswith(bom):
            return _decode_strict(data[len(bom):], codec, label, file_name), label
    utf16 = _utf16_without_bom(data)
    if utf16:
        codec, label = utf16
        return _decode_strict(data, codec, label, file_name), label
    if b"\x00" in data:
        raise refuse(file_name, *_REFUSED["binary"])
    try:
        text = data.decode("utf-8")
    except UnicodeDecodeError:
        pass
    else:
        return _check_text(text, file_name), "UTF-8"
    return _decode_single_byte(data, file_name)


def _utf16_without_bom(data: bytes) -> tuple[str, str] | None:
    """UTF-16 written without a byte-order mark: every other byte is zero in Latin text."""
    sample = data[:4000]
    pairs = len(sample) // 2
    if pairs < 4 or len(data) % 2:
        return None
    even_zero = sum(1 for b in sample[0::2] if b == 0)
    odd_zero = sum(1 for b in sample[1::2] if b == 0)
    if odd_zero > 0.6 * pairs and even_zero < 0.05 * pairs:
        return "utf-16-le", "UTF-16 (little-endian)"
    if even_zero > 0.6 * pairs and odd_zero < 0.05 * pairs:
        return "utf-16-be", "UTF-16 (big-endian)"
    return None


def _decode_strict(data: bytes, codec: str, label: str, file_name: str) -> str:
    try:
        text = data.decode(codec)
    except UnicodeDecodeError:
        raise refuse(
            file_name,
            said(N_("The file starts like {encoding} text but is damaged further on."),
                 encoding=label),
            _SAVE_AS,
        ) from None
    return _check_text(text, file_name)


def _decode_single_byte(data: bytes, file_name: str) -> tuple[str, str]:
    from charset_normalizer import from_bytes

    matches = list(from_bytes(data[:200_000]))
    if not matches:
        raise refuse(file_name, *_REFUSED["binary"])
    best = matches[0]
    western = any(
        m.chaos <= best.chaos + 0.02
        and ({m.encoding, *m.could_be_from_charset} & _WESTERN)
        for m in matches
    )
    if western:
        for codec, label in (("cp1252", "Windows-1252"), ("latin-1", "Latin-1 (ISO-8859-1)")):
            try:
                return _check_text(data.decode(codec), file_name), label
            except UnicodeDecodeError:
                continue
    codec = best.encoding
    try:
        text = data.decode(codec)
    except (UnicodeDecodeError, LookupError):
        raise refuse(file_name, N_("The file's text encoding could not be recognised."),
                     _SAVE_AS) from None
    return _check_text(text, file_name), codec


def _check_text(text: str, file_name: str) -> str:
    """Refuse text full of control characters: it is a binary file that happened to decode."""
    sample = text[:20_000]
    strange = len(_NOT_TEXT.findall(sample))
    if strange and (strange > 0.01 * len(sample) or "\x00" in sample):
        raise refuse(file_name, *_REFUSED["binary"])
    return text


def detect_delimiter(text: str) -> str:
    """Comma, semicolon or tab: whichever the header line uses most, outside quotes."""
    for line in _lines(text):
        if not line.strip():
            continue
        unquoted = re.sub(r'"[^"]*"', "", line)
        counts = {d: unquoted.count(d) for d in ("\t", ";", ",")}
        best = max(counts, key=lambda d: counts[d])
        return best if counts[best] else ","
    return ","


def _lines(text: str) -> Iterator[str]:
    """The lines of the text one by one (str.splitlines would split the whole file at once)."""
    start = 0
    for match in re.finditer(r"\r\n|[\n\r\v\f\x1c-\x1e\x85\u2028\u2029]", text):
        yield text[start:match.start()]
        start = match.end()
    if start < len(text):
        yield text[start:]


# The widest file read by the fast path below: its check is one regular expression that repeats
# the cell pattern once per column.
MAX_REGULAR_WIDTH = 200


def _read_regular_csv(text: str, delimiter: str, first_row: int,
                      encoded: bytes | None = None) -> pl.DataFrame | None:
    """The grid read by Polars' CSV reader, for text that it reads exactly as Python's csv
    module does; None for any other text (the csv module then reads it, row by row).

    Regular text: every line has the same number of cells (two or more); quotes only around
    whole cells, with quotes inside doubled; no line break inside quotes; no empty line but at
    the end; lines end in LF or CRLF; no NUL; no cell longer than MAX_CSV_CELL. Spreadsheets
    write such files, and for them one check (a regular expression over the whole text)
    replaces a Python loop over every row. `encoded` is the text as UTF-8 bytes, when the
    caller has them.
    """
    if "\x00" in text or text.startswith("\ufeff") or delimiter in '"\r\n':
        return None
    body = text.rstrip("\r\n")
    if text[len(body):] not in ("", "\n", "\r\n"):  # empty lines at the end: rows of their
        ends = re.fullmatch(r"(?:\r?\n)+", text[len(body):])  # own, added back below
        if ends is None:
            return None
        blank = ends.group().count("\n") - 1
        grid = _read_regular_csv(body + "\n", delimiter, first_row)
        if grid is None:
            return None
        rows = pl.int_range(first_row + grid.height, first_row + grid.height + blank,
                            dtype=pl.Int64, eager=True)
        empty = pl.DataFrame({c: pl.Series([None] * blank, dtype=pl.String)
                              for c in grid.columns if c != ROW_COLUMN}).with_columns(
            rows.alias(ROW_COLUMN))
        return pl.concat([grid, empty])
    width = _first_line_width(text, delimiter)
    if width is None or not 2 <= width <= MAX_REGULAR_WIDTH:
        return None
    with ThreadPoolExecutor(max_workers=1) as pool:
        # The check and the reading are independent and Polars lets go of the interpreter
        # during both, so they run side by side.
        regular = pool.submit(_is_regular, text, delimiter, width)
        try:
            frame: pl.DataFrame | None = pl.read_csv(
                text.encode() if encoded is None else encoded, has_header=False,
                infer_schema=False, separator=delimiter, quote_char='"',
                empty_string_is_null=False, truncate_ragged_lines=False, raise_if_empty=False,
            )
        except (pl.exceptions.PolarsError, ValueError, OverflowError):
            frame = None
        if not regular.result() or frame is None or frame.width != width or frame.height == 0:
            return None
    longest = frame.select(pl.max_horizontal(pl.all().str.len_bytes().max())).item()
    if longest > MAX_CSV_CELL and frame.select(
            pl.max_horizontal(pl.all().str.len_chars().max())).item() > MAX_CSV_CELL:
        return None
    return frame.rename({old: f"c{i}" for i, old in enumerate(frame.columns)}).with_columns(
        pl.int_range(first_row, first_row + frame.height, dtype=pl.Int64).alias(ROW_COLUMN))


def _first_line_width(text: str, delimiter: str) -> int | None:
    """How many cells the first line has, as the csv module reads it on its own."""
    end = text.find("\n")
    first = text if end < 0 else text[:end]
    try:
        return len(next(csv.reader([first.removesuffix("\r")], delimiter=delimiter)))
    except (csv.Error, StopIteration):
        return None


def _is_regular(text: str, delimiter: str, width: int) -> bool:
    """Every line is `width` cells, each plain (no quote, separator or line break) or quoted
    whole with its quotes doubled, ending in LF or CRLF: text Polars reads as csv does."""
    sep = f"\\x{{{ord(delimiter):X}}}"  # the separator, escaped the way Rust's regex reads it
    cell = rf'(?:"(?:[^"\r\n]|"")*"|[^"{sep}\r\n]*)'
    line = rf"{cell}(?:{sep}{cell}){{{width - 1}}}"
    return bool(pl.Series([text]).str.contains(rf"\A(?:{line}\r?\n)*(?:{line})?\z").item())


def _read_csv(text: str, encoding: str, file_name: str, data: bytes | None = None) -> Grid:
    first_row = 1
    sep_hint = re.match(r"sep=(.)\r?\n", text)  # Excel's "sep=;" line, hidden when opened
    if sep_hint:
        delimiter = sep_hint.group(1)
        text = text[sep_hint.end():]
    else:
        delimiter = detect_delimiter(text)
    # The file's own bytes are the text's UTF-8 when it was read as UTF-8 from the first byte.
    encoded = data if encoding == "UTF-8" and not sep_hint else None
    cells = _read_regular_csv(text, delimiter, first_row, encoded)
    if cells is None:
        cells = read_csv_records(text, delimiter, first_row, file_name)
    return Grid(cells, ReadInfo("csv", encoding=encoding, delimiter=delimiter))


def read_csv_records(text: str, delimiter: str, first_row: int, file_name: str) -> pl.DataFrame:
    """The grid as Python's csv module reads it, record by record: the reference reading, used
    for every text the fast path does not take (ragged rows, line breaks inside quotes…)."""
    records: list[list[str]] = []
    reader = csv.reader(io.StringIO(text, newline=""), delimiter=delimiter, strict=False)
    old_limit = csv.field_size_limit()
    csv.field_size_limit(MAX_CSV_CELL)
    # Hundreds of thousands of small lists make the cyclic garbage collector rescan them over
    # and over; none of them can form a cycle, so it is paused while they are built.
    collecting = gc.isenabled()
    gc.disable()
    try:
        for record in reader:
            records.append(record)
        return _grid_frame(records, first_row)
    except csv.Error as exc:
        raise refuse(
            file_name,
            said(N_("The file could not be read as a table near row {row} ({reason})."),
                 row=len(records) + first_row, reason=exc),
            said(N_("Open it in Excel and save it again as 'CSV UTF-8'. {hint}"),
                 hint=TEMPLATE_HINT),
        ) from None
    finally:
        csv.field_size_limit(old_limit)
        if collecting:
            gc.enable()


def _grid_frame(records: list[list[str]], first_row: int) -> pl.DataFrame:
    """Records → columns c0, c1, …; a cell missing from a short record is null, not ''."""
    columns = list(itertools.zip_longest(*records)) if records else []
    frame = pl.DataFrame({f"c{i}": column for i, column in enumerate(columns)},
                         schema={f"c{i}": pl.String for i in range(len(columns))})
    width = len(columns)
    rows = pl.int_range(first_row, first_row + len(records), dtype=pl.Int64, eager=True)
    return frame.with_columns(rows.alias(ROW_COLUMN)) if width else pl.DataFrame(
        {ROW_COLUMN: rows})


# -- xlsx ----------------------------------------------------------------------------------------
@dataclass(frozen=True)
class Sheet:
    """One sheet of a workbook as text cells `c0`, `c1`, … and `_row` (the first row is 1)."""

    name: str
    cells: pl.DataFrame
    visible: bool  # False for a sheet hidden in Excel (or "very hidden")


def open_workbook(data: bytes) -> Any:
    """A fastexcel reader over the workbook's bytes (its `sheet_names` name every sheet)."""
    import fastexcel

    return fastexcel.read_excel(data)


def load_sheet(workbook: Any, index: int) -> Sheet:
    """The sheet at `index` of a workbook opened by `open_workbook`, every cell as text."""
    sheet = workbook.load_sheet(index, header_row=None, skip_rows=0, dtypes="string")
    frame = sheet.to_polars()
    frame = frame.rename({old: f"c{i}" for i, old in enumerate(frame.columns)})
    cells = frame.with_columns(pl.all().cast(pl.String)).with_columns(
        pl.int_range(1, frame.height + 1, dtype=pl.Int64).alias(ROW_COLUMN))
    return Sheet(sheet.name, cells, sheet.visible == "visible")


def _read_xlsx(data: bytes, file_name: str) -> Grid:
    """The first visible sheet: a sheet hidden in Excel is never read (what a person sees on
    opening the workbook is what is imported)."""
    with zipfile.ZipFile(io.BytesIO(data)) as archive:
        unpacked = sum(info.file_size for info in archive.infolist())
    if unpacked > MAX_XLSX_UNPACKED:
        raise refuse(file_name, N_("The workbook is too large once unpacked."),
                     N_("Save only the sheet with the figures, as CSV, and upload that."))
    hidden: list[str] = []
    try:
        workbook = open_workbook(data)
        names = workbook.sheet_names
        if not names:
            raise refuse(file_name, N_("The workbook has no sheets."), TEMPLATE_HINT)
        for index in range(len(names)):
            sheet = load_sheet(workbook, index)
            if sheet.visible:
                break
            hidden.append(sheet.name)
        else:
            raise refuse(
                file_name,
                said(N_("Every sheet of the workbook is hidden ({sheets}), and hidden sheets are "
                        "never read."), sheets=_quoted(hidden)),
                N_("In Excel, right-click a sheet tab → Unhide, show the sheet with the figures, "
                   "and save again."))
    except ImportRejected:
        raise
    except Exception as exc:  # noqa: BLE001 - any reader failure is the file's, not ours
        raise refuse(
            file_name,
            said(N_("The Excel file could not be read ({reason})."), reason=_first_line(exc)),
            N_("Open it in Excel and save it again as .xlsx, or as 'CSV UTF-8'."),
        ) from None
    warnings = []
    if len(names) > 1:
        which = said(N_("the first visible sheet") if hidden else N_("the first sheet"))
        skipped = ("" if not hidden else said(N_(" The hidden sheet {sheets} was not read "
                                                 "(hidden sheets never are)."),
                                              sheets=_quoted(hidden)) if len(hidden) == 1 else
                   said(N_(" The hidden sheets {sheets} were not read (hidden sheets never "
                           "are)."), sheets=_quoted(hidden)))
        warnings.append(Problem(
            said(N_("Only {which}, '{sheet}', was read; the workbook has {count} "
                    "sheets.{skipped}"), which=which, sheet=sheet.name, count=len(names),
                 skipped=skipped),
            said(N_("Put all the figures on {which}, or upload each sheet as its own file."),
                 which=which),
            file_name, severity=WARNING))
    return Grid(sheet.cells, ReadInfo("xlsx", sheet=sheet.name, hidden=tuple(hidden)), warnings)


def _quoted(names: list[str]) -> str:
    return ", ".join(f"'{name}'" for name in names)


def _megabytes(size: int) -> str:
    return f"{size / (1024 * 1024):.1f} MB"


def _first_line(exc: BaseException) -> str:
    text = str(exc).strip()
    return text.splitlines()[0][:200] if text else type(exc).__name__
