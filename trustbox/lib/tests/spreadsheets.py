"""Reading a spreadsheet or CSV file as Excel and LibreOffice do, for the tests of every export."""

from __future__ import annotations

import csv
import io
import shutil
import subprocess
import tempfile
import unittest
from pathlib import Path
from typing import TYPE_CHECKING, Any

from openpyxl import load_workbook
from openpyxl.utils import get_column_letter

BOM = b"\xef\xbb\xbf"
SOFFICE = shutil.which("soffice") or shutil.which("libreoffice")
NO_SOFFICE = "LibreOffice (soffice) is not installed: apt-get install libreoffice-calc-nogui"


def soffice_convert(content: bytes, suffix: str, target: str) -> bytes:
    """The file converted by LibreOffice headless (own profile, so runs do not collide)."""
    if SOFFICE is None:
        raise unittest.SkipTest(NO_SOFFICE)
    with tempfile.TemporaryDirectory() as folder:
        source = Path(folder) / f"table{suffix}"
        source.write_bytes(content)
        subprocess.run(
            [
                SOFFICE,
                f"-env:UserInstallation=file://{folder}/profile",
                "--headless",
                "--convert-to",
                target,
                "--outdir",
                str(Path(folder) / "out"),
                str(source),
            ],
            capture_output=True,
            check=True,
            timeout=180,
        )
        (made,) = (Path(folder) / "out").iterdir()
        return made.read_bytes()


def soffice_csv(xlsx: bytes) -> list[list[str]]:
    """The workbook as LibreOffice reads it, saved as CSV (`;`, UTF-8) and parsed back."""
    # Field separator 59 (;), text delimiter 34 ("), character set 76 (UTF-8), from line 1.
    content = soffice_convert(xlsx, ".xlsx", "csv:Text - txt - csv (StarCalc):59,34,76,1")
    return list(csv.reader(io.StringIO(content.decode("utf-8-sig")), delimiter=";"))


# A mixin for test cases (typed as one, so that the assertions type-check).
if TYPE_CHECKING:
    _Base = unittest.TestCase
else:
    _Base = object


class SpreadsheetAssertions(_Base):
    """What every XLSX and CSV of Trust Box must be for Kyrgyz and Russian Excel."""

    def assertLaidOutForExcel(
        self, content: bytes, *, header_row: int = 1, owner: str, language: str
    ) -> Any:
        """Header bold and frozen, a filter, columns wider than their headings, A4 landscape
        one page wide with the header on each page, properties naming the owner; the sheet."""
        workbook = load_workbook(io.BytesIO(content))
        sheet = workbook.active
        assert sheet is not None
        headings = [cell.value for cell in sheet[header_row] if cell.value is not None]
        self.assertTrue(headings)
        self.assertEqual(sheet.freeze_panes, f"A{header_row + 1}")
        last = get_column_letter(len(headings))
        self.assertRegex(sheet.auto_filter.ref, rf"^A{header_row}:{last}\d+$")
        for index, heading in enumerate(headings, start=1):
            cell = sheet.cell(row=header_row, column=index)
            self.assertTrue(cell.font.bold, heading)
            self.assertTrue(cell.alignment.wrap_text, heading)
            width = sheet.column_dimensions[get_column_letter(index)].width
            self.assertGreater(width, min(len(str(heading)), 60), heading)
        self.assertEqual(sheet.page_setup.orientation, "landscape")
        self.assertEqual(int(sheet.page_setup.paperSize), 9)  # A4
        self.assertEqual(int(sheet.page_setup.fitToWidth), 1)
        self.assertEqual(int(sheet.page_setup.fitToHeight), 0)
        self.assertTrue(sheet.sheet_properties.pageSetUpPr.fitToPage)
        self.assertEqual(sheet.print_title_rows, f"$1:${header_row}")
        properties = workbook.properties
        self.assertTrue(properties.title)
        self.assertEqual(properties.subject, owner)
        self.assertEqual(properties.language, language)
        self.assertEqual(properties.creator, "Trust Box")
        self.assertNotIn("openpyxl", f"{properties.creator} {properties.lastModifiedBy}")
        return sheet

    def assertOpensInColumns(
        self, content: bytes, *, columns: int, header_row: int = 1
    ) -> list[list[str]]:
        """BOM, `;` between values, CRLF line ends; the header row in so many columns."""
        self.assertTrue(content.startswith(BOM))
        text = content.decode("utf-8-sig")
        self.assertIn("\r\n", text)
        self.assertNotIn("\n", text.replace("\r\n", ""))
        rows = list(csv.reader(io.StringIO(text, newline=""), delimiter=";"))
        self.assertEqual(len(rows[header_row - 1]), columns)
        return rows
