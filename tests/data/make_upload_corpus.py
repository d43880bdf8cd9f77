"""Write the upload test corpus: tests/data/bad_uploads/ and tests/data/good_uploads/.

The files are committed; this script documents exactly how their bytes were made (encodings,
separators, binaries) and can write them again:

    .venv/bin/python tests/data/make_upload_corpus.py

Every figure in them is made up for testing and says so in its source column
("SYNTHETIC TEST DATA"), except where the source cell itself is what a file tests.
The expected messages are in EXPECTED.csv next to the files (edited by hand).
"""

from __future__ import annotations

import io
import zipfile
from pathlib import Path

HERE = Path(__file__).parent
BAD = HERE / "bad_uploads"
GOOD = HERE / "good_uploads"
S = "SYNTHETIC TEST DATA"
HEADER = "country,year,measure,value,source,note"


def lines(*rows: str, end: str = "\r\n") -> str:
    return end.join(rows) + end


def long(*rows: str) -> str:
    return lines(HEADER, *rows)


def xlsx(rows: list[list[object]], *, title_rows: list[str] = (), sheets: int = 1,
         hidden_before: list[list[object]] | None = None, hide_all: bool = False) -> bytes:
    """A workbook with `rows` on sheet 'Figures'; `hidden_before`, a hidden sheet 'Old
    figures' in front of it with those rows; `hide_all`, every sheet hidden."""
    import openpyxl

    book = openpyxl.Workbook()
    if hidden_before is not None:
        old = book.active
        old.title = "Old figures"
        for row in hidden_before:
            old.append(row)
        old.sheet_state = "hidden"
        sheet = book.create_sheet("Figures")
        book.active = 1
    else:
        sheet = book.active
        sheet.title = "Figures"
    for title in title_rows:
        sheet.append([title])
    for row in rows:
        sheet.append(row)
    for n in range(1, sheets):
        book.create_sheet(f"Other {n}").append(["not read"])
    buffer = io.BytesIO()
    book.save(buffer)
    return _hide_every_sheet(buffer.getvalue()) if hide_all else buffer.getvalue()


def _hide_every_sheet(data: bytes) -> bytes:
    """The workbook with its visible sheets hidden too: Excel and openpyxl refuse to write
    such a file, other programs do, so its workbook.xml is edited here."""
    source, target = io.BytesIO(data), io.BytesIO()
    with zipfile.ZipFile(source) as old, zipfile.ZipFile(target, "w", zipfile.ZIP_DEFLATED) as new:
        for info in old.infolist():
            content = old.read(info.filename)
            if info.filename == "xl/workbook.xml":
                content = content.replace(b'state="visible"', b'state="hidden"')
            new.writestr(info, content)
    return target.getvalue()


def zip_of(name: str, content: bytes) -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        info = zipfile.ZipInfo(name, date_time=(2024, 1, 1, 0, 0, 0))
        archive.writestr(info, content)
    return buffer.getvalue()


def docx_like() -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        for name, content in (("[Content_Types].xml", b"<Types/>"),
                              ("word/document.xml", b"<document>figures</document>")):
            archive.writestr(zipfile.ZipInfo(name, date_time=(2024, 1, 1, 0, 0, 0)), content)
    return buffer.getvalue()


def png_bytes() -> bytes:
    import struct
    import zlib

    def chunk(kind: bytes, data: bytes) -> bytes:
        return (struct.pack(">I", len(data)) + kind + data
                + struct.pack(">I", zlib.crc32(kind + data) & 0xFFFFFFFF))

    raw = b"".join(b"\x00" + b"\xff\x00\x00" * 4 for _ in range(4))
    return (b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", struct.pack(">IIBBBBB", 4, 4, 8, 2, 0, 0, 0))
            + chunk(b"IDAT", zlib.compress(raw)) + chunk(b"IEND", b""))


def pdf_bytes() -> bytes:
    return (b"%PDF-1.4\n1 0 obj << /Type /Catalog /Pages 2 0 R >> endobj\n"
            b"2 0 obj << /Type /Pages /Kids [] /Count 0 >> endobj\n"
            b"trailer << /Root 1 0 R >>\n%%EOF\n")


