import datetime
from unittest import mock

from django.core import mail
from django.core.exceptions import ValidationError
from django.utils import timezone

from trustbox.lib.dates import long_date
from trustbox.lib.tests.mailcheck import assert_mail
from trustbox.meetings.models import Meeting
from trustbox.meetings.protocols import protocol_draft
from trustbox.meetings.services import (
    AgendaEntry,
    meeting_attendance_record,
    meeting_cancel,
    meeting_decision_record,
    meeting_schedule,
)
from trustbox.meetings.tests.helpers import MeetingSteps
from trustbox.test import BaseTestCase


class ScheduleTestCase(MeetingSteps, BaseTestCase):
    @classmethod
    def setUpTestData(cls):
        super().setUpTestData()
        cls.elect()
        cls.secretary = cls.members[2]
        for member, language in zip(cls.members, ["", "ru", "en", "ky", ""], strict=True):
            member.email = f"{member.username}@school.example"
            member.language = language
            member.save(update_fields=["email", "language"])

    def schedule(self, held_on, **kwargs):
        with self.captureOnCommitCallbacks(execute=True):
            return meeting_schedule(
                school=self.school,
                by=self.secretary,
                held_on=held_on,
                starts_at=datetime.time(15, 0),
                place="room 12",
                **kwargs,
            )

    def test_every_member_is_told_only_the_day_the_time_and_the_place(self):
        day = timezone.localdate() + datetime.timedelta(days=10)
        meeting = self.schedule(
            day,
            agenda_entries=[AgendaEntry(title="The complaint about the canteen, appeal 2026/003")],
        )
        self.assertEqual(meeting.status, Meeting.Status.SCHEDULED)
        self.assertEqual(len(mail.outbox), 5)
        self.assertEqual(
            sorted(address for message in mail.outbox for address in message.to),
            sorted(m.email for m in self.members),
        )
        for message in mail.outbox:
            # In the member's language; the school named once, the day, the time, the place.
            [member] = [m for m in self.members if m.email == message.to[0]]
            language = member.language or "ky"
            text, html = assert_mail(
                self, message, language=language, secrets=("canteen", "2026/003", "complaint")
            )
            for part in (text, html):
                self.assertIn(f"{long_date(day, language)}, 15:00, room 12", part)
                self.assertIn(f"/s/alatoo/meetings/{meeting.pk}/", part)
                self.assertEqual(part.count(self.school.name), 1, part)
            if language == "ky":
                self.assertNotIn("мектебинин", text, "the school is not called a school twice")
        self.assertEqual(
            sorted(m.language or "ky" for m in self.members), ["en", "ky", "ky", "ky", "ru"]
        )

    def test_a_meeting_entered_after_the_day_mails_nobody(self):
        self.schedule(timezone.localdate() - datetime.timedelta(days=3))
        self.assertEqual(mail.outbox, [])

    def test_a_cancelled_meeting_is_announced_without_content(self):
        meeting = self.schedule(timezone.localdate() + datetime.timedelta(days=3))
        mail.outbox.clear()
        with self.captureOnCommitCallbacks(execute=True):
            meeting_cancel(meeting=meeting, by=self.members[1])
        self.assertEqual(len(mail.outbox), 5)
        for message in mail.outbox:
            [member] = [m for m in self.members if m.email == message.to[0]]
            text, _html = assert_mail(self, message, language=member.language or "ky")
            self.assertIn("room 12", text)
            self.assertEqual(text.count(self.school.name), 1)
        with self.assertRaises(ValidationError):
            meeting_cancel(meeting=meeting, by=self.members[1])

    def test_a_meeting_is_not_before_the_order_of_its_commission(self):
        with self.assertRaisesMessage(ValidationError, "before the order"):
            self.schedule(datetime.date(2026, 9, 1))

    def test_attendance_is_recorded_on_the_day_or_later(self):
        meeting = self.schedule(timezone.localdate() + datetime.timedelta(days=1))
        with self.assertRaisesMessage(ValidationError, "on the day of the meeting"):
            meeting_attendance_record(meeting=meeting, by=self.secretary, present=self.members)

    def test_a_meeting_called_before_a_new_order_is_held_by_the_commission_in_force(self):
        from trustbox.commission.services import commission_appoint
        from trustbox.test import make_person

        meeting = self.schedule(timezone.localdate())
        newcomer = make_person(self.school, "newcomer")
        members = [*self.members[:3], self.parent, newcomer]
        commission = commission_appoint(
            school=self.school,
            by=self.director,
            order_number="50",
            order_date=datetime.date(2026, 10, 1),
            members=members,
            parents_representative=self.parent,
            responsible=self.responsible,
        )
        meeting_attendance_record(meeting=meeting, by=self.secretary, present=members)
        meeting.refresh_from_db()
        self.assertEqual(meeting.commission, commission)
        self.assertEqual(
            set(meeting.attendance.values_list("member", flat=True)), {m.pk for m in members}
        )

    def test_only_members_are_marked_present(self):
        meeting = self.schedule(timezone.localdate())
        with self.assertRaises(ValidationError):
            meeting_attendance_record(
                meeting=meeting, by=self.secretary, present=[self.members[0], self.teacher]
            )

    def test_an_agenda_item_names_an_appeal_only_by_a_registered_number(self):
        with self.assertRaisesMessage(ValidationError, "from the list"):
            self.schedule(
                timezone.localdate(), agenda_entries=[AgendaEntry(kind="appeal", ref_id=1)]
            )
        with self.assertRaisesMessage(ValidationError, "not known"):
            self.schedule(timezone.localdate(), agenda_entries=[AgendaEntry(kind="election")])


