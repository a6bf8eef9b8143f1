"""The regulation clause by clause: what it asks, whether the school did it, and the evidence.

Each line is green (done), amber (owed, with its deadline ahead), red (missed) or grey (does not
apply yet). A line has two explanations: `reason` for the school, which may name members and
appeal numbers, and `summary` for the district office, which names nobody and no appeal and
counts no appeals.
"""

from __future__ import annotations

import datetime
from dataclasses import dataclass

from trustbox.commission.selectors import current_commission, order_owed
from trustbox.compliance.clauses.commission import line_commission, line_officers
from trustbox.compliance.clauses.meetings import line_meetings
from trustbox.compliance.clauses.openings import line_box
from trustbox.compliance.clauses.registry import line_answers, line_registration
from trustbox.compliance.clauses.reports import line_report
from trustbox.compliance.clauses.retention import line_retention
from trustbox.compliance.types import Level, Line, Link
from trustbox.meetings.obligations import election_owed, meetings_owed
from trustbox.openings.selectors import openings_owed
from trustbox.registry.obligations import answers_owed, registration_owed
from trustbox.reports.district import ComplianceCell
from trustbox.reports.selectors import ReportStatus, report_status
from trustbox.schools.models import District, School
from trustbox.schools.periods import HalfYear, Quarter

__all__ = ["DistrictRow", "Level", "Line", "Link", "district_rows", "school_lines"]


def district_meetings_cell(
    school: School, quarter: Quarter, today: datetime.date
) -> ComplianceCell:
    """The meetings line (cl. 4.3) of the quarter's half-year, as the district sees it."""
    half = quarter.half_year
    owed = meetings_owed(school, half)
    line = line_meetings(school, owed, today, previous=half != HalfYear.of(today))
    return ComplianceCell(level=line.level, label=line.level_label, summary=line.summary)


def district_report_cell(
    school: School, status: ReportStatus, today: datetime.date
) -> ComplianceCell:
    """The report line (cl. 4.6) judged on a quarter's report, as the district sees it: the
    same judgment as the school's page (missed, late, not verifying, no commission then)."""
    line = line_report(school, status, today)
    return ComplianceCell(level=line.level, label=line.level_label, summary=line.summary)


# --- the whole page -------------------------------------------------------------------------


def school_lines(school: School, *, today: datetime.date) -> list[Line]:
    """Every line of the regulation for the school, as of the day, in the active language."""
    commission = current_commission(school)
    half = HalfYear.of(today)
    return [
        line_commission(school, order_owed(commission)),
        line_officers(school, election_owed(commission)),
        line_meetings(school, meetings_owed(school, half), today, previous=False),
        line_meetings(school, meetings_owed(school, half.previous()), today, previous=True),
        line_box(school, openings_owed(school)),
        line_registration(school, registration_owed(school, half, today)),
        line_answers(school, answers_owed(school, half, today)),
        line_report(school, report_status(school, Quarter.of(today).previous()), today),
        line_retention(school, today),
    ]


@dataclass(frozen=True)
class DistrictRow:
    school: School
    lines: list[Line]


def district_rows(district: District, *, today: datetime.date) -> list[DistrictRow]:
    """The same lines for every school of the district, side by side."""
    return [
        DistrictRow(school=school, lines=school_lines(school, today=today))
        for school in district.schools.order_by("name")
    ]
