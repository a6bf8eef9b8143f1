"""Laying out documents: PDF through WeasyPrint, DOCX through python-docx."""

from __future__ import annotations

import io
from typing import TYPE_CHECKING

from django.conf import settings
from django.template.loader import render_to_string

if TYPE_CHECKING:
    from docx.document import Document as DocxDocument


def pdf_render(template: str, context: dict[str, object]) -> tuple[bytes, int]:
    """Render a template to PDF; return the PDF and its number of pages."""
    from weasyprint import HTML

    html = render_to_string(template, context)
    document = HTML(string=html, base_url=settings.SITE_URL).render()
    return document.write_pdf(), len(document.pages)


def docx_new() -> DocxDocument:
    """A Word document whose text is in DejaVu Sans, which has every Kyrgyz letter."""
    from docx import Document
    from docx.shared import Pt

    document = Document()
    style = document.styles["Normal"]
    style.font.name = "DejaVu Sans"
    style.font.size = Pt(11)
    return document


def docx_table(document: DocxDocument, columns: list[str], rows: list[list[str]]) -> None:
    """Add a table with a heading row and one row per list of values."""
    table = document.add_table(rows=1, cols=len(columns))
    table.style = "Table Grid"
    for cell, heading in zip(table.rows[0].cells, columns, strict=True):
        cell.text = heading
    for values in rows:
        for cell, value in zip(table.add_row().cells, values, strict=True):
            cell.text = value


def docx_signatures(document: DocxDocument, signatures: list[tuple[str, str]]) -> None:
    """Signature lines as a school writes them: the role, a line, the name under the line."""
    from docx.enum.text import WD_ALIGN_PARAGRAPH
    from docx.shared import Cm, Pt

    table = document.add_table(rows=0, cols=2)
    for role, name in signatures:
        role_cell, sign_cell = table.add_row().cells
        role_cell.width, sign_cell.width = Cm(8), Cm(8)
        role_cell.text = role
        line = sign_cell.paragraphs[0]
        line.add_run("_" * 30)
        line.alignment = WD_ALIGN_PARAGRAPH.CENTER
        under = sign_cell.add_paragraph()
        under.alignment = WD_ALIGN_PARAGRAPH.CENTER
        run = under.add_run(name)
        run.font.size = Pt(9)


def docx_bytes(document: DocxDocument) -> bytes:
    buffer = io.BytesIO()
    document.save(buffer)
    return buffer.getvalue()
