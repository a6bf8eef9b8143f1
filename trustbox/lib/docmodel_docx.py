"""The document model as a Word file a Kyrgyz school expects (python-docx).

A4 (landscape where the PDF is), margins of 2 cm, the document's language on every style,
black headings in the PDF's font (DejaVu Sans), column widths from the model, header rows
repeated on each page, rows that never split, signature lines kept together, page numbers in
the footer, the title and the school in the properties, and the QR code where the PDF has one.
"""

from __future__ import annotations

import datetime
import io
from typing import TYPE_CHECKING, Any

from trustbox.lib.docmodel import (
    Block,
    BulletList,
    Cell,
    Code,
    Document,
    Fields,
    Figure,
    Heading,
    PageBreak,
    Paragraph,
    QrCode,
    SignatureBlock,
    Table,
    Text,
)

if TYPE_CHECKING:
    from docx.document import Document as DocxDocument
    from docx.table import Table as DocxTable
    from docx.text.paragraph import Paragraph as DocxParagraph

FONT = "DejaVu Sans"
MONO = "DejaVu Sans Mono"
A4_TWIPS = (11906, 16838)  # width, height of a portrait A4 page
MARGIN_TWIPS = 1134  # 2 cm
LANGUAGE_TAGS = {"ky": "ky-KG", "ru": "ru-RU", "en": "en-GB"}
HEADING_SIZES = {1: 14, 2: 12, 3: 11}
SIGNATURE_LINE = "_" * 30


def language_tag(language: str) -> str:
    return LANGUAGE_TAGS.get(language, language)


def render_docx(document: Document) -> bytes:
    """The Word file of a document."""
    from docx import Document as new_document

    docx = new_document()
    width = docx_prepare(docx, document)
    for block in document.blocks:
        _block(docx, block, width)
    buffer = io.BytesIO()
    docx.save(buffer)
    return docx_package_clean(buffer.getvalue())


def docx_package_clean(content: bytes) -> bytes:
    """The Word file with python-docx's template traces taken out of its extended properties
    (it says "Microsoft Macintosh Word" made it): Trust Box is the application."""
    import zipfile

    source = zipfile.ZipFile(io.BytesIO(content))
    output = io.BytesIO()
    with zipfile.ZipFile(output, "w", zipfile.ZIP_DEFLATED) as target:
        for item in source.infolist():
            data = source.read(item.filename)
            if item.filename == "docProps/app.xml":
                data = data.replace(
                    b"<Application>Microsoft Macintosh Word</Application>",
                    b"<Application>Trust Box</Application>",
                )
            target.writestr(item, data)
    return output.getvalue()


def docx_prepare(docx: DocxDocument, document: Document) -> int:
    """Page, styles, properties and footer of a Word file; the width of its text, in twips."""
    width = _page(docx, document)
    _styles(docx, language_tag(document.language), large=document.large_print)
    _properties(docx, document)
    _footer(docx, document, width)
    return width


