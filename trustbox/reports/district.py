"""What leaves the commission: the district's and the nation's views, rounded.

Rules (docs/privacy.md):
- only whole calendar quarters, fixed and never overlapping, and only once their report
  deadline has passed; never a free period, never a running count;
- a quarter is published once (freeze.quarter_publish): every school's counts frozen
  (models.Freeze, models.Tally), then every count rounded together by controlled random
  rounding (rounding.py, publication.py) and kept (models.PublishedCount); every view of the
  quarter — the page, its CSV and XLSX, the PDF report (district_report.py), the national
  view — reads those numbers, so that one quarter reads the same everywhere and two looks
  cannot be averaged.
"""

from __future__ import annotations

import datetime
from collections.abc import Callable
from dataclasses import dataclass, field

from django.db.models import Count
from django.utils import timezone
from django.utils.translation import gettext as _

from trustbox.box.envelope import Category, Kind
from trustbox.lib.spreadsheets import Cell, Sheet, csv_bytes, xlsx_bytes
from trustbox.openings.models import Opening
from trustbox.reports.documents import label, language_now, quarter_name
from trustbox.reports.figures import REFERRALS
from trustbox.reports.freeze import quarters_open, quarters_publish_due
from trustbox.reports.models import Publication, PublishedCount, Report
from trustbox.reports.publication import rounding_base
from trustbox.reports.selectors import ReportStatus, report_status
from trustbox.schools.models import District, School
from trustbox.schools.periods import Quarter

QUARTERS_SHOWN = 4

__all__ = ["quarters_open"]

Value = int | None  # a published count; None: the quarter (or the line) is not published


def shown(value: Value) -> int | str:
    """How one count is written in anything that leaves the commission (a number stays one)."""
    return "—" if value is None else value


@dataclass
class Published:
    """What one quarter published for a district (or the nation): counts by table and line."""

    base: int
    counts: dict[tuple[str, str], int] = field(default_factory=dict)
    schools: dict[int, int] = field(default_factory=dict)

    def get(self, table: str, key: str = "") -> int | None:
        return self.counts.get((table, key))


def published(quarters: list[Quarter], district: District | None) -> dict[Quarter, Published]:
    """The published counts of the quarters for the district (None: the nation's), by quarter."""
    publications = {
        p.pk: (Quarter.of(p.quarter), Published(p.base))
        for p in Publication.objects.filter(quarter__in=[q.start for q in quarters])
    }
    rows = PublishedCount.objects.filter(publication__in=list(publications), district=district)
    for pk, school, table, key, value in rows.values_list(
        "publication", "school", "table", "key", "value"
    ):
        found = publications[pk][1]
        if school is not None:
            found.schools[school] = value
        else:
            found.counts[(table, key)] = value
    return dict(publications.values())


@dataclass
class Trend:
    """A field's published counts by quarter (a quarter not published: None)."""

    title: str
    labels: list[str]
    quarters: list[Quarter]
    columns: list[list[Value]]
    totals: list[Value]

    @property
    def rows(self) -> list[tuple[str, list[Value]]]:
        return [
            (name, [column[index] for column in self.columns])
            for index, name in enumerate(self.labels)
        ]


def _trend(
    title: str,
    table: str,
    codes: list[str],
    quarters: list[Quarter],
    found: dict[Quarter, Published],
) -> Trend:
    columns = [
        [found[q].get(table, code) if q in found else None for code in codes] for q in quarters
    ]
    totals = [found[q].get("total") if q in found else None for q in quarters]
    labels = [label(table, code) for code in codes]
    return Trend(title, labels, quarters, columns, totals)


@dataclass(frozen=True)
class ComplianceCell:
    """A compliance line as the district sees it: its level, the level's name, a summary."""

    level: str  # "green", "amber", "red", "grey"
    label: str
    summary: str

    def __str__(self) -> str:
        return f"{self.label}: {self.summary}" if self.summary else self.label


# The columns "Report (cl. 4.6)" and "Meetings (cl. 4.3)" come from the compliance lines, which
# sit in the app above: ComplianceConfig.ready() registers how to tell them for a school and a
# quarter (the report line judged on that quarter's report; the meetings line of the quarter's
# half-year), as of today, so that the analytics and the compliance page say the same of every
# school. Without them the report column reads the report's state alone and the meetings column
# says "not yet counted".
MeetingsColumn = Callable[[School, Quarter, datetime.date], ComplianceCell]
ReportColumn = Callable[[School, ReportStatus, datetime.date], ComplianceCell]
_meetings_column: list[MeetingsColumn] = []
_report_column: list[ReportColumn] = []


