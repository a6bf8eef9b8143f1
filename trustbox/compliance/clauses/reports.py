"""Cl. 4.6: the quarterly report."""

from __future__ import annotations

import datetime
from collections.abc import Callable
from functools import partial

from django.utils.translation import gettext as _

from trustbox.compliance.types import Level, Line, Link
from trustbox.compliance.types import cite as _clause
from trustbox.compliance.types import day as _day
from trustbox.compliance.types import period as _period
from trustbox.compliance.types import url as _url
from trustbox.reports.agenda import report_meeting
from trustbox.reports.selectors import ReportStatus, report_owed
from trustbox.schools.models import School
from trustbox.schools.periods import Quarter

# --- 4.6: the quarterly report --------------------------------------------------------------


def _evidence(school: School, status: ReportStatus) -> list[Link]:
    """The report itself and the meeting whose agenda carries it."""
    report = status.report
    evidence: list[Link] = []
    if report is None:
        return evidence
    evidence.append(
        Link(
            _("The report for %(period)s") % {"period": _period(status.quarter)},
            _url("reports:detail", school, report.pk),
        )
    )
    meeting = report_meeting(report)
    if meeting is not None:
        evidence.append(
            Link(
                _("Meeting of %(date)s") % {"date": _day(meeting.held_on)},
                _url("meetings:detail", school, meeting.pk),
            )
        )
    return evidence


def _not_prepared(
    school: School, status: ReportStatus, today: datetime.date, line: Callable[..., Line]
) -> Line:
    """A report not finalised: owed up to its deadline, missed after it."""
    quarter, due, report = status.quarter, status.due_on, status.report
    values = {"period": _period(quarter), "date": _day(due)}
    if not report_owed(school, status):
        return line(
            level=Level.GREY,
            reason=_("No commission was appointed by %(date)s.") % {"date": _day(due)},
            summary=_("no commission then"),
            evidence=[],
        )
    fix = (
        Link(_("Finish the report"), _url("reports:detail", school, report.pk))
        if report is not None
        else Link(_("Prepare the report"), _url("reports:list", school))
    )
    if today > due:
        return line(
            level=Level.RED,
            reason=_("The report for %(period)s was due by %(date)s and is not finalised.")
            % values,
            summary=_("report missed"),
            fix=fix,
        )
    when = (
        _(
            "The report for %(period)s is due by %(date)s: the 5th is a day off, so the deadline "
            "moves to the next working day."
        )
        if due != quarter.fifth_after
        else _("The report for %(period)s is due by %(date)s.")
    ) % values
    return line(
        level=Level.AMBER,
        reason=_("The report is not finalised yet.") + " " + when,
        summary=_("report due by %(date)s") % {"date": _day(due)},
        fix=fix,
        deadline=due,
    )


def _prepared(
    school: School, status: ReportStatus, today: datetime.date, line: Callable[..., Line]
) -> Line:
    """A report finalised: it must verify, have come in time and be on a meeting's agenda."""
    report = status.report
    assert report is not None and status.finalised_on is not None
    values = {"period": _period(status.quarter), "date": _day(status.due_on)}
    done = {**values, "finalised": _day(status.finalised_on)}
    if not status.signed:
        return line(
            level=Level.RED,
            reason=_(
                "The report for %(period)s was changed after it was signed: its signature does "
                "not verify."
            )
            % values,
            summary=_("the report does not verify"),
        )
    if not status.on_time:
        return line(
            level=Level.RED,
            reason=_(
                "The report for %(period)s was finalised on %(finalised)s, after its deadline "
                "of %(date)s."
            )
            % done,
            summary=_("report late"),
        )
    if status.on_agenda is None:
        return line(
            level=Level.AMBER,
            reason=_(
                "The report for %(period)s was finalised and signed on %(finalised)s, in time; "
                "it is not yet on a meeting's agenda, to be discussed."
            )
            % done,
            summary=_("report in time, not yet on an agenda"),
            fix=Link(
                _("Put it on a meeting's agenda"),
                _url("reports:detail", school, report.pk) + "#agenda",
            ),
        )
    upcoming = Quarter.of(today)
    return line(
        level=Level.GREEN,
        reason=_(
            "The report for %(period)s was finalised and signed on %(finalised)s, in time, and "
            "is on the agenda of the meeting of %(meeting)s."
        )
        % {**done, "meeting": _day(status.on_agenda)}
        + " "
        + _("The next report, for %(period)s, is due by %(date)s.")
        % {"period": _period(upcoming), "date": _day(upcoming.due_on)},
        summary=_("report in time, on an agenda"),
    )


def line_report(school: School, status: ReportStatus, today: datetime.date) -> Line:
    """Cl. 4.6: the report for the quarter that ended last, prepared by the 5th, signed, on an
    agenda. `status` is the facts of that quarter's report (`reports.selectors.report_status`)."""
    asks = _(
        "Every quarter, by the 5th day of the month, the responsible person prepares an "
        "analytical report on the messages received through the box, and it is discussed at "
        "a session."
    )
    line = partial(
        Line, key="4.6", clause=_clause("4.6"), asks=asks, evidence=_evidence(school, status)
    )
    if status.prepared:
        return _prepared(school, status, today, line)
    return _not_prepared(school, status, today, line)