def _page(docx: DocxDocument, document: Document) -> int:
    """A4 in the document's orientation, margins of 2 cm; the width of the text, in twips."""
    from docx.enum.section import WD_ORIENT
    from docx.shared import Twips

    width, height = A4_TWIPS
    if document.landscape:
        width, height = height, width
    section = docx.sections[0]
    section.orientation = WD_ORIENT.LANDSCAPE if document.landscape else WD_ORIENT.PORTRAIT
    section.page_width, section.page_height = Twips(width), Twips(height)
    for side in ("left_margin", "right_margin", "top_margin", "bottom_margin"):
        setattr(section, side, Twips(MARGIN_TWIPS))
    section.footer_distance = Twips(MARGIN_TWIPS // 2)
    return width - 2 * MARGIN_TWIPS


def _set_lang(rPr: Any, tag: str) -> None:
    from docx.oxml.ns import qn
    from docx.oxml.parser import OxmlElement

    lang = rPr.find(qn("w:lang"))
    if lang is None:
        lang = OxmlElement("w:lang")
        rPr.insert_element_before(lang, "w:eastAsianLayout", "w:specVanish", "w:oMath")
    lang.set(qn("w:val"), tag)
    lang.set(qn("w:eastAsia"), tag)


def _set_fonts(rPr: Any, font: str) -> None:
    """The font for every script, with the theme's fonts (Calibri, Cambria) taken away."""
    from docx.oxml.ns import qn

    fonts = rPr.get_or_add_rFonts()
    for attribute in ("asciiTheme", "hAnsiTheme", "eastAsiaTheme", "cstheme"):
        fonts.attrib.pop(qn(f"w:{attribute}"), None)
    for attribute in ("ascii", "hAnsi", "eastAsia", "cs"):
        fonts.set(qn(f"w:{attribute}"), font)


def _styles(docx: DocxDocument, tag: str, *, large: bool = False) -> None:
    """Black text in DejaVu Sans, in the document's language, for the defaults and each style."""
    from docx.enum.text import WD_ALIGN_PARAGRAPH
    from docx.oxml.ns import qn
    from docx.shared import Pt, RGBColor

    defaults = docx.styles.element.find(qn("w:docDefaults"))
    default_rPr = defaults.find(qn("w:rPrDefault")).find(qn("w:rPr"))
    _set_fonts(default_rPr, FONT)
    _set_lang(default_rPr, tag)
    names = ["Normal", "List Bullet", "List Bullet 2", "List Number", "Table Grid"]
    for name in [*names, *(f"Heading {level}" for level in HEADING_SIZES)]:
        style: Any = docx.styles[name]
        rPr = style.element.get_or_add_rPr()
        _set_fonts(rPr, FONT)
        _set_lang(rPr, tag)
        if name != "Table Grid":
            style.font.color.rgb = RGBColor(0, 0, 0)
    normal: Any = docx.styles["Normal"]
    normal.font.size = Pt(14 if large else 11)
    normal.paragraph_format.space_after = Pt(4)
    normal.paragraph_format.line_spacing = 1.15
    for level, size in HEADING_SIZES.items():
        heading: Any = docx.styles[f"Heading {level}"]
        heading.font.size, heading.font.bold, heading.font.italic = Pt(size), True, False
        heading.paragraph_format.keep_with_next = True
        heading.paragraph_format.space_before = Pt(12 if level > 1 else 0)
        heading.paragraph_format.space_after = Pt(4)
    title: Any = docx.styles["Heading 1"]
    title.paragraph_format.alignment = WD_ALIGN_PARAGRAPH.CENTER


def _properties(docx: DocxDocument, document: Document) -> None:
    """Title, the school as subject, Trust Box as author, the language, made now."""
    now = datetime.datetime.now(datetime.UTC).replace(microsecond=0, tzinfo=None)
    properties = docx.core_properties
    properties.title = document.title
    properties.subject = document.school
    properties.author = properties.last_modified_by = document.author
    properties.comments = ""
    properties.language = language_tag(document.language)
    properties.created = properties.modified = now
    properties.revision = 1


def _field(paragraph: DocxParagraph, instruction: str) -> None:
    """A field Word fills in when it lays the page out (PAGE, NUMPAGES)."""
    from docx.oxml.ns import qn
    from docx.oxml.parser import OxmlElement

    simple = OxmlElement("w:fldSimple")
    simple.set(qn("w:instr"), instruction)
    run = OxmlElement("w:r")
    text = OxmlElement("w:t")
    text.text = "1"
    run.append(text)
    simple.append(run)
    paragraph._p.append(simple)


def _footer(docx: DocxDocument, document: Document, width: int) -> None:
    """The footer line on every page: the document's short line at left, "1 / 3" at right."""
    from docx.enum.text import WD_TAB_ALIGNMENT
    from docx.shared import Pt, Twips

    paragraph = docx.sections[0].footer.paragraphs[0]
    stops = paragraph.paragraph_format.tab_stops
    for inherited in (4680, 9360):  # the Footer style's own stops, for US Letter
        stops.add_tab_stop(Twips(inherited), WD_TAB_ALIGNMENT.CLEAR)
    stops.add_tab_stop(Twips(width), WD_TAB_ALIGNMENT.RIGHT)
    if document.footer:
        run = paragraph.add_run(document.footer)
        run.font.name, run.font.size = MONO, Pt(9)
    paragraph.add_run("\t")
    _field(paragraph, "PAGE")
    paragraph.add_run(" / ")
    _field(paragraph, "NUMPAGES")


def add_text(paragraph: DocxParagraph, text: Text, *, size: float = 0, bold: bool = False) -> None:
    """Running text as runs; each code in the fixed font where the model asks for it."""
    from docx.shared import Pt

    for piece in (text,) if isinstance(text, str) else text:
        run = paragraph.add_run(piece if isinstance(piece, str) else piece.text)
        if isinstance(piece, Code) and piece.mono:
            run.font.name = MONO
        if size:
            run.font.size = Pt(size)
        if bold:
            run.bold = True


def _block(docx: DocxDocument, block: Block, width: int) -> None:
    from docx.enum.text import WD_ALIGN_PARAGRAPH
    from docx.shared import Twips

    if isinstance(block, Heading):
        docx.add_heading(block.text, level=min(max(block.level, 1), 3))
    elif isinstance(block, Paragraph):
        paragraph = docx.add_paragraph()
        add_text(
            paragraph,
            block.text,
            size=7 if block.style == "small" else 0,
            bold=block.style == "bold",
        )
        if block.style == "centered":
            paragraph.alignment = WD_ALIGN_PARAGRAPH.CENTER
        elif block.style == "right":
            paragraph.alignment = WD_ALIGN_PARAGRAPH.RIGHT
        elif block.style == "addressee":
            paragraph.paragraph_format.left_indent = Twips(5102)  # 9 cm
            paragraph.paragraph_format.space_after = Twips(0)
        paragraph.paragraph_format.keep_with_next = block.keep_with_next or None
    elif isinstance(block, BulletList):
        _list(docx, block)
    elif isinstance(block, Table):
        _table(docx, block, width)
    elif isinstance(block, Fields):
        _fields(docx, block, width)
    elif isinstance(block, SignatureBlock):
        _signatures(docx, block)
    elif isinstance(block, QrCode):
        _qr(docx, block, width)
    elif isinstance(block, Figure):
        _figure(docx, block)
    elif isinstance(block, PageBreak):
        docx.add_page_break()


def _figure(docx: DocxDocument, block: Figure) -> None:
    """The picture (PNG: Word draws no SVG) centered, its description as the picture's text."""
    from docx.enum.text import WD_ALIGN_PARAGRAPH
    from docx.shared import Mm

    if block.media != "image/png":
        raise ValueError("A Word file's figure is a PNG picture")
    paragraph = docx.add_paragraph()
    paragraph.alignment = WD_ALIGN_PARAGRAPH.CENTER
    run = paragraph.add_run()
    shape = run.add_picture(io.BytesIO(block.image), width=Mm(block.width_mm))
    shape._inline.docPr.set("descr", block.description)


def _list(docx: DocxDocument, block: BulletList) -> None:
    for number, item in enumerate(block.items, start=1):
        if block.numbered:
            paragraph = docx.add_paragraph()
            add_text(paragraph, f"{number}. ")
        else:
            paragraph = docx.add_paragraph(style="List Bullet")
        add_text(paragraph, item.text)
        for line in item.sub:
            add_text(docx.add_paragraph(style="List Bullet 2"), line)


def row_properties(row: Any, *, header: bool = False) -> None:
    """A row that never splits across pages; the header row repeated on each page."""
    from docx.oxml.parser import OxmlElement

    trPr = row._tr.get_or_add_trPr()
    trPr.insert_element_before(
        OxmlElement("w:cantSplit"), "w:trHeight", "w:tblHeader", "w:tblCellSpacing", "w:jc"
    )
    if header:
        trPr.insert_element_before(
            OxmlElement("w:tblHeader"), "w:tblCellSpacing", "w:jc", "w:hidden", "w:ins", "w:del"
        )


def _widths(table: DocxTable, twips: list[int]) -> None:
    """Fixed column widths: on the table, its grid and every cell; Word does not autofit."""
    from docx.oxml.ns import qn
    from docx.oxml.parser import OxmlElement
    from docx.shared import Twips

    table.autofit = False
    tblPr = table._tbl.tblPr
    layout = tblPr.find(qn("w:tblLayout"))
    if layout is None:
        layout = OxmlElement("w:tblLayout")
        tblPr.insert_element_before(
            layout, "w:tblCellMar", "w:tblLook", "w:tblCaption", "w:tblDescription"
        )
    layout.set(qn("w:type"), "fixed")
    width = tblPr.find(qn("w:tblW"))
    if width is None:
        width = OxmlElement("w:tblW")
        tblPr.insert_element_before(width, "w:jc", "w:tblInd", "w:tblBorders", "w:shd")
    width.set(qn("w:w"), str(sum(twips)))
    width.set(qn("w:type"), "dxa")
    for column, value in zip(table._tbl.tblGrid.gridCol_lst, twips, strict=True):
        column.w = Twips(value)
    for row in table.rows:
        for cell, value in zip(row.cells, twips, strict=True):
            cell.width = Twips(value)


def _keep_rows_together(rows: list[Any]) -> None:
    """Each row's lines kept with the next row's, so that the rows share one page."""
    for row in rows[:-1]:
        for cell in row.cells:
            for paragraph in cell.paragraphs:
                paragraph.paragraph_format.keep_with_next = True


def _fill(cell: Any, value: Text | Cell, *, centered: bool = False, bold: bool = False) -> None:
    from docx.enum.text import WD_ALIGN_PARAGRAPH

    lines = value.lines if isinstance(value, Cell) else (value,)
    for index, line in enumerate(lines):
        paragraph = cell.paragraphs[0] if index == 0 else cell.add_paragraph()
        add_text(paragraph, line, bold=bold)
        if centered:
            paragraph.alignment = WD_ALIGN_PARAGRAPH.CENTER


def _shade(cell: Any, fill: str) -> None:
    from docx.oxml.ns import qn
    from docx.oxml.parser import OxmlElement

    shading = OxmlElement("w:shd")
    shading.set(qn("w:val"), "clear")
    shading.set(qn("w:color"), "auto")
    shading.set(qn("w:fill"), fill)
    cell._tc.get_or_add_tcPr().append(shading)


def _table(docx: DocxDocument, block: Table, width: int) -> None:
    """A bordered table: header row repeated and kept with the first row, rows never split."""
    from docx.enum.table import WD_ROW_HEIGHT_RULE
    from docx.shared import Mm

    total = sum(column.width for column in block.columns) or 1
    twips = [int(width * column.width / total) for column in block.columns]
    rows: list[tuple[Text | Cell, ...]] = list(block.rows) or [
        (block.empty, *("" for _column in block.columns[1:]))
    ]
    table = docx.add_table(rows=1 + len(rows), cols=len(block.columns))
    table.style = "Table Grid"
    for cell, column in zip(table.rows[0].cells, block.columns, strict=True):
        _fill(cell, column.title, bold=True)
        _shade(cell, "EEEEEE")
    for docx_row, values in zip(table.rows[1:], rows, strict=True):
        for cell, column, value in zip(docx_row.cells, block.columns, values, strict=True):
            _fill(cell, value, centered=column.centered)
        if block.row_height_mm:
            docx_row.height, docx_row.height_rule = (
                Mm(block.row_height_mm),
                WD_ROW_HEIGHT_RULE.AT_LEAST,
            )
    if not block.rows and len(block.columns) > 1:
        table.rows[1].cells[0].merge(table.rows[1].cells[-1])
    for index, row in enumerate(table.rows):
        row_properties(row, header=index == 0)
    _keep_rows_together(list(table.rows) if block.keep_together else list(table.rows)[:2])
    _widths(table, twips)


def _fields(docx: DocxDocument, block: Fields, width: int) -> None:
    """Label and value on each line: ruled, or without borders and the label in bold."""
    table = docx.add_table(rows=len(block.pairs), cols=2)
    if block.bordered:
        table.style = "Table Grid"
    for row, (label, value) in zip(table.rows, block.pairs, strict=True):
        _fill(row.cells[0], label, bold=not block.bordered)
        _fill(row.cells[1], value)
        row_properties(row)
    label_width = width * (38 if block.bordered else 30) // 100
    _widths(table, [label_width, width - label_width])


def _signatures(docx: DocxDocument, block: SignatureBlock) -> None:
    """The role, a line, the name under the line; the whole block on one page."""
    from docx.enum.text import WD_ALIGN_PARAGRAPH
    from docx.shared import Pt

    table = docx.add_table(rows=0, cols=2)
    for role, name in block.lines:
        row = table.add_row()
        role_cell, sign_cell = row.cells
        role_cell.text = role
        line = sign_cell.paragraphs[0]
        line.add_run(SIGNATURE_LINE)
        line.alignment = WD_ALIGN_PARAGRAPH.CENTER
        under = sign_cell.add_paragraph()
        under.alignment = WD_ALIGN_PARAGRAPH.CENTER
        under.add_run(name).font.size = Pt(9)
        row_properties(row)
    rows = list(table.rows)
    _keep_rows_together(rows)
    if rows:
        role_cell = rows[-1].cells[0]
        role_cell.paragraphs[0].paragraph_format.keep_with_next = True  # with its own name
    _widths(table, [4536, 4536])  # 8 cm each


def _qr(docx: DocxDocument, block: QrCode, width: int) -> None:
    """The QR code as a PNG at left, what it is for at right, on one page."""
    import segno
    from docx.shared import Mm, Pt

    image = io.BytesIO()
    segno.make(block.data, error="m").save(image, kind="png", scale=8, border=2)
    image.seek(0)
    table = docx.add_table(rows=1, cols=2)
    picture, caption = table.rows[0].cells
    picture.paragraphs[0].add_run().add_picture(image, width=Mm(block.size_mm))
    for index, line in enumerate(block.caption):
        paragraph = caption.paragraphs[0] if index == 0 else caption.add_paragraph()
        add_text(paragraph, line, bold=index == 0, size=9.5)
        paragraph.paragraph_format.space_after = Pt(3)
    row_properties(table.rows[0])
    left = int(block.size_mm * 56.7) + 340
    _widths(table, [left, width - left])