def district_meetings_column_register(column: MeetingsColumn) -> None:
    """Tell the district's view how to fill its meetings column (called from AppConfig.ready)."""
    _meetings_column[:] = [column]


def district_report_column_register(column: ReportColumn) -> None:
    """Tell the district's view how to judge its report column (called from AppConfig.ready)."""
    _report_column[:] = [column]


def _meetings_cell(school: School, quarter: Quarter, today: datetime.date) -> ComplianceCell | None:
    return _meetings_column[0](school, quarter, today) if _meetings_column else None


def _report_cell(
    school: School, status: ReportStatus, today: datetime.date
) -> ComplianceCell | None:
    return _report_column[0](school, status, today) if _report_column else None


@dataclass
class SchoolLine:
    school: School
    openings: int
    report: ReportStatus
    appeals: Value
    meetings: ComplianceCell | None = None
    report_cell: ComplianceCell | None = None

    @property
    def meetings_state(self) -> str:
        return str(self.meetings) if self.meetings is not None else _("not yet counted")

    @property
    def report_state(self) -> str:
        if self.report_cell is not None:
            return str(self.report_cell)
        if self.report.prepared and self.report.on_time:
            return _("on time")
        if self.report.prepared:
            return _("late")
        return _("missing")

    @property
    def report_missing(self) -> bool:
        """Owed and not finalised (a school without a commission then owed none)."""
        if self.report.prepared:
            return False
        return self.report_cell is None or self.report_cell.level in ("red", "amber")


Lines = list[tuple[str, Value]]


@dataclass
class DistrictView:
    district: District
    quarter: Quarter
    lines: list[SchoolLine]
    total: Value
    categories: Trend
    kinds: Trend
    figures: list[tuple[str, Lines]]
    base: int

    @property
    def missing(self) -> list[SchoolLine]:
        return [line for line in self.lines if line.report_missing]


def district_view(district: District, quarter: Quarter) -> DistrictView:
    """The district's schools side by side for a quarter, and its trends, as published."""
    today = timezone.localdate()
    quarters_publish_due(today=today)
    quarters = quarter.last(QUARTERS_SHOWN)
    found = published(quarters, district)
    this = found.get(quarter)
    schools = {school.pk: school for school in district.schools.all()}
    if this is not None and set(this.schools) - set(schools):  # schools that moved away since
        schools.update(School.objects.in_bulk(list(set(this.schools) - set(schools))))
    ordered = sorted(schools.values(), key=lambda school: school.name)
    openings = dict(
        Opening.objects.filter(school__in=ordered)
        .done()
        .within(quarter.start, quarter.end)
        .values_list("school")
        .annotate(n=Count("id"))
    )
    lines = []
    for school in ordered:
        status = report_status(school, quarter)
        lines.append(
            SchoolLine(
                school=school,
                openings=openings.get(school.pk, 0),
                report=status,
                appeals=this.schools.get(school.pk) if this is not None else None,
                meetings=_meetings_cell(school, quarter, today),
                report_cell=_report_cell(school, status, today),
            )
        )
    return DistrictView(
        district=district,
        quarter=quarter,
        lines=lines,
        total=this.get("total") if this is not None else None,
        categories=_trend(
            _("Appeals by category"), "category", list(Category.values), quarters, found
        ),
        kinds=_trend(_("Appeals by kind"), "kind", list(Kind.values), quarters, found),
        figures=_figures(this),
        base=max([p.base for p in found.values()], default=rounding_base()),
    )


def _figures(this: Published | None) -> list[tuple[str, Lines]]:
    """Deadlines and referrals of the quarter, as published."""

    def get(table: str, key: str) -> Value:
        return this.get(table, key) if this is not None else None

    return [
        (
            _("Deadlines"),
            [
                (_("registered in time"), get("registration", "in_time")),
                (_("registered late"), get("registration", "late")),
                (_("answered in time"), get("answer", "in_time")),
                (_("answered late"), get("answer", "late")),
                (_("waiting past the deadline"), get("overdue", "yes")),
                (_("urgent"), get("urgent", "yes")),
            ],
        ),
        (
            _("Referrals"),
            [(label("outcome", code), get("outcome", str(code))) for code in REFERRALS],
        ),
    ]


