"""The report on a meeting's agenda (cl. 4.6: the report is discussed at a session).

ReportsConfig.ready() registers the report as a kind of agenda item of the meetings app;
report_on_agenda tells reports.selectors.report_status on which meeting's agenda a report is.
An item names the report by its period only («the analytical report for quarter 3 of 2026»).
"""

from __future__ import annotations

import datetime
from typing import Any

from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from trustbox.meetings.agenda import CHOICES_LIMIT, AgendaKind
from trustbox.meetings.models import AgendaItem, Meeting
from trustbox.reports.documents import period_name
from trustbox.reports.models import Report

KIND = "report"


def _reference(report: Report) -> str:
    """The period, as the protocol keeps it: "2026-07-01/2026-09-30"."""
    return f"{report.start.isoformat()}/{report.end.isoformat()}"


def _choices(school: Any) -> list[tuple[int, str]]:
    reports = Report.objects.for_school(school).order_by("-start", "-end")[:CHOICES_LIMIT]
    return [(report.pk, period_name(report.start, report.end)) for report in reports]


def _reference_of(school: Any, pk: int) -> str | None:
    report = Report.objects.for_school(school).filter(pk=pk).first()
    return _reference(report) if report is not None else None


def _describe(reference: str) -> str:
    start, _sep, end = reference.partition("/")
    try:
        period = period_name(datetime.date.fromisoformat(start), datetime.date.fromisoformat(end))
    except ValueError:
        period = reference
    return _("the analytical report for %(period)s") % {"period": period}


def report_agenda_kind() -> AgendaKind:
    return AgendaKind(
        code=KIND,
        label=gettext_lazy("Quarterly analytical report"),
        choices=_choices,
        reference=_reference_of,
        describe=_describe,
    )


def report_meeting(report: Report) -> Meeting | None:
    """The first meeting, held or to come (not cancelled), whose agenda names the report."""
    item = (
        AgendaItem.objects.filter(kind=KIND, ref_id=report.pk, meeting__school_id=report.school_id)
        .exclude(meeting__status=Meeting.Status.CANCELLED)
        .select_related("meeting")
        .order_by("meeting__held_on", "meeting__id")
        .first()
    )
    return item.meeting if item is not None else None


def report_on_agenda(report: Report) -> datetime.date | None:
    """The day of the meeting whose agenda names the report, or None (report_status asks)."""
    meeting = report_meeting(report)
    return meeting.held_on if meeting is not None else None
