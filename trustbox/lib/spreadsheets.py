"""Tables handed out as XLSX and CSV, laid out as a Kyrgyz or Russian school's Excel opens them.

Every spreadsheet and CSV file Trust Box writes goes through here (docs/spreadsheets.md):

- XLSX: the header row bold, wrapped and frozen, a filter over the table, each column as wide
  as its content (at most WIDTH_MAX characters; longer text wraps), dates as dates shown
  DD.MM.YYYY, printed on A4 landscape with every column on one page wide and the header row
  repeated on each page, the page number in the footer; the workbook's properties name its
  title, the school (or district), its language and Trust Box as its author.
- CSV: UTF-8 with a byte-order mark (else Excel reads Cyrillic as Windows-1251), values
  separated by `;` (the list separator of Kyrgyz and Russian Windows, so Excel opens the file
  in columns), quoted as the csv module does, lines ending in CRLF.

A text that a spreadsheet would run as a formula (=, +, -, @ first) is written with a leading
apostrophe, in both formats, so that a name like "=HYPERLINK(…)" stays text.
"""

from __future__ import annotations

import csv
import datetime
import io
import re
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass
from typing import IO, TYPE_CHECKING

if TYPE_CHECKING:
    from openpyxl.workbook.workbook import Workbook
    from openpyxl.worksheet.worksheet import Worksheet

Cell = str | int | datetime.date | None
Row = Sequence[Cell]

BOM = "\ufeff"
DELIMITER = ";"
LINE_END = "\r\n"
DATE_FORMAT = "DD.MM.YYYY"
WIDTH_MAX = 60  # characters; a longer text wraps inside its column
WIDTH_PADDING = 2
CREATOR = "Trust Box"
A4 = 9  # the paper size code of the OOXML page setup
FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")
HEADER_FILL = "E7E7E7"


def text_safe(value: str) -> str:
    """A text as plain text, never a formula (=HYPERLINK… stays text)."""
    return "'" + value if value.startswith(FORMULA_STARTS) else value


# --- CSV -------------------------------------------------------------------------------------


def _csv_value(value: Cell) -> str:
    if value is None:
        return ""
    if isinstance(value, str):
        return text_safe(value)
    if isinstance(value, datetime.date):
        return value.isoformat()
    return str(value)


class _Line:
    """A file for csv.writer that hands each written line back instead of keeping it."""

    def write(self, value: str) -> str:
        return value


def csv_lines(rows: Iterable[Row]) -> Iterator[bytes]:
    """The rows as CSV, line by line (for streaming): the BOM first, then one line per row."""
    writer = csv.writer(_Line(), delimiter=DELIMITER, lineterminator=LINE_END)
    yield BOM.encode()
    for row in rows:
        yield writer.writerow([_csv_value(value) for value in row]).encode()


def csv_bytes(rows: Iterable[Row]) -> bytes:
    """The rows as one CSV file."""
    return b"".join(csv_lines(rows))


def csv_write(handle: IO[str], rows: Iterable[Row]) -> None:
    """Write the rows as CSV to a text file opened in UTF-8 with newline="" (BOM included)."""
    handle.write(BOM)
    writer = csv.writer(handle, delimiter=DELIMITER, lineterminator=LINE_END)
    for row in rows:
        writer.writerow([_csv_value(value) for value in row])


# --- XLSX ------------------------------------------------------------------------------------


@dataclass(frozen=True)
class Sheet:
    """One table to hand out: its rows, where its header is, and whose and what it is."""

    title: str  # the workbook's title, printed at the top of each page
    owner: str  # the school or district the table belongs to
    language: str  # ky, ru or en: the language the table is written in
    rows: Sequence[Row]
    header: int = 0  # index of the row heading the table (rows above it are a caption)
    body: int | None = None  # how many rows under the header the filter covers (None: all)
    tab: str = ""  # the sheet's name (default: the title)


def xlsx_bytes(sheet: Sheet) -> bytes:
    """The table as an Excel workbook laid out for reading, filtering and printing."""
    from openpyxl import Workbook

    workbook = Workbook()
    worksheet = workbook.active
    assert worksheet is not None
    worksheet.title = _tab_name(sheet.tab or sheet.title)
    widths = _fill(worksheet, sheet)
    for index, width in enumerate(widths, start=1):
        worksheet.column_dimensions[_letter(index)].width = width
    _header_style(worksheet, sheet)
    _print_setup(worksheet, sheet)
    _properties(workbook, sheet)
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