# --- exports and the district's report -------------------------------------------------------


def district_rows(view: DistrictView) -> list[list[Cell]]:
    """The aggregate as rows, for CSV and XLSX: the published numbers only."""
    rows: list[list[Cell]] = [
        [view.district.name, quarter_name(view.quarter)],
        [],
        [
            _("School"),
            _("Openings of the box"),
            _("Report (cl. 4.6)"),
            _("Meetings (cl. 4.3)"),
            _("Appeals"),
        ],
    ]
    for line in view.lines:
        rows.append(
            [
                line.school.name,
                line.openings,
                line.report_state,
                line.meetings_state,
                shown(line.appeals),
            ]
        )
    rows.append([_("Total"), "", "", "", shown(view.total)])
    for trend in (view.categories, view.kinds):
        rows += [[], [trend.title, *(quarter_name(q) for q in trend.quarters)]]
        rows += [[name, *(shown(value) for value in values)] for name, values in trend.rows]
        rows.append([_("Total"), *(shown(value) for value in trend.totals)])
    for title, lines in view.figures:
        rows += [[], [title]]
        rows += [[name, shown(value)] for name, value in lines]
    rows += [[], [_("Numbers are rounded to protect children.")], [legend(view.base)]]
    return rows


def legend(base: int) -> str:
    """What a published number can mean, in plain words (the page, the exports, the PDF)."""
    return _(
        "Every count of appeals is rounded, up or down at random, to a multiple of %(base)d: "
        "the true number can be up to %(off)d more "
        "or less than the one shown, and 0 can stand for up to %(off)d appeals. The numbers "
        "are rounded together once per quarter, so the parts still add up to the totals and "
        "every page and file shows the same numbers."
    ) % {"base": base, "off": base - 1}


# The rows above the table of schools: the district and the quarter, then a blank line.
DISTRICT_HEADER_ROW = 2


def district_csv(view: DistrictView) -> bytes:
    """The aggregate as CSV, as Kyrgyz and Russian Excel opens it (BOM, `;`)."""
    return csv_bytes(district_rows(view))


def district_xlsx(view: DistrictView) -> bytes:
    """The aggregate as a workbook: the schools' table filtered, frozen and printed landscape."""
    quarter = quarter_name(view.quarter)
    return xlsx_bytes(
        Sheet(
            title=f"{_('Analytics')} · {view.district.name} · {quarter}",
            owner=view.district.name,
            language=language_now(),
            rows=district_rows(view),
            header=DISTRICT_HEADER_ROW,
            body=len(view.lines),
            tab=quarter,
        )
    )


# --- the nation -------------------------------------------------------------------------------


@dataclass
class NationRow:
    name: str
    cells: list[Value]
    total: Value


@dataclass
class NationView:
    quarter: Quarter
    columns: list[str]
    rows: list[NationRow]
    column_totals: list[Value]
    total: Value
    base: int
    schools: int
    reported: int


def nation_view(quarter: Quarter) -> NationView:
    """Districts × categories for a quarter, as published (rounded as one table)."""
    quarters_publish_due(today=timezone.localdate())
    codes = [str(code) for code in Category.values]
    publication = Publication.objects.filter(quarter=quarter.start).first()
    counts: dict[tuple[int | None, str, str], int] = {}
    if publication is not None:
        rows = PublishedCount.objects.filter(
            publication=publication, table__in=("total", "category"), school=None
        ).values_list("district", "table", "key", "value")
        counts = {(district, table, key): value for district, table, key, value in rows}
    lines = [
        NationRow(
            name=name,
            cells=[counts.get((pk, "category", code)) for code in codes],
            total=counts.get((pk, "total", "")),
        )
        for pk, name in District.objects.order_by("name").values_list("pk", "name")
    ]
    reported = Report.objects.filter(
        start=quarter.start, end=quarter.end, status=Report.Status.FINAL
    ).count()
    return NationView(
        quarter=quarter,
        columns=[label("category", code) for code in codes],
        rows=lines,
        column_totals=[counts.get((None, "category", code)) for code in codes],
        total=counts.get((None, "total", "")),
        base=publication.base if publication is not None else rounding_base(),
        schools=School.objects.count(),
        reported=reported,
    )
