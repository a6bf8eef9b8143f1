"""Every table Trust Box hands out opens in Kyrgyz and Russian Excel as a school expects."""

from __future__ import annotations

import datetime
import io
import os
import re
import subprocess
import tempfile
from pathlib import Path
from typing import Any

import pytest
from django.test import SimpleTestCase
from openpyxl import load_workbook

from trustbox.lib.spreadsheets import (
    WIDTH_MAX,
    Cell,
    Sheet,
    csv_bytes,
    csv_lines,
    csv_write,
    spreadsheet_filename,
    xlsx_bytes,
)
from trustbox.lib.tests.spreadsheets import SpreadsheetAssertions, soffice_convert, soffice_csv

# Run on SQLite only (scripts/test.sh): files written and read back by LibreOffice, no database.
pytestmark = pytest.mark.database_independent

HEADINGS: list[Cell] = ["Каттоо номери", "Келип түшкөн күнү", "Түрү", "Жооптуу", "Эскертүү"]
LONG = "Ашканадагы тамак муздак; окуучулар " * 6  # 210 characters, a `;` inside
ROWS: list[list[Cell]] = [
    ["2026/001", datetime.date(2026, 12, 7), "Арыз", "Асанов Айбек", LONG],
    ["2026/002", datetime.date(2026, 12, 8), "Сунуш", "=HYPERLINK(1)", "«кыска»"],
]
SCHOOL = "С. Мырзакматов атындагы орто мектеби"


def sheet(**more: Any) -> Sheet:
    fields: dict[str, Any] = {
        "title": "Кайрылуулардын реестри",
        "owner": SCHOOL,
        "language": "ky",
        "rows": [HEADINGS, *ROWS],
    }
    return Sheet(**{**fields, **more})


class XlsxTestCase(SpreadsheetAssertions, SimpleTestCase):
    def test_the_workbook_has_a_bold_frozen_filtered_header_and_prints_a4_landscape(self):
        worksheet = self.assertLaidOutForExcel(xlsx_bytes(sheet()), owner=SCHOOL, language="ky")
        self.assertEqual(worksheet.auto_filter.ref, "A1:E3")
        self.assertEqual(worksheet.title, "Кайрылуулардын реестри")
        self.assertIn("&P", worksheet.oddFooter.right.text)  # page numbers when printed

    def test_columns_fit_their_longest_text_and_a_longer_one_wraps(self):
        worksheet = load_workbook(io.BytesIO(xlsx_bytes(sheet()))).active
        widths = {c: worksheet.column_dimensions[c].width for c in "ABCDE"}
        self.assertEqual(widths["B"], len("Келип түшкөн күнү") + 2)
        self.assertEqual(widths["D"], len("=HYPERLINK(1)") + 1 + 2)  # with its apostrophe
        self.assertEqual(widths["E"], WIDTH_MAX + 2)
        self.assertTrue(worksheet["E2"].alignment.wrap_text)
        self.assertFalse(worksheet["D2"].alignment.wrap_text)

    def test_dates_are_dates_shown_day_month_year(self):
        worksheet = load_workbook(io.BytesIO(xlsx_bytes(sheet()))).active
        self.assertEqual(worksheet["B2"].value, datetime.datetime(2026, 12, 7))
        self.assertEqual(worksheet["B2"].number_format, "DD.MM.YYYY")
        self.assertEqual(worksheet["B2"].data_type, "d")

    def test_a_text_that_looks_like_a_formula_stays_text(self):
        worksheet = load_workbook(io.BytesIO(xlsx_bytes(sheet()))).active
        self.assertEqual(worksheet["D3"].value, "'=HYPERLINK(1)")
        self.assertEqual(worksheet["D3"].data_type, "s")

    def test_a_caption_above_the_table_is_frozen_and_printed_with_the_header(self):
        rows = [["Ала-Тоо району", "2026, 3-чейрек"], [], HEADINGS, *ROWS, [], ["Эскертүү"]]
        content = xlsx_bytes(sheet(rows=rows, header=2, body=2, tab="2026/3: [чейрек]?"))
        worksheet = self.assertLaidOutForExcel(content, header_row=3, owner=SCHOOL, language="ky")
        self.assertEqual(worksheet.auto_filter.ref, "A3:E5")  # the note under it stays out
        self.assertEqual(worksheet.title, "2026 3   чейрек")  # what Excel forbids in a name goes

    def test_the_workbook_says_nothing_of_openpyxl(self):
        with tempfile.TemporaryDirectory() as folder:
            path = Path(folder) / "table.xlsx"
            path.write_bytes(xlsx_bytes(sheet(language="ru")))
            core = subprocess.run(
                ["unzip", "-p", str(path), "docProps/core.xml"], capture_output=True, check=True
            ).stdout.decode()
        self.assertNotIn("openpyxl", core)
        self.assertRegex(core, r"<dc:creator[^>]*>Trust Box</dc:creator>")
        self.assertRegex(core, r"<dc:language[^>]*>ru</dc:language>")
        self.assertRegex(core, rf"<dc:subject[^>]*>{SCHOOL}</dc:subject>")
        self.assertRegex(core, r"<cp:lastModifiedBy>Trust Box</cp:lastModifiedBy>")


