"""The district's report for a quarter as the document model (lib/docmodel.py), as published.

The same published, rounded numbers as the district's page and its CSV and XLSX (district.py):
the schools side by side, the trends of the last quarters, the deadlines and referrals, the
schools whose report is missing, and what a rounded number means. Kept by an archive: PDF/A.
"""

from __future__ import annotations

from django.utils.translation import gettext as _

from trustbox.lib.docmodel import (
    Block,
    BulletList,
    Cell,
    Column,
    Document,
    Heading,
    ListItem,
    Paragraph,
    Table,
)
from trustbox.lib.docmodel_pdf import render_pdf
from trustbox.reports.district import (
    ComplianceCell,
    DistrictView,
    SchoolLine,
    Trend,
    Value,
    district_view,
    legend,
)
from trustbox.reports.documents import language_now, quarter_name
from trustbox.schools.models import District
from trustbox.schools.periods import Quarter


def _number(value: Value) -> str:
    return "—" if value is None else str(value)


def _compliance(cell: ComplianceCell | None, otherwise: str) -> str | Cell:
    """A compliance line as the district reads it: its level's name, its summary under it."""
    if cell is None:
        return otherwise
    return Cell((cell.label, cell.summary)) if cell.summary else cell.label


def _school_row(line: SchoolLine) -> tuple[str | Cell, ...]:
    return (
        line.school.name,
        str(line.openings),
        _compliance(line.report_cell, line.report_state),
        _compliance(line.meetings, _("not yet counted")),
        _number(line.appeals),
    )


def _schools_blocks(view: DistrictView) -> list[Block]:
    columns = (
        Column(_("School"), 4),
        Column(_("Openings of the box"), 3, centered=True),
        Column(_("Report (cl. 4.6)"), 4),
        Column(_("Meetings (cl. 4.3)"), 4),
        Column(_("Appeals"), 3, centered=True),
    )
    rows = [_school_row(line) for line in view.lines]
    rows.append((_("Total"), "", "", "", _number(view.total)))
    return [
        Paragraph(_("Schools side by side"), "bold", keep_with_next=True),
        Paragraph(
            _("Meetings: the half-year of the quarter, as the compliance page counts them."),
            keep_with_next=True,
        ),
        Table(columns, tuple(rows)),
    ]


def _trend_blocks(trend: Trend) -> list[Block]:
    columns = (
        Column(trend.title, 4),
        *(Column(f"{q.number} · {q.year}", 1, centered=True) for q in trend.quarters),
    )
    rows = [(name, *map(_number, cells)) for name, cells in trend.rows]
    rows.append((_("Total"), *map(_number, trend.totals)))
    return [Table(columns, tuple(rows))]


def district_document(view: DistrictView, *, language: str) -> Document:
    """The district's report as one document (call inside translation.override(language))."""
    quarter = quarter_name(view.quarter)
    title = _("Appeals through the Trust Box in the district's schools")
    blocks: list[Block] = [
        Heading(title, level=1),
        Paragraph(view.district.name, "centered"),
        Paragraph(quarter, "centered"),
        *_schools_blocks(view),
        *_trend_blocks(view.categories),
        *_trend_blocks(view.kinds),
    ]
    for heading, lines in view.figures:
        columns = (Column(heading, 4), Column(quarter, 2, centered=True))
        blocks.append(Table(columns, tuple((name, _number(value)) for name, value in lines)))
    if view.missing:
        blocks += [
            Heading(_("Schools whose report is missing")),
            BulletList(tuple(ListItem(line.school.name) for line in view.missing)),
        ]
    blocks += [
        Paragraph(_("Numbers are rounded to protect children."), "bold", keep_with_next=True),
        Paragraph(legend(view.base)),
    ]
    return Document(
        title=title,
        language=language,
        school=view.district.name,
        blocks=tuple(blocks),
        archival=True,
    )


def district_pdf(district: District, quarter: Quarter) -> bytes:
    """The district's report as a PDF, in the active language."""
    view = district_view(district, quarter)
    return render_pdf(district_document(view, language=language_now()))[0]
