"""Shared steps of the meetings tests: an elected commission and a meeting held."""

from __future__ import annotations

import datetime

from django.conf import settings
from django.urls import reverse
from django.utils import timezone

from trustbox.commission.rules import Ballot
from trustbox.commission.services import commission_elect
from trustbox.meetings.models import Meeting, Protocol
from trustbox.meetings.protocols import protocol_draft
from trustbox.meetings.sealing import record_opener
from trustbox.meetings.services import (
    AgendaEntry,
    meeting_attendance_record,
    meeting_decision_record,
    meeting_schedule,
)
from trustbox.seal.models import BoxKey, MemberKey
from trustbox.seal.services import box_key_create, member_key_set, member_key_unlock
from trustbox.test import PASSWORD


class MeetingSteps:
    """Mixed into a BaseTestCase: members[1] is elected chair and members[2] secretary.

    Every member has her personal key and the box key is made: what a meeting discusses and
    decides is sealed to the commission's (registry) key, which needs the box key.
    """

    members: list
    commission: object
    school: object

    @classmethod
    def setUpTestData(cls):
        super().setUpTestData()
        if BoxKey.objects.current(cls.school) is None:
            for member in cls.members:
                if not MemberKey.objects.filter(user=member).exists():
                    member_key_set(user=member, password=PASSWORD, school=cls.school)
            box_key_create(school=cls.school, by=cls.members[1])

    def setUp(self):
        super().setUp()
        # Pages speak English in these tests (Kyrgyz is the product's default).
        self.client.cookies.load({settings.LANGUAGE_COOKIE_NAME: "en"})

    @classmethod
    def elect(cls, commission=None, members=None, held_on=datetime.date(2026, 9, 5)):
        commission = commission or cls.commission
        members = members or cls.members
        return commission_elect(
            commission=commission,
            by=members[0],
            held_on=held_on,
            ballots=[Ballot(voter=m, chair=members[1], secretary=members[2]) for m in members],
        )

    def opener(self, user=None):
        """What opens the sealed record for a member in force (members[0] by default)."""
        user = user or self.members[0]
        return record_opener(
            school=self.school, user=user, personal=member_key_unlock(user=user, password=PASSWORD)
        )

    def opened(self, value):
        """A sealed piece (or a whole content) opened, as a member reads it."""
        return self.opener().content(value)

    def unlock(self, user, client=None):
        """Sign in and open the registry in this browser, as a member does to read the record."""
        client = self.login(user, client)
        client.post(reverse("registry:unlock", args=[self.school.slug]), {"password": PASSWORD})
        return client

    def hold(
        self,
        held_on: datetime.date | None = None,
        present=None,
        text: str = "The commission heard the responsible person.",
        decision: str = "Hang the poster in every classroom.",
    ) -> Meeting:
        secretary = self.members[2]
        held_on = held_on or timezone.localdate()
        meeting = meeting_schedule(
            school=self.school,
            by=secretary,
            held_on=held_on,
            starts_at=datetime.time(15, 0),
            place="room 12",
            agenda_entries=[AgendaEntry(title="The poster in the foyer")],
        )
        meeting_attendance_record(
            meeting=meeting, by=secretary, present=self.members[:4] if present is None else present
        )
        if decision:
            meeting_decision_record(
                meeting=meeting,
                by=secretary,
                text=decision,
                votes_for=4,
                votes_against=0,
                votes_abstained=0,
                item=meeting.agenda.first(),
            )
        return meeting

    def drafted(self, **kwargs) -> Protocol:
        meeting = self.hold(**kwargs)
        return protocol_draft(meeting=meeting, by=self.members[2], text="Discussion as minuted.")
