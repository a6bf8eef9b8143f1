"""Laying out documents: PDF through WeasyPrint, DOCX through python-docx."""

from __future__ import annotations

import io
from typing import TYPE_CHECKING

from django.conf import settings
from django.template.loader import render_to_string

from trustbox.lib.docmodel_docx import docx_package_clean

if TYPE_CHECKING:
    from docx.document import Document as DocxDocument


def pdf_render(template: str, context: dict[str, object]) -> tuple[bytes, int]:
    """Render a template to a tagged PDF (a screen reader reads it); return it and its pages."""
    from weasyprint import HTML

    html = render_to_string(template, context)
    document = HTML(string=html, base_url=settings.SITE_URL).render()
    return document.write_pdf(pdf_tags=True), len(document.pages)


def docx_new() -> DocxDocument:
    """A Word document as the model's renderer prepares one: A4, in the active language,
    black DejaVu Sans (it has every Kyrgyz letter), page numbers, Trust Box as its author.

    For the documents not yet built as the model (lib/docmodel.py); the title goes into the
    properties when the file is saved (`docx_bytes`), from its first heading.
    """
    from django.utils import translation
    from docx import Document as new_document

    from trustbox.lib.docmodel import Document
    from trustbox.lib.docmodel_docx import docx_prepare

    document = new_document()
    language = translation.get_language() or settings.LANGUAGE_CODE
    docx_prepare(document, Document(title="", language=language, school="", blocks=()))
    return document


def docx_table(document: DocxDocument, columns: list[str], rows: list[list[str]]) -> None:
    """Add a table with a heading row repeated on each page and rows that never split."""
    from trustbox.lib.docmodel_docx import row_properties

    table = document.add_table(rows=1, cols=len(columns))
    table.style = "Table Grid"
    for cell, heading in zip(table.rows[0].cells, columns, strict=True):
        cell.text = heading
    for values in rows:
        for cell, value in zip(table.add_row().cells, values, strict=True):
            cell.text = value
    for index, row in enumerate(table.rows):
        row_properties(row, header=index == 0)


def docx_bytes(document: DocxDocument) -> bytes:
    """The Word file's bytes; its title, if not set, is its first heading."""
    if not document.core_properties.title:
        headings = (
            p.text
            for p in document.paragraphs
            if p.style is not None and (p.style.name or "").startswith("Heading")
        )
        document.core_properties.title = next(headings, "")
    buffer = io.BytesIO()
    document.save(buffer)
    return docx_package_clean(buffer.getvalue())