def _letter(index: int) -> str:
    from openpyxl.utils import get_column_letter

    return str(get_column_letter(index))


def _tab_name(text: str) -> str:
    """A sheet name Excel takes: no []:*?/\\ and at most 31 characters."""
    return re.sub(r"[\[\]:*?/\\]", " ", text).strip()[:31] or "1"


def _shown_length(value: Cell) -> int:
    if value is None:
        return 0
    if isinstance(value, datetime.date):
        return len(DATE_FORMAT)
    return max(len(line) for line in str(value).split("\n"))


def _fill(worksheet: Worksheet, sheet: Sheet) -> list[float]:
    """Write every cell (dates as dates, long text wrapped); the columns' fitted widths."""
    from openpyxl.styles import Alignment

    wrapped = Alignment(wrap_text=True, vertical="top")
    longest: list[int] = []
    for row_index, row in enumerate(sheet.rows, start=1):
        for column, value in enumerate(row, start=1):
            text = text_safe(value) if isinstance(value, str) else value
            cell = worksheet.cell(row=row_index, column=column, value=text)
            if isinstance(value, datetime.date):
                cell.number_format = DATE_FORMAT
            length = _shown_length(text)
            if length > WIDTH_MAX or (isinstance(value, str) and "\n" in value):
                cell.alignment = wrapped
            if column > len(longest):
                longest.append(0)
            longest[column - 1] = max(longest[column - 1], length)
    return [min(length, WIDTH_MAX) + WIDTH_PADDING for length in longest]


def _header_style(worksheet: Worksheet, sheet: Sheet) -> None:
    """The header row bold, wrapped, shaded and frozen; a filter from it over the table."""
    from openpyxl.styles import Alignment, Font, PatternFill

    if not sheet.rows:
        return
    row = sheet.header + 1
    columns = len(sheet.rows[sheet.header])
    for column in range(1, columns + 1):
        cell = worksheet.cell(row=row, column=column)
        cell.font = Font(bold=True)
        cell.alignment = Alignment(wrap_text=True, vertical="center")
        cell.fill = PatternFill("solid", fgColor=HEADER_FILL)
    worksheet.freeze_panes = f"A{row + 1}"
    below = len(sheet.rows) - row if sheet.body is None else sheet.body
    worksheet.auto_filter.ref = f"A{row}:{_letter(columns)}{row + max(below, 0)}"


def _header_footer_text(text: str) -> str:
    """A text for a printed header: & doubled (it starts a code), at most 100 characters."""
    return text[:100].replace("&", "&&")


def _print_setup(worksheet: Worksheet, sheet: Sheet) -> None:
    """A4 landscape, all columns on one page wide, the header row on every page."""
    from openpyxl.worksheet.properties import PageSetupProperties

    setup = worksheet.page_setup
    setup.orientation = "landscape"
    setup.paperSize = A4
    setup.fitToWidth = 1
    setup.fitToHeight = 0
    worksheet.sheet_properties.pageSetUpPr = PageSetupProperties(fitToPage=True)
    worksheet.print_options.gridLines = True
    worksheet.page_margins.left = worksheet.page_margins.right = 0.4
    worksheet.page_margins.top = worksheet.page_margins.bottom = 0.6
    if sheet.rows:
        worksheet.print_title_rows = f"1:{sheet.header + 1}"
    worksheet.oddHeader.left.text = _header_footer_text(sheet.owner)
    worksheet.oddHeader.right.text = _header_footer_text(sheet.title)
    worksheet.oddFooter.right.text = "&P / &N"


def _properties(workbook: Workbook, sheet: Sheet) -> None:
    """Title, school, language and author as Excel's File › Info shows them."""
    properties = workbook.properties
    properties.title = sheet.title
    properties.subject = sheet.owner
    properties.language = sheet.language
    properties.creator = CREATOR
    properties.lastModifiedBy = CREATOR
    properties.created = properties.modified = datetime.datetime.now(datetime.UTC).replace(
        tzinfo=None, microsecond=0
    )


# --- names -----------------------------------------------------------------------------------


def spreadsheet_filename(what: str, owner: str, when: object, extension: str) -> str:
    """A download's name with what it is, whose it is and its day or period: registry-…-….xlsx."""
    return f"{what}-{owner}-{when}.{extension}"