class CsvTestCase(SpreadsheetAssertions, SimpleTestCase):
    def test_the_csv_has_a_bom_semicolons_and_crlf_and_reads_back_whole(self):
        content = csv_bytes([HEADINGS, *ROWS])
        rows = self.assertOpensInColumns(content, columns=5)
        self.assertEqual(rows[0], HEADINGS)
        self.assertEqual(
            rows[1], ["2026/001", "2026-12-07", "Арыз", "Асанов Айбек", LONG]
        )  # the `;` inside the text is quoted, not a column
        self.assertEqual(rows[2][3], "'=HYPERLINK(1)")
        self.assertTrue(content.decode("utf-8-sig").startswith("Каттоо номери;Келип"))

    def test_streamed_lines_make_the_same_file(self):
        lines = list(csv_lines([HEADINGS, *ROWS]))
        self.assertEqual(lines[0], b"\xef\xbb\xbf")
        self.assertEqual(len(lines), 4)
        self.assertEqual(b"".join(lines), csv_bytes([HEADINGS, *ROWS]))

    def test_a_file_written_to_disk_is_the_same_as_the_download(self):
        with tempfile.TemporaryDirectory() as folder:
            path = Path(folder) / "table.csv"
            with open(path, "w", encoding="utf-8", newline="") as handle:
                csv_write(handle, [HEADINGS, *ROWS, [], [None, 7]])
            content = path.read_bytes()
        self.assertEqual(content, csv_bytes([HEADINGS, *ROWS, [], ["", "7"]]))
        self.assertEqual(content.decode("utf-8-sig").split("\r\n")[-2], ";7")

    def test_a_filename_names_what_whose_and_when(self):
        self.assertEqual(
            spreadsheet_filename("registry", "alatoo", datetime.date(2026, 12, 7), "xlsx"),
            "registry-alatoo-2026-12-07.xlsx",
        )


class LibreOfficeTestCase(SpreadsheetAssertions, SimpleTestCase):
    """A real reader: LibreOffice headless opens the workbook (skipped where not installed)."""

    def test_libreoffice_reads_the_cyrillic_header_and_every_cell(self):
        rows = soffice_csv(xlsx_bytes(sheet()))
        self.assertEqual(rows[0], HEADINGS)
        self.assertEqual(rows[1][0], "2026/001")
        self.assertEqual(rows[1][1], "07.12.2026")  # a date, shown as the format says
        self.assertEqual(rows[1][4], LONG)

    def test_libreoffice_prints_it_on_a4_landscape_every_column_on_one_page(self):
        wide = [[f"{heading} {n}" for n in range(3) for heading in HEADINGS]]
        rows = wide + [[f"{LONG[:40]} {n}" for n in range(15)] for _ in range(400)]
        pdf = soffice_convert(xlsx_bytes(sheet(rows=rows)), ".xlsx", "pdf")
        with tempfile.NamedTemporaryFile(suffix=".pdf") as file:
            file.write(pdf)
            file.flush()
            info = subprocess.run(
                ["pdfinfo", "-f", "1", "-l", "99", file.name], capture_output=True, check=True
            ).stdout.decode()
            first = subprocess.run(
                ["pdftotext", "-f", "1", "-l", "1", file.name, "-"],
                capture_output=True,
                check=True,
                env={**os.environ, "LC_ALL": "C.UTF-8"},
            ).stdout.decode()
            second = subprocess.run(
                ["pdftotext", "-f", "2", "-l", "2", file.name, "-"], capture_output=True
            ).stdout.decode()
        sizes = set(re.findall(r"^Page +\d+ size: +(.+)$", info, re.MULTILINE))
        self.assertEqual(len(sizes), 1, sizes)
        self.assertRegex(sizes.pop(), r"^841\.\d+ x 595\.\d+ pts \(A4\)")  # landscape A4
        self.assertIn("Эскертүү 2", " ".join(first.split()))  # the last column, on page 1
        self.assertIn("Каттоо номери 0", " ".join(second.split()))  # the header, repeated
