"""What leaves the commission: the district's and the nation's views, suppressed.

Rules (docs/privacy.md):
- only whole calendar quarters, fixed and never overlapping, and only once their report
  deadline has passed; never a free period, never a running count;
- the counts of a school's quarter are frozen once (models.Freeze, models.Tally) and never
  change after: two looks at a quarter show the same numbers;
- every table is suppressed (suppression.py): "<3" for a small count, "×" for a count hidden
  so that a small one cannot be worked out; each quarter's column is suppressed on its own, so
  that it is hidden the same way in every view that shows it.
"""

from __future__ import annotations

import csv
import datetime
import io
from dataclasses import dataclass
from typing import Any

from django.db.models import Count, Q, Sum
from django.utils import timezone
from django.utils.translation import gettext as _

from trustbox.box.envelope import Category, Kind
from trustbox.lib.documents import pdf_render
from trustbox.openings.models import Opening
from trustbox.reports.documents import label, quarter_name
from trustbox.reports.figures import REFERRALS
from trustbox.reports.models import Report, Tally
from trustbox.reports.periods import Quarter
from trustbox.reports.selectors import ReportStatus, report_status
from trustbox.reports.suppression import Cell, Table, suppress, threshold
from trustbox.schools.models import District, School

QUARTERS_SHOWN = 4
QUARTERS_OFFERED = 8


def quarters_open(today: datetime.date) -> list[Quarter]:
    """The quarters a district may see: ended and past their report's deadline, newest first."""
    quarters = list(reversed(Quarter.of(today).previous().last(QUARTERS_OFFERED + 1)))
    return [quarter for quarter in quarters if quarter.due_on < today][:QUARTERS_OFFERED]


def _column(labels: list[str], values: list[int]) -> Table:
    """One quarter's counts by some field, suppressed on their own, with the total kept."""
    return suppress(labels, ["count"], [[v] for v in values], keep_totals=True)


@dataclass
class Trend:
    """A field's counts by quarter: each quarter a column suppressed on its own."""

    title: str
    labels: list[str]
    quarters: list[Quarter]
    columns: list[Table]

    @property
    def rows(self) -> list[tuple[str, list[Cell]]]:
        return [
            (name, [column.cells[index][0] for column in self.columns])
            for index, name in enumerate(self.labels)
        ]

    @property
    def totals(self) -> list[Cell]:
        return [column.total for column in self.columns]


def _counts_by(
    tallies: Any, field: str, codes: list[str], quarters: list[Quarter]
) -> dict[Quarter, list[int]]:
    found = {
        (row["quarter"], row[field]): row["n"]
        for row in tallies.filter(quarter__in=[q.start for q in quarters])
        .values("quarter", field)
        .annotate(n=Sum("count"))
    }
    return {q: [found.get((q.start, code), 0) for code in codes] for q in quarters}


def _trend(
    title: str, tallies: Any, dimension: str, codes: list[str], quarters: list[Quarter]
) -> Trend:
    counts = _counts_by(tallies, dimension, codes, quarters)
    labels = [label(dimension, code) for code in codes]
    return Trend(title, labels, quarters, [_column(labels, counts[q]) for q in quarters])


@dataclass
class SchoolLine:
    school: School
    openings: int
    report: ReportStatus
    appeals: Cell

    @property
    def report_state(self) -> str:
        if self.report.prepared and self.report.on_time:
            return _("on time")
        if self.report.prepared:
            return _("late")
        return _("missing")


@dataclass
class DistrictView:
    district: District
    quarter: Quarter
    lines: list[SchoolLine]
    total: Cell
    categories: Trend
    kinds: Trend
    figures: list[tuple[str, Lines]]
    small: int

    @property
    def missing(self) -> list[SchoolLine]:
        return [line for line in self.lines if not line.report.prepared]

    @property
    def secondary(self) -> bool:
        tables = [column for trend in (self.categories, self.kinds) for column in trend.columns]
        return any(line.appeals.hidden == "secondary" for line in self.lines) or any(
            table.secondary for table in tables
        )


def district_view(district: District, quarter: Quarter) -> DistrictView:
    """The district's schools side by side for a quarter, and its trends, all suppressed."""
    from trustbox.reports.services import tallies_freeze_due

    schools = list(district.schools.order_by("name"))
    tallies_freeze_due(today=timezone.localdate(), schools=schools)
    tallies = Tally.objects.filter(district=district)
    per_school = dict(
        tallies.filter(quarter=quarter.start).values_list("school").annotate(n=Sum("count"))
    )
    openings = dict(
        Opening.objects.filter(school__in=schools)
        .done()
        .within(quarter.start, quarter.end)
        .values_list("school")
        .annotate(n=Count("id"))
    )
    appeals = suppress(
        [school.name for school in schools],
        ["appeals"],
        [[per_school.get(school.pk, 0)] for school in schools],
        keep_totals=True,
    )
    lines = [
        SchoolLine(
            school=school,
            openings=openings.get(school.pk, 0),
            report=report_status(school, quarter),
            appeals=appeals.cells[index][0],
        )
        for index, school in enumerate(schools)
    ]
    quarters = quarter.last(QUARTERS_SHOWN)
    this = tallies.filter(quarter=quarter.start)
    figures = _figure_tables(this)
    return DistrictView(
        district=district,
        quarter=quarter,
        lines=lines,
        total=appeals.total,
        categories=_trend(
            _("Appeals by category"), tallies, "category", list(Category.values), quarters
        ),
        kinds=_trend(_("Appeals by kind"), tallies, "kind", list(Kind.values), quarters),
        figures=figures,
        small=threshold(),
    )


