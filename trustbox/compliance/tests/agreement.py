"""One truth for the district: the compliance page, the analytics and the registry agree.

Test helpers (issue 21, point 4). `district_disagreements` compares, for every school of a
district, the district compliance page's lines with the district analytics' line of the quarter
that ended last and with the school's own registry; `registry_disagreements` checks a school's
dates against the rules a real school's data obey (nothing before the commission's order, no
appeal registered before the opening that took it out, no report before the commission). Each
returns a list of plain sentences, empty when everything agrees.
"""

from __future__ import annotations

import datetime

from django.utils import timezone, translation

from trustbox.commission.selectors import first_order_date
from trustbox.compliance.lines import Level, district_rows
from trustbox.meetings.models import Meeting
from trustbox.openings.models import Opening
from trustbox.registry.models import Appeal
from trustbox.reports.district import district_view
from trustbox.reports.figures import appeals_between
from trustbox.reports.models import Report
from trustbox.schools.models import District, School
from trustbox.schools.periods import Quarter


def _day(moment: datetime.datetime | None) -> datetime.date | None:
    return timezone.localtime(moment).date() if moment is not None else None


def district_disagreements(district: District, today: datetime.date) -> list[str]:
    """Where the district's compliance page, its analytics and the registries disagree."""
    with translation.override("en"):
        return _district_disagreements(district, today)


def _district_disagreements(district: District, today: datetime.date) -> list[str]:
    quarter = Quarter.of(today).previous()
    pages = {
        row.school.pk: {line.key: line for line in row.lines}
        for row in district_rows(district, today=today)
    }
    view = district_view(district, quarter)
    problems: list[str] = []
    for line in view.lines:
        school = line.school
        lines = pages[school.pk]
        say = problems.append
        report = lines["4.6"]
        cell = line.report_cell
        if cell is None or (cell.level, cell.summary) != (report.level, report.summary):
            say(f"{school.slug}: the analytics' report ({line.report_state}) is not 4.6's")
        if line.report_missing != (
            report.level in (Level.RED, Level.AMBER) and not line.report.prepared
        ):
            say(f"{school.slug}: listed among missing reports against 4.6 ({report.summary})")
        true_count = appeals_between(
            Appeal.objects.for_school(school), quarter.start, quarter.end
        ).count()
        if line.appeals is not None and abs(line.appeals - true_count) >= view.base:
            say(f"{school.slug}: {line.appeals} appeals shown, {true_count} in the registry")
        openings = (
            Opening.objects.for_school(school).done().within(quarter.start, quarter.end).count()
        )
        if line.openings != openings:
            say(f"{school.slug}: {line.openings} openings shown, {openings} in the journal")
        no_box = lines["3.1"].summary == "the box is not ready"
        no_commission = lines["4.1"].summary == "no commission"
        if no_commission and (line.openings or line.appeals or true_count or line.report.prepared):
            say(f"{school.slug}: no commission, yet appeals, openings or a report shown")
        if no_box and (line.openings or line.appeals or true_count):
            say(f"{school.slug}: the box is not ready, yet appeals or openings shown")
        problems += registry_disagreements(school, today)
    return problems


def registry_disagreements(school: School, today: datetime.date) -> list[str]:
    """A school's dates against the rules: nothing before the order, nothing before its opening."""
    problems: list[str] = []
    say = problems.append
    first = first_order_date(school)
    openings = {
        opening.pk: _day(opening.opened_at) for opening in Opening.objects.for_school(school)
    }
    appeals = Appeal.objects.for_school(school).order_by("pk")
    if first is None and appeals.exists():
        say(f"{school.slug}: appeals without a commission ever appointed")
    for appeal in appeals:
        name = f"{school.slug}: appeal {appeal.pk}"
        opened = openings.get(appeal.opening_id) if appeal.opening_id else None
        if first is not None and appeal.received_on < first:
            say(f"{name} received on {appeal.received_on}, before the order of {first}")
        if opened is None:
            say(f"{name} is in the registry without an opening that took it out")
            continue
        if appeal.received_on > opened:
            say(f"{name} received on {appeal.received_on}, after its opening on {opened}")
        if appeal.registered_on is not None and appeal.registered_on < opened:
            say(f"{name} registered on {appeal.registered_on}, before its opening on {opened}")
        if appeal.register_by is not None and appeal.register_by < opened:
            say(f"{name} to register by {appeal.register_by}, before its opening on {opened}")
        for label, day in (("answered", appeal.answered_on), ("closed", appeal.closed_on)):
            if day is not None and (
                appeal.registered_on is None or day < appeal.registered_on or day > today
            ):
                say(f"{name} {label} on {day}, registered on {appeal.registered_on}")
    for pk, opened in openings.items():
        if opened is not None and (first is None or opened < first or opened > today):
            say(f"{school.slug}: opening {pk} on {opened}, the first order of {first}")
    for report in Report.objects.for_school(school):
        finalised = _day(report.finalised_at)
        if first is None or report.end < first:
            say(f"{school.slug}: a report for {report.start}–{report.end}, before the order")
        if finalised is not None and (first is None or finalised < first or finalised > today):
            say(f"{school.slug}: a report finalised on {finalised}, the first order of {first}")
    for held_on in Meeting.objects.for_school(school).values_list("held_on", flat=True):
        if first is None or held_on < first:
            say(f"{school.slug}: a meeting on {held_on}, before the order of {first}")
    return problems
