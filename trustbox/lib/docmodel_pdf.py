"""The document model as PDF: blocks to HTML, one template, WeasyPrint; A4, page numbers.

The HTML carries the document's language (`<html lang>`, which WeasyPrint writes as the PDF's
/Lang), its title, author and school (the PDF's Title, Author and Subject). Every PDF is
tagged; an archival document's is PDF/A-2a. Header rows repeat on each page (`thead`), rows
and signature blocks never split, headings stay with what follows.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from django.conf import settings
from django.template.loader import render_to_string
from django.utils.html import escape, format_html, format_html_join
from django.utils.safestring import SafeString

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

TEMPLATE = "documents/document.html"
ARCHIVAL_VARIANT = "pdf/a-2a"
PARAGRAPH_CLASSES = {
    "": "",
    "small": "fingerprints",
    "centered": "school",
    "bold": "bold",
    "lines": "text",
    "right": "right",
    "addressee": "addressee",
}


def render_pdf(document: Document) -> tuple[bytes, int]:
    """The PDF of a document and its number of pages."""
    from weasyprint import HTML

    html = document_html(document)
    options = pdf_options(document)
    rendered = HTML(string=html, base_url=settings.SITE_URL).render(**options)
    return rendered.write_pdf(**options), len(rendered.pages)


def pdf_options(document: Document) -> dict[str, Any]:
    """Tagged always; PDF/A-2a (archival, accessible) for the documents an archive keeps."""
    if document.archival:
        return {"pdf_variant": ARCHIVAL_VARIANT, "pdf_tags": True}
    return {"pdf_tags": True}


def document_html(document: Document) -> str:
    """The whole HTML page of a document, as WeasyPrint lays it out."""
    return render_to_string(
        TEMPLATE,
        {
            "document": document,
            "body": join_html(block_html(block) for block in document.blocks),
            "footer": _css_string(document.footer),
        },
    )


def _css_string(text: str) -> str:
    """A CSS string's content: no quote, backslash or line break can end it early."""
    escaped = text.replace("\\", "\\\\").replace('"', '\\"').replace("<", "\\3c ")
    return " ".join(escaped.split())


def join_html(parts: Iterable[SafeString]) -> SafeString:
    """Pieces of HTML, each already escaped, one after the other."""
    return format_html_join("", "{}", ((part,) for part in parts))


def text_html(text: Text) -> SafeString:
    """Running text; each code in a span that keeps it on one line."""
    if isinstance(text, str):
        return escape(text)
    return join_html(
        format_html('<span class="code{}">{}</span>', " mono" if piece.mono else "", piece.text)
        if isinstance(piece, Code)
        else escape(piece)
        for piece in text
    )


def block_html(block: Block) -> SafeString:
    if isinstance(block, Heading):
        level = min(max(block.level, 1), 3)
        return format_html("<h{}>{}</h{}>", level, block.text, level)
    if isinstance(block, Paragraph):
        return _paragraph_html(block)
    if isinstance(block, BulletList):
        return _list_html(block)
    if isinstance(block, Table):
        return _table_html(block)
    if isinstance(block, Fields) and block.bordered:
        return format_html(
            '<table class="fields"><tbody>{}</tbody></table>',
            format_html_join("", '<tr><th scope="row">{}</th><td>{}</td></tr>', block.pairs),
        )
    if isinstance(block, Fields):
        return format_html(
            '<dl class="fields">{}</dl>',
            format_html_join("", "<dt>{}</dt><dd>{}</dd>", block.pairs),
        )
    if isinstance(block, SignatureBlock):
        return _signatures_html(block)
    if isinstance(block, QrCode):
        return _qr_html(block)
    if isinstance(block, Figure):
        return _figure_html(block)
    if isinstance(block, PageBreak):
        return format_html('<div class="{}"></div>', "page-break")
    raise TypeError(block)


def _figure_html(block: Figure) -> SafeString:
    """The picture as a data: address, its description as its text (the tagged PDF's /Alt)."""
    import base64

    data = base64.b64encode(block.image).decode()
    return format_html(
        '<div class="figure"><img src="data:{};base64,{}" alt="{}" style="width: {}mm"></div>',
        block.media,
        data,
        block.description,
        f"{block.width_mm:g}",
    )


def _paragraph_html(block: Paragraph) -> SafeString:
    classes = " ".join(
        name for name in (PARAGRAPH_CLASSES[block.style], "keep" * block.keep_with_next) if name
    )
    text = text_html(block.text)
    if block.style == "bold":
        text = format_html("<strong>{}</strong>", text)
    if classes:
        return format_html('<p class="{}">{}</p>', classes, text)
    return format_html("<p>{}</p>", text)


def _list_html(block: BulletList) -> SafeString:
    items = join_html(
        format_html(
            "<li>{}{}</li>",
            text_html(item.text),
            format_html(
                "<ul>{}</ul>", join_html(format_html("<li>{}</li>", text_html(s)) for s in item.sub)
            )
            if item.sub
            else "",
        )
        for item in block.items
    )
    tag = "ol" if block.numbered else "ul"
    return format_html("<{}>{}</{}>", tag, items, tag)


def _cell_html(value: Text | Cell, centered: bool, height: float) -> SafeString:
    if isinstance(value, Cell):
        inner = join_html(format_html("<p>{}</p>", text_html(line)) for line in value.lines)
    else:
        inner = text_html(value)
    return format_html(
        '<td class="{}" style="{}">{}</td>',
        "number" if centered else "",
        f"height: {height:g}mm" if height else "",
        inner,
    )


def _table_html(block: Table) -> SafeString:
    total = sum(column.width for column in block.columns) or 1
    columns = format_html_join(
        "", '<col style="width: {}%">', ((f"{100 * c.width / total:.2f}",) for c in block.columns)
    )
    heads = format_html_join("", '<th scope="col">{}</th>', ((c.title,) for c in block.columns))
    rows = [
        format_html(
            "<tr>{}</tr>",
            join_html(
                _cell_html(value, column.centered, block.row_height_mm)
                for column, value in zip(block.columns, row, strict=True)
            ),
        )
        for row in block.rows
    ] or [format_html('<tr><td colspan="{}">{}</td></tr>', len(block.columns), block.empty)]
    return format_html(
        '<table class="model{}"><colgroup>{}</colgroup><thead><tr>{}</tr></thead>'
        "<tbody>{}</tbody></table>",
        " keep-together" if block.keep_together else "",
        columns,
        heads,
        join_html(rows),
    )


def _signatures_html(block: SignatureBlock) -> SafeString:
    return format_html(
        '<table class="signatures">{}</table>',
        format_html_join(
            "",
            '<tbody><tr><td class="role">{}</td><td class="sign-line"></td></tr>'
            '<tr><td></td><td class="sign-name">{}</td></tr></tbody>',
            block.lines,
        ),
    )


def _qr_html(block: QrCode) -> SafeString:
    import segno

    image = segno.make(block.data, error="m").svg_data_uri(scale=3)
    lines = [text_html(line) for line in block.caption]
    if lines:
        lines[0] = format_html("<strong>{}</strong>", lines[0])
    return format_html(
        '<div class="verify"><img src="{}" alt="{}" style="width: {}mm; height: {}mm">'
        "<div>{}</div></div>",
        image,
        block.alt or block.data,
        f"{block.size_mm:g}",
        f"{block.size_mm:g}",
        format_html_join("", "<p>{}</p>", ((line,) for line in lines)),
    )