Lines = list[tuple[str, Cell]]


def _figure_tables(tallies: Any) -> list[tuple[str, Lines]]:
    """Deadlines and referrals of the quarter, each list suppressed on its own."""
    sums = tallies.aggregate(
        n_registered_in_time=Sum("count", filter=Q(registered_in_time=True), default=0),
        n_registered_late=Sum("count", filter=Q(registered_in_time=False), default=0),
        n_answered_in_time=Sum("count", filter=Q(answered_in_time=True), default=0),
        n_answered_late=Sum("count", filter=Q(answered_in_time=False), default=0),
        n_overdue=Sum("count", filter=Q(overdue=True), default=0),
        n_urgent=Sum("count", filter=Q(urgent=True), default=0),
    )
    referrals = dict(
        tallies.filter(outcome__in=REFERRALS).values_list("outcome").annotate(n=Sum("count"))
    )
    deadlines = [
        (_("registered in time"), sums["n_registered_in_time"]),
        (_("registered late"), sums["n_registered_late"]),
        (_("answered in time"), sums["n_answered_in_time"]),
        (_("answered late"), sums["n_answered_late"]),
        (_("waiting past the deadline"), sums["n_overdue"]),
        (_("urgent"), sums["n_urgent"]),
    ]
    referral_column = _column(
        [label("outcome", code) for code in REFERRALS],
        [referrals.get(code, 0) for code in REFERRALS],
    )
    return [
        # The deadline lines overlap (no one equation adds them up): each stands alone.
        (
            _("Deadlines"),
            [(name, Cell(n, "primary" if 0 < n < threshold() else "")) for name, n in deadlines],
        ),
        (
            _("Referrals"),
            [
                (name, row[0])
                for name, row in zip(referral_column.rows, referral_column.cells, strict=True)
            ],
        ),
    ]


# --- exports and the district's report -------------------------------------------------------


def district_rows(view: DistrictView) -> list[list[str]]:
    """The aggregate as rows of text, for CSV and XLSX: everything already suppressed."""
    rows: list[list[str]] = [
        [view.district.name, quarter_name(view.quarter)],
        [],
        [_("School"), _("Openings of the box"), _("Report"), _("Appeals")],
    ]
    for line in view.lines:
        rows.append([line.school.name, str(line.openings), line.report_state, str(line.appeals)])
    rows.append([_("Total"), "", "", str(view.total)])
    for trend in (view.categories, view.kinds):
        rows += [[], [trend.title, *(quarter_name(q) for q in trend.quarters)]]
        rows += [[name, *(str(cell) for cell in cells)] for name, cells in trend.rows]
        rows.append([_("Total"), *(str(cell) for cell in trend.totals)])
    for title, lines in view.figures:
        rows += [[], [title]]
        rows += [[name, str(cell)] for name, cell in lines]
    rows += [[], [legend(view)]]
    return rows


def legend(view: DistrictView) -> str:
    return _(
        "<%(small)d: from 1 to %(below)d appeals, not shown so that no child can be singled "
        "out. ×: hidden so that such a number cannot be worked out from the totals."
    ) % {"small": view.small, "below": view.small - 1}


def district_csv(view: DistrictView) -> bytes:
    buffer = io.StringIO()
    writer = csv.writer(buffer)
    for row in district_rows(view):
        writer.writerow([_csv_safe(value) for value in row])
    return ("\ufeff" + buffer.getvalue()).encode()


def _csv_safe(value: str) -> str:
    """No cell a spreadsheet would run as a formula ("<3" is text, as are school names)."""
    return "'" + value if value[:1] in ("=", "+", "-", "@") else value


def district_xlsx(view: DistrictView) -> bytes:
    from openpyxl import Workbook

    workbook = Workbook()
    sheet = workbook.active
    assert sheet is not None
    sheet.title = str(view.quarter)
    for row in district_rows(view):
        sheet.append([_csv_safe(value) for value in row])
    sheet.column_dimensions["A"].width = 50
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


def district_pdf(district: District, quarter: Quarter) -> bytes:
    view = district_view(district, quarter)
    from trustbox.reports.documents import language_now

    return pdf_render(
        "reports/district_document.html",
        {
            "view": view,
            "trends": [view.categories, view.kinds],
            "quarter": quarter_name(view.quarter),
            "legend": legend(view),
            "language": language_now(),
        },
    )[0]


# --- the nation -------------------------------------------------------------------------------


@dataclass
class NationView:
    quarter: Quarter
    table: Table
    schools: int
    reported: int


def nation_view(quarter: Quarter) -> NationView:
    """Districts × categories for a quarter, suppressed as one table (secondary included)."""
    districts = list(District.objects.order_by("name").values_list("pk", "name"))
    found = {
        (row["district"], row["category"]): row["n"]
        for row in Tally.objects.filter(quarter=quarter.start)
        .values("district", "category")
        .annotate(n=Sum("count"))
    }
    codes = list(Category.values)
    table = suppress(
        [name for _pk, name in districts],
        [label("category", code) for code in codes],
        [[found.get((pk, code), 0) for code in codes] for pk, _name in districts],
        keep_row_totals=True,
    )
    reported = Report.objects.filter(
        start=quarter.start, end=quarter.end, status=Report.Status.FINAL
    ).count()
    return NationView(
        quarter=quarter, table=table, schools=School.objects.count(), reported=reported
    )
