"""One neutral document model: a document is built once and rendered to PDF and to DOCX.

A builder (`openings/documents.py`, `meetings/documents.py`, ...) writes its sentences in one
language into these blocks; `docmodel_pdf.render_pdf` lays them out through one HTML template
and WeasyPrint, `docmodel_docx.render_docx` writes them with python-docx. Neither renderer knows
any document: adding a document is one builder and one test. Pure: no Django model, no I/O.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Literal

# lines: the text's own line breaks and spaces kept (an appeal's text as its writer wrote it);
# right: at the right margin (a letter's date); addressee: a letter's addressee, set to the right.
ParagraphStyle = Literal["", "small", "centered", "bold", "lines", "right", "addressee"]
Orientation = Literal["portrait", "landscape"]


@dataclass(frozen=True)
class Code:
    """A piece of text kept on one line (a seal code, a fingerprint); mono: in a fixed font."""

    text: str
    mono: bool = False


# Running text: a plain string, or pieces of which some are codes kept on one line.
Text = str | tuple[str | Code, ...]


def plain(text: Text) -> str:
    """The words of a running text, codes included, as one string."""
    if isinstance(text, str):
        return text
    return "".join(piece if isinstance(piece, str) else piece.text for piece in text)


@dataclass(frozen=True)
class Heading:
    text: str
    level: int = 2  # 1: the document's title (centered), 2: a section


@dataclass(frozen=True)
class Paragraph:
    text: Text
    style: ParagraphStyle = ""
    keep_with_next: bool = False  # never the last line of a page, alone, before what follows


@dataclass(frozen=True)
class ListItem:
    text: Text
    sub: tuple[Text, ...] = ()  # lines one level down (what the seal check found)


@dataclass(frozen=True)
class BulletList:
    items: tuple[ListItem, ...]
    numbered: bool = False


@dataclass(frozen=True)
class Column:
    title: str
    width: float = 1.0  # relative to the other columns of the table
    centered: bool = False  # a number column


@dataclass(frozen=True)
class Cell:
    """A cell of several lines (each member who signs, on a line of her own)."""

    lines: tuple[Text, ...]


@dataclass(frozen=True)
class Table:
    """A table whose header row repeats on each page and whose rows never split.

    keep_together: the whole table on one page (the signatures of a protocol); empty: what the
    one row says when there are no rows; row_height_mm: the least height of a row (to sign in).
    """

    columns: tuple[Column, ...]
    rows: tuple[tuple[Text | Cell, ...], ...]
    keep_together: bool = False
    empty: str = "—"
    row_height_mm: float = 0


@dataclass(frozen=True)
class Fields:
    """Labelled facts (date, time, place), a label and its value on each line.

    bordered: in a ruled table (the registration card), else plain lines.
    """

    pairs: tuple[tuple[str, str], ...]
    bordered: bool = False


@dataclass(frozen=True)
class SignatureBlock:
    """Signature lines as a school writes them: the role and a line, the name under the line.

    The whole block stays on one page.
    """

    lines: tuple[tuple[str, str], ...]  # (role, name)


@dataclass(frozen=True)
class QrCode:
    """A QR code with what it is for beside it (the first line in bold); kept on one page."""

    data: str
    caption: tuple[Text, ...] = ()
    size_mm: float = 30
    alt: str = ""  # what a screen reader says of the image; the data itself when empty


@dataclass(frozen=True)
class Figure:
    """A picture (a chart) with what it shows in words, kept on one page.

    description: what a screen reader says of it (the PDF's /Alt, the DOCX's descr), the chart
    told in words; the picture itself is SVG (the PDF draws it) or PNG (the DOCX needs one).
    """

    image: bytes
    media: Literal["image/svg+xml", "image/png"]
    description: str
    width_mm: float = 160


@dataclass(frozen=True)
class PageBreak:
    pass


Block = (
    Heading | Paragraph | BulletList | Table | Fields | SignatureBlock | QrCode | Figure | PageBreak
)


@dataclass(frozen=True)
class Document:
    """A document in one language: what its PDF and its DOCX both say.

    Every PDF is tagged (a screen reader follows its headings, lists and tables).

    footer: a short line at the left of every page's footer (a verification code); the page
    number "1 / 3" is always at its right.
    """

    title: str
    language: str  # "ky", "ru", "en"
    school: str
    blocks: tuple[Block, ...]
    orientation: Orientation = "portrait"
    footer: str = ""
    author: str = field(default="Trust Box")
    archival: bool = False  # kept by an archive for years: the PDF is PDF/A-2a
    large_print: bool = False  # read on a wall from a step away (the reply sheet for the foyer)

    @property
    def landscape(self) -> bool:
        return self.orientation == "landscape"


def document_lines(document: Document) -> list[str]:
    """Every line of words the document says, in order (what both renderers must print)."""
    lines: list[str] = []
    for block in document.blocks:
        lines.extend(_block_lines(block))
    return [line for line in lines if line.strip()]


def _block_lines(block: Block) -> list[str]:
    if isinstance(block, Heading | Paragraph):
        return [plain(block.text)]
    if isinstance(block, BulletList):
        return [line for item in block.items for line in (plain(item.text), *map(plain, item.sub))]
    if isinstance(block, Table):
        cells = [column.title for column in block.columns]
        for row in block.rows:
            for value in row:
                cells.extend(map(plain, value.lines) if isinstance(value, Cell) else [plain(value)])
        return cells
    if isinstance(block, Fields):
        return [line for pair in block.pairs for line in pair]
    if isinstance(block, SignatureBlock):
        return [line for pair in block.lines for line in pair]
    if isinstance(block, QrCode):
        return [plain(line) for line in block.caption]
    return []