def bad_files() -> dict[str, bytes]:
    utf8 = {
        "ambiguous_congo.csv": long(f"Congo,2019,victims_detected,35,{S},"),
        "ambiguous_korea.csv": long(f"Korea,2019,persons_convicted,12,{S},"),
        "ambiguous_georgia.csv": long(f"France,2019,victims_reported,40,{S},",
                                      f"Georgia,2019,victims_reported,18,{S},"),
        "unknown_country.csv": long(f"Kenya,2019,victims_reported,40,{S},",
                                    f"Atlantis,2019,victims_reported,18,{S},"),
        "future_year.csv": long(f"Kenya,2099,victims_reported,40,{S},"),
        "year_1985.csv": long(f"Kenya,1985,victims_reported,40,{S},"),
        "year_as_text.csv": long(f"Kenya,twenty nineteen,victims_reported,40,{S},",
                                 f"Kenya,2019-20,victims_reported,41,{S},",
                                 f"Kenya,FY2019,victims_reported,42,{S},"),
        "negative_value.csv": long(f"Kenya,2019,victims_reported,-12,{S},"),
        "data_sharing_not_flag.csv": long(f"Kenya,2019,data_sharing_active,2,{S},",
                                          f"Ghana,2019,data_sharing_active,yes,{S},"),
        "rate_over_100.csv": long(f"Kenya,2019,conviction rate,120%,{S},",
                                  f"Ghana,2019,persons_convicted,135%,{S},"),
        "rate_column_over_100.csv": lines(
            "country,year,persons_convicted,Conviction rate (%),source",
            f"Kenya,2019,12,135,{S}"),
        "percent_for_count.csv": long(f"Kenya,2019,persons_convicted,45%,{S},"),
        "conflicting_duplicates.csv": long(f"FRA,2019,victims_reported,120,{S},",
                                           f"Kenya,2019,victims_reported,40,{S},",
                                           f"France,2019,victims_reported,125,{S},"),
        "formula_in_value.csv": long(
            f"Kenya,2019,victims_reported,=SUM(A1:A3),{S},",
            f"Ghana,2019,victims_reported,+cmd|' /C calc'!A0,{S},",
            f"Chad,2019,victims_reported,@SUM(1+1),{S},",
            f'Mali,2019,victims_reported,"=HYPERLINK(""http://example.invalid"",""40"")",{S},'),
        "non_numeric_value.csv": long(f"Kenya,2019,victims_reported,about 40,{S},",
                                      f"Ghana,2019,victims_reported,12 (estimate),{S},"),
        "missing_year_column.csv": lines("country,measure,value,source",
                                         f"Kenya,victims_reported,40,{S}"),
        "missing_source_column.csv": lines("country,year,measure,value",
                                           "Kenya,2019,victims_reported,40"),
        "missing_source_cell.csv": long(f"Kenya,2019,victims_reported,40,{S},",
                                        "Ghana,2019,victims_reported,41,,"),
        "header_only.csv": lines(HEADER),
        "empty.csv": "",
        "blank_lines_only.csv": "\r\n   \r\n\r\n",
        "ambiguous_thousands.tsv": lines("country\tyear\tmeasure\tvalue\tsource",
                                         f"Kenya\t2019\tvictims_reported\t1,240\t{S}",
                                         f"Ghana\t2019\tvictims_reported\t312\t{S}"),
        "mixed_decimal_marks.csv": lines("country;year;measure;value;source",
                                         f"Kenya;2019;estimated_victims;12,5;{S}",
                                         f"Ghana;2019;estimated_victims;7.25;{S}",
                                         f"Chad;2019;estimated_victims;1.240;{S}"),
        "ragged_unquoted_comma.csv": long(f"Kenya,2019,victims_reported,1,240,{S},",
                                          f"Ghana,2019,victims_reported,312,{S},"),
        "unknown_measure.csv": long(f"Kenya,2019,arrests,40,{S},",
                                    f"Ghana,2019,convictons,12,{S},"),
        "example_row_left_in.csv": long(
            "Philippines,2023,victims_reported,1500,EXAMPLE – not real data,"
            "Made-up value showing the layout only: delete this row before uploading"),
        "suppressed_other.csv": long(f"Kenya,2019,persons_convicted,<10,{S},"),
        "duplicate_columns.csv": lines("country,year,Year,measure,value,source",
                                       f"Kenya,2019,2019,victims_reported,40,{S}"),
        "html_page.csv": lines("<!DOCTYPE html>", "<html><head><title>Sign in</title></head>",
                               "<body><p>Your session has expired.</p></body></html>"),
        "scientific_notation.csv": long(f"Kenya,2019,estimated_victims,1.2E+06,{S},"),
        "fraction_of_a_person.csv": long(f"Kenya,2019,victims_detected,12.5,{S},",
                                         f"Ghana,2019,offences_recorded,7.5,{S},",
                                         f"Chad,2019,estimated_victims,12.5,{S},"),
        "not_finite.csv": long(f"Kenya,2019,victims_reported,inf,{S},",
                               f"Ghana,2019,persons_convicted,NaN,{S},",
                               f"Chad,2019,victims_detected,-Infinity,{S},"),
        "point_thousands_slip.csv": long(f"Ghana,2018,victims_detected,1.234,{S},",
                                         f"Kenya,2018,victims_detected,12.25,{S},"),
        "comma_thousands_slip.csv": lines("country;year;measure;value;source",
                                          f"Ghana;2018;persons_convicted;1,234;{S}"),
        "above_population.csv": long(f"Ghana,2019,victims_prosecuted,4000000000,{S},",
                                     f"Kenya,2019,persons_convicted,1000000000000000000000,{S},",
                                     f"Kenya,2019,victims_reported,900,{S},"),
        "negative_and_fraction.csv": long(f"Kenya,2019,victims_reported,-3,{S},",
                                          f"Ghana,2019,suspects,0.5,{S},"),
        "misspelt_country.csv": long(f"Kenia,2019,victims_reported,40,{S},",
                                     f"Untied Kingdom,2019,victims_reported,18,{S},",
                                     f"Narnia,2019,victims_reported,18,{S},"),
        "many_problems.csv": long(
            f"Kenya,2019,victims_reported,40,{S},",
            f"Congo,2019,victims_reported,35,{S},",
            f"Kenya,2099,victims_reported,41,{S},",
            f"Ghana,2019,persons_convicted,-3,{S},",
            f"Ghana,2019,data_sharing_active,2,{S},",
            f"Mali,2019,victims_reported,=SUM(A1:A3),{S},",
            f"Kenya,2019,victims_reported,44,{S},",
            "Chad,2019,victims_reported,12,,"),
    }
    files = {name: text.encode("utf-8") for name, text in utf8.items()}
    files["picture.csv"] = png_bytes()
    files["report.pdf"] = pdf_bytes()
    files["figures.zip"] = zip_of("figures.csv", long(f"Kenya,2019,victims_reported,40,{S},")
                                  .encode())
    files["old_format.xls"] = (b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + bytes(504)
                               + b"Workbook" + bytes(100))
    files["random_binary.bin"] = bytes((i * 37 + 11) % 256 for i in range(2048))
    files["word_document.docx"] = docx_like()
    files["unknown_country.xlsx"] = xlsx(
        [["country", "year", "measure", "value", "source"],
         ["Kenya", 2019, "victims_reported", 40, S],
         ["Atlantis", 2019, "victims_reported", 18, S]],
        title_rows=["Ministry of Examples: figures for 2019", "Prepared for upload"])
    files["all_sheets_hidden.xlsx"] = xlsx(
        [["country", "year", "measure", "value", "source"],
         ["Kenya", 2019, "victims_reported", 40, S]],
        hidden_before=[["country", "year", "measure", "value", "source"],
                       ["Ghana", 2019, "victims_reported", 12, S]], hide_all=True)
    files["hidden_sheet_read_visible.xlsx"] = xlsx(
        [["country", "year", "measure", "value", "source"],
         ["Kenya", 2019, "victims_reported", 12.5, S]],
        hidden_before=[["country", "year", "measure", "value", "source"],
                       ["Kenya", 2019, "victims_reported", 40, S]])
    return files