class VoteTestCase(MeetingSteps, BaseTestCase):
    @classmethod
    def setUpTestData(cls):
        super().setUpTestData()
        cls.elect()

    def decide(self, meeting, votes_for, votes_against=0, votes_abstained=0):
        return meeting_decision_record(
            meeting=meeting,
            by=self.members[2],
            text="Open the box every two weeks.",
            votes_for=votes_for,
            votes_against=votes_against,
            votes_abstained=votes_abstained,
        )

    def test_a_vote_needs_more_than_half_of_the_members_present(self):
        meeting = self.hold(present=self.members[:2], decision="")
        with self.assertRaisesMessage(ValidationError, "There is no quorum: 2 of 5"):
            self.decide(meeting, 2)
        meeting_attendance_record(meeting=meeting, by=self.members[2], present=self.members[:3])
        self.assertTrue(self.decide(meeting, 2).adopted)

    def test_a_decision_passes_with_more_than_half_of_the_votes_of_those_present(self):
        meeting = self.hold(present=self.members[:4], decision="")
        self.assertTrue(self.decide(meeting, 3, 1).adopted)
        self.assertFalse(self.decide(meeting, 2, 1, 1).adopted)
        self.assertFalse(self.decide(meeting, 2, 2).adopted)

    def test_more_votes_than_members_present_are_refused(self):
        meeting = self.hold(present=self.members[:3], decision="")
        with self.assertRaisesMessage(ValidationError, "4 votes are counted, but only 3"):
            self.decide(meeting, 3, 1)

    @mock.patch("django.utils.timezone.localdate", return_value=datetime.date(2027, 3, 1))
    def test_protocols_are_numbered_per_school_and_year(self, localdate):
        first_2027 = protocol_draft(
            meeting=self.hold(held_on=datetime.date(2027, 1, 15)), by=self.members[2]
        )
        december = protocol_draft(
            meeting=self.hold(held_on=datetime.date(2026, 12, 10)), by=self.members[2]
        )
        second_2027 = protocol_draft(
            meeting=self.hold(held_on=datetime.date(2027, 2, 10)), by=self.members[2]
        )
        self.assertEqual((december.year, december.number), (2026, 2))
        self.assertEqual((first_2027.year, first_2027.number), (2027, 1))
        self.assertEqual((second_2027.year, second_2027.number), (2027, 2))
        self.assertEqual(len({p.verify_code for p in (first_2027, december, second_2027)}), 3)
