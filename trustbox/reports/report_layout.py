"""The quarterly analytical report (cl. 2.1, 4.6) as the document model (lib/docmodel.py).

The sentences, tables and charts come from documents.report_text, in one language; this only
lays them out as blocks: the title, each section's heading, paragraphs, tables (their title
kept with them), its charts as figures told in words, the responsible person's own text as
written, and the signature lines kept together. The PDF draws the charts as SVG, the Word file
as PNG (Word draws no SVG).
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Literal

from trustbox.lib.docmodel import Block, Column, Document, Figure, Heading, Paragraph, Table
from trustbox.lib.docmodel_docx import render_docx
from trustbox.lib.docmodel_pdf import render_pdf
from trustbox.reports.charts import Chart, chart_png
from trustbox.reports.documents import ReportText, Section, language_now
from trustbox.reports.documents import Table as ReportTable

Media = Literal["image/svg+xml", "image/png"]
CHART_WIDTH_MM = 150


def chart_description(chart: Chart) -> str:
    """The chart in words, as a screen reader says it: its title, then each series' bars."""
    series = " ".join(
        f"{line.label}: "
        + ", ".join(
            f"{name} — {value}" for name, value in zip(chart.labels, line.values, strict=True)
        )
        + "."
        for line in chart.series
    )
    return f"{chart.title}. {series}"


def _table_blocks(table: ReportTable) -> list[Block]:
    """A table's title kept with it, its first column the widest, the figures centered."""
    blocks: list[Block] = []
    if table.title:
        blocks.append(Paragraph(table.title, "bold", keep_with_next=True))
    columns = tuple(
        Column(title, 3 if index == 0 else 1, centered=index > 0)
        for index, title in enumerate(table.columns)
    )
    blocks.append(Table(columns, tuple(tuple(row) for row in table.rows)))
    if table.note:
        blocks.append(Paragraph(table.note))
    return blocks


def _section_blocks(
    section: Section, charts: Mapping[str, Chart], images: Mapping[str, bytes], media: Media
) -> list[Block]:
    blocks: list[Block] = [Heading(section.title)]
    blocks += [Paragraph(paragraph) for paragraph in section.paragraphs]
    for table in section.tables:
        blocks += _table_blocks(table)
    blocks += [
        Figure(images[name], media, chart_description(charts[name]), CHART_WIDTH_MM)
        for name in section.charts
        if name in charts and name in images
    ]
    if section.text:
        blocks.append(Paragraph(section.text, "lines"))
    return blocks


def report_document(
    text: ReportText, images: Mapping[str, bytes], *, media: Media, language: str
) -> Document:
    """The report as one document: images are its charts by name, SVG for the PDF, PNG for DOCX."""
    blocks: list[Block] = [
        Heading(text.title, level=1),
        Paragraph(text.school, "centered"),
        Paragraph(text.period, "centered"),
    ]
    for section in text.sections:
        blocks += _section_blocks(section, text.charts, images, media)
    last = len(text.signature_lines) - 1
    blocks += [
        Paragraph(line, keep_with_next=index < last)
        for index, line in enumerate(text.signature_lines)
    ]
    if text.footer:
        blocks.append(Paragraph(text.footer))
    return Document(
        title=text.title,
        language=language,
        school=text.school,
        blocks=tuple(blocks),
        archival=True,
    )


def text_pdf(text: ReportText, svgs: dict[str, bytes]) -> bytes:
    """Lay out a report's text as an A4 PDF (PDF/A, tagged), its charts drawn as SVG."""
    document = report_document(text, svgs, media="image/svg+xml", language=language_now())
    return render_pdf(document)[0]


def text_docx(text: ReportText) -> bytes:
    """Write a report's text as a Word document the school can edit, with PNG charts."""
    pngs = {name: chart_png(chart) for name, chart in text.charts.items()}
    return render_docx(report_document(text, pngs, media="image/png", language=language_now()))