def good_files() -> dict[str, bytes]:
    accents = long(f"Côte d'Ivoire,2019,victims_reported,31,{S},Données du ministère – 2019",
                   f"Türkiye,2019,victims_reported,58,{S},")
    files = {
        "utf8_bom.csv": ("\ufeff" + accents).encode("utf-8"),
        "utf16le_tab.txt": ("\ufeff" + accents.replace(",", "\t")).encode("utf-16-le"),
        "utf16be_bom.csv": ("\ufeff" + accents).encode("utf-16-be"),
        "windows1252_accents.csv": lines(
            "country;year;measure;value;source;note",
            f"Côte d'Ivoire;2019;victims_reported;31;{S};Données du ministère – 2019",
            f"São Tomé and Príncipe;2019;victims_reported;4;{S};",
            f"Curaçao;2019;victims_reported;7;{S};",
            f"Türkiye;2019;victims_reported;58;{S};").encode("cp1252"),
        "semicolon_decimal_comma.csv": lines(
            "country;year;measure;value;source",
            f"Kenya;2019;victims_reported;1.240;{S}",
            f"Ghana;2019;victims_reported;1 310;{S}",
            f"Chad;2019;estimated_victims;2.345,5;{S}",
            f"Mali;2019;estimated_victims;12,5;{S}").encode("utf-8"),
        "tab_delimited.tsv": lines("country\tyear\tmeasure\tvalue\tsource\tnote",
                                   f"Kenya\t2019\tvictims_reported\t40\t{S}\t",
                                   f"Ghana\t2019\tvictims_reported\t1240\t{S}\t")
        .encode("utf-8"),
        "header_synonyms.csv": lines(
            "Country Name,ISO3,Reference Year,Indicator,Value,Data source,Comments",
            f"Kenya,KEN,2019,Convictions,12,{S},",
            f",GHA,2019,Victims identified,300,{S},",
            f"Chad,,2019,Prosecutions,9,{S},",
            f"Mali,MLI,2019,estimated victims,5000,{S},",
            f"Kenya,KEN,2019,data sharing,1,{S},",
            f"Kenya,KEN,2019,victims reported,44,{S},",
            f"Kenya,KEN,2019,victims prosecuted,0,{S},").encode("utf-8"),
        "wide_synonyms.csv": lines(
            "ISO3;YEAR;Convictions;Prosecutions;Victims identified/detected;Estimated victims;"
            "Data sharing;Victims reported;Victims prosecuted;Source;Notes",
            f"KEN;2019;12;30;;;1;44;0;{S};",
            f"GHA;2019;;;300;;0;;;{S};Only victims identified").encode("utf-8"),
        "iso2_codes.csv": long(f"FR,2019,victims_reported,120,{S},",
                               f"DE,2019,victims_reported,95,{S},",
                               f"NA,2019,victims_reported,6,{S},Namibia (ISO2 'NA')",
                               f"GB,2019,victims_reported,400,{S},").encode("utf-8"),
        "identical_duplicates.csv": long(f"Kenya,2019,victims_reported,40,{S},",
                                         f"Ghana,2019,victims_reported,12,{S},",
                                         f"KEN,2019,victims_reported,40,{S},")
        .encode("utf-8"),
        "formula_in_note.csv": long(
            f'Kenya,2019,victims_reported,40,{S},"=HYPERLINK(""http://example.invalid"",'
            f'""more"")"',
            "Ghana,2019,victims_reported,12,+cmd|' /C calc'!A0,@SUM(1+1)").encode("utf-8"),
        "html_in_note.csv": long(
            f"Kenya,2019,victims_reported,40,{S},<script>alert('x')</script>",
            f"Ghana,2019,victims_reported,12,{S},<b>bold</b> <img src=x onerror=alert(1)>")
        .encode("utf-8"),
        "xlsx_renamed.csv": xlsx([["country", "year", "measure", "value", "source"],
                                  ["Kenya", 2019, "victims_reported", 40, S],
                                  ["Ghana", 2019, "victims_reported", 12.0, S]]),
        "title_rows.xlsx": xlsx(
            [["Country", "Year", "Convictions", "Victims reported", "Source"],
             ["Kenya", 2019, 12, 44, S],
             [None, None, None, None, None],
             ["Ghana", 2019, None, 1240, S]],
            title_rows=["Ministry of Examples", "Figures for 2019"], sheets=2),
        "suppressed_and_missing.csv": long(f"Kenya,2019,persons_convicted,<5,{S},",
                                           f"Kenya,2019,victims_reported,n/a,{S},",
                                           f"Ghana,2019,victims_reported,..,{S},",
                                           f"Chad,2019,victims_reported,-,{S},",
                                           f"Mali,2019,victims_reported,NA,{S},",
                                           f"Mali,2019,persons_convicted,< 5,{S},",
                                           f"Niger,2019,victims_reported,,{S},")
        .encode("utf-8"),
        "plausibility_warnings.csv": long(
            f"Netherlands,2022,victims_detected,10500,{S},",
            f"Kenya,2022,persons_prosecuted,10,{S},",
            f"Kenya,2022,persons_convicted,14,{S},",
            f"Kenya,2021,persons_convicted,60,{S},",
            f"United Kingdom,2021,victims_reported,30,{S},",
            f"United Kingdom,2022,victims_reported,450,{S},").encode("utf-8"),
        "excel_sep_line.csv": ("sep=;\r\n" + lines(
            "country;year;measure;value;source",
            f"Kenya;2019;victims_reported;40;{S}")).encode("utf-8"),
        "old_country_names.csv": long(f"Holland,2019,victims_reported,11,{S},",
                                      f"Swaziland,2019,victims_reported,12,{S},",
                                      f"Burma,2019,victims_reported,13,{S},",
                                      f"Ivory Coast,2019,victims_reported,14,{S},",
                                      f"Zaïre,2019,victims_reported,15,{S},",
                                      f"Czech Republic,2019,victims_reported,16,{S},",
                                      f"Turkey,2019,victims_reported,17,{S},").encode("utf-8"),
        "hidden_first_sheet.xlsx": xlsx(
            [["country", "year", "measure", "value", "source"],
             ["Kenya", 2019, "victims_reported", 44, S]],
            hidden_before=[["country", "year", "measure", "value", "source"],
                           ["Atlantis", 2019, "victims_reported", 12.5, S]]),
        "rate_column_ignored.csv": lines(
            "country,year,persons_convicted,Conviction rate (%),source",
            f"Kenya,2019,12,35,{S}").encode("utf-8"),
    }
    return files


def main() -> None:
    for folder, files in ((BAD, bad_files()), (GOOD, good_files())):
        folder.mkdir(parents=True, exist_ok=True)
        for name, data in files.items():
            (folder / name).write_bytes(data)
        print(f"{len(files)} files in {folder}")


if __name__ == "__main__":
    main()
