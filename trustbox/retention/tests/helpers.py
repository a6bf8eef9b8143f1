"""Shared steps of the retention tests: closed cases of several ages, a meeting that decides."""

from __future__ import annotations

import datetime

from django.utils import timezone

from trustbox.meetings.services import (
    AgendaEntry,
    meeting_attendance_record,
    meeting_decision_record,
    meeting_schedule,
)
from trustbox.meetings.tests.helpers import MeetingSteps
from trustbox.registry.models import Appeal, Status
from trustbox.reports.tests.helpers import Spec, appeals_make
from trustbox.retention.selectors import AGENDA_KIND


def years_ago(years: int, days: int = 0) -> datetime.date:
    today = timezone.localdate()
    return today.replace(year=today.year - years, day=min(today.day, 28)) - datetime.timedelta(
        days=days
    )


class RetentionSteps(MeetingSteps):
    """Mixed into a BaseTestCase: six cases, two of them past their period (5 and 10 years).

    `old` closed 6 years ago; `old_urgent` (urgent) closed 6 years ago, within its 10;
    `old_referred` (referred to the psychologist) closed 11 years ago; `recent` closed last
    year; `open_old` received 7 years ago and still under consideration; `taken_out` 7 years
    ago, never registered.
    """

    @classmethod
    def setUpTestData(cls):
        super().setUpTestData()
        by = cls.members[0]
        specs = {
            "old": Spec(received_on=years_ago(6, 10)),
            "old_urgent": Spec(received_on=years_ago(6, 10), urgent=True),
            "old_referred": Spec(received_on=years_ago(11, 10), outcome="psychologist"),
            "recent": Spec(received_on=years_ago(1, 10), kind="request", category="other"),
            "open_old": Spec(received_on=years_ago(7), status=Status.CONSIDERING),
            "taken_out": Spec(received_on=years_ago(7), registered_after=None),
        }
        before = set(Appeal.objects.values_list("pk", flat=True))
        appeals_make(cls.school, by, list(specs.values()))
        made = Appeal.objects.exclude(pk__in=before).order_by("pk")
        cls.cases = dict(zip(specs, made, strict=True))

    def decide(self, *, adopted: bool = True):
        """A meeting today with the destruction on its agenda, and its decision."""
        secretary = self.members[2]
        meeting = meeting_schedule(
            school=self.school,
            by=secretary,
            held_on=timezone.localdate(),
            starts_at=datetime.time(15, 0),
            place="room 12",
            agenda_entries=[AgendaEntry(kind=AGENDA_KIND, ref_id=self.school.pk)],
        )
        meeting_attendance_record(meeting=meeting, by=secretary, present=self.members[:4])
        meeting_decision_record(
            meeting=meeting,
            by=secretary,
            text="Destroy the cases past their period by an act.",
            votes_for=4 if adopted else 1,
            votes_against=0 if adopted else 3,
            votes_abstained=0,
            item=meeting.agenda.get(kind=AGENDA_KIND),
        )
        return meeting
