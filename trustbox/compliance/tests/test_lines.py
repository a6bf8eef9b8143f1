import datetime

from django.utils import timezone, translation

from trustbox.commission.models import Commission
from trustbox.commission.services import commission_appoint
from trustbox.compliance.lines import Level, school_lines
from trustbox.meetings.content import content_fingerprint
from trustbox.meetings.models import Meeting, Protocol
from trustbox.meetings.protocols import protocol_draft
from trustbox.meetings.services import (
    AgendaEntry,
    meeting_attendance_record,
    meeting_cancel,
    meeting_schedule,
)
from trustbox.meetings.signing import protocol_sign
from trustbox.meetings.tests.helpers import MeetingSteps
from trustbox.registry.deadlines import register_by
from trustbox.registry.models import Appeal, Status
from trustbox.registry.tests.helpers import RegistryTestCase
from trustbox.reports import services
from trustbox.reports.models import Report
from trustbox.schools.models import School
from trustbox.schools.periods import Quarter
from trustbox.test import PASSWORD, BaseTestCase, make_person

D = datetime.date
Q3 = Quarter(2026, 3)


def line(school, key, today):
    return next(item for item in school_lines(school, today=today) if item.key == key)


class CommissionLinesTestCase(MeetingSteps, BaseTestCase):
    def test_a_school_without_a_commission_owes_the_order_and_the_election(self):
        school = School.objects.create(name="School new", slug="new")
        today = D(2026, 11, 26)
        self.assertEqual(line(school, "4.1", today).level, Level.RED)
        self.assertEqual(line(school, "4.1", today).fix.url, "/s/new/commission/new/")
        self.assertEqual(line(school, "4.5", today).level, Level.RED)
        meetings = line(school, "4.3", today)
        self.assertEqual(meetings.level, Level.GREY)
        self.assertIn("No commission was appointed", meetings.reason)

    def test_the_commission_by_order_is_done(self):
        found = line(self.school, "4.1", D(2026, 11, 26))
        self.assertEqual(found.level, Level.GREEN)
        self.assertIn("5 members", found.reason)
        self.assertEqual(found.evidence[0].text, "Order № 7 of 2 September 2026")

    def test_chair_and_secretary_are_owed_until_the_first_session_and_missed_if_it_skipped_them(
        self,
    ):
        today = D(2026, 11, 26)
        self.assertEqual(line(self.school, "4.5", today).level, Level.AMBER)
        meeting = meeting_schedule(
            school=self.school, by=self.director, held_on=D(2026, 10, 1), starts_at=None, place=""
        )
        meeting_attendance_record(meeting=meeting, by=self.director, present=self.members)
        found = line(self.school, "4.5", today)
        self.assertEqual(found.level, Level.RED)
        self.assertIn("met without electing", found.reason)

    def test_the_election_is_done_with_its_protocol_as_evidence(self):
        self.elect()
        found = line(self.school, "4.5", D(2026, 11, 26))
        self.assertEqual(found.level, Level.GREEN)
        protocol = Protocol.objects.get(number=1)
        self.assertEqual(found.evidence[0].url, f"/s/alatoo/meetings/protocols/{protocol.pk}/")


class MeetingLinesTestCase(MeetingSteps, BaseTestCase):
    """Cl. 4.3: two meetings per half-year, every protocol signed by all its members."""

    @classmethod
    def setUpTestData(cls):
        super().setUpTestData()
        # The order came early in the year, so that both half-years of 2026 count.
        Commission.objects.filter(pk=cls.commission.pk).update(order_date=D(2026, 1, 12))
        cls.commission.refresh_from_db()
        cls.elect(held_on=D(2026, 1, 14))

    def sign_all(self, protocol, members=None):
        for member in members or self.members:
            protocol_sign(protocol=protocol, member=member, password=PASSWORD)

    def held_on(self, day, *, signed=True):
        """A meeting held on the day, with its protocol (signed by all unless told)."""
        meeting = self.hold(decision="")
        Meeting.objects.filter(pk=meeting.pk).update(held_on=day)
        meeting.refresh_from_db()
        protocol = protocol_draft(meeting=meeting, by=self.members[2])
        if signed:
            self.sign_all(protocol)
        return protocol

    def test_two_meetings_with_protocols_signed_by_all_are_done(self):
        self.sign_all(Protocol.objects.get(number=1))
        self.held_on(D(2026, 3, 10))
        found = line(self.school, "4.3", D(2026, 6, 1))
        self.assertEqual(found.level, Level.GREEN, found.reason)
        self.assertIn("2 meetings held, 2 required", found.reason)
        self.assertEqual(found.summary, "2 meetings held, 2 required")

    def test_three_meetings_read_as_held_against_the_two_required_in_every_language(self):
        self.sign_all(Protocol.objects.get(number=1))
        self.held_on(D(2026, 3, 10))
        self.held_on(D(2026, 4, 10))
        for language, summary in (
            ("en", "3 meetings held, 2 required"),
            ("ky", "3 жыйналыш өткөрүлдү, 2 талап кылынат"),
            ("ru", "проведено 3 заседания, требуется 2"),
        ):
            with translation.override(language), self.subTest(language=language):
                found = line(self.school, "4.3", D(2026, 6, 1))
                self.assertEqual(found.summary, summary)
                self.assertIn(summary, found.reason)
                self.assertNotIn("жыйналыштан", found.summary)

    def test_one_meeting_is_owed_while_the_half_year_runs_and_missed_after_it(self):
        self.sign_all(Protocol.objects.get(number=1))
        running = line(self.school, "4.3", D(2026, 5, 20))
        self.assertEqual(running.level, Level.AMBER)
        self.assertEqual(running.deadline, D(2026, 6, 30))
        self.assertIn("30 June 2026 is the last day of the half-year.", running.reason)
        self.assertEqual(running.fix.url, "/s/alatoo/meetings/new/")
        previous = line(self.school, "4.3-previous", D(2026, 7, 2))
        self.assertEqual(previous.level, Level.RED)
        self.assertIsNone(previous.fix)
        self.assertIsNone(previous.deadline)

    def test_a_meeting_on_the_30th_of_june_and_one_on_the_1st_of_july_count_in_different_halves(
        self,
    ):
        self.sign_all(Protocol.objects.get(number=1))
        self.held_on(D(2026, 6, 30))
        self.held_on(D(2026, 7, 1))
        self.assertEqual(line(self.school, "4.3-previous", D(2026, 7, 1)).level, Level.GREEN)
        current = line(self.school, "4.3", D(2026, 7, 1))
        self.assertEqual(current.level, Level.AMBER)
        self.assertIn("1 meeting held, 2 required", current.reason)

    def test_a_protocol_not_signed_by_all_is_owed_and_names_who_is_missing(self):
        self.sign_all(Protocol.objects.get(number=1))
        protocol = self.held_on(D(2026, 3, 10), signed=False)
        self.sign_all(protocol, self.members[:4])
        found = line(self.school, "4.3", D(2026, 5, 1))
        self.assertEqual(found.level, Level.AMBER)
        self.assertIn(
            f"Protocol № {protocol.number} awaits the signature of: {self.parent.full_name}.",
            found.reason,
        )
        self.assertEqual(
            found.summary, "2 meetings held, 2 required; a protocol is not signed by all"
        )
        self.assertNotIn(self.parent.full_name, found.summary)
        self.assertEqual(line(self.school, "4.3-previous", D(2026, 7, 1)).level, Level.RED)

    def test_a_protocol_changed_after_signing_is_missed(self):
        first = Protocol.objects.get(number=1)
        self.sign_all(first)
        self.held_on(D(2026, 3, 10))
        changed = {**first.content, "chair": "Somebody else"}
        Protocol.objects.filter(pk=first.pk).update(
            content=changed, fingerprint=content_fingerprint(changed)
        )
        found = line(self.school, "4.3", D(2026, 5, 1))
        self.assertEqual(found.level, Level.RED)
        self.assertIn("signatures do not verify", found.reason)

    def new_commission(self, order_day):
        newcomer = make_person(self.school, "newcomer")
        members = [*self.members[:3], self.parent, newcomer]
        commission = commission_appoint(
            school=self.school,
            by=self.director,
            order_number="44",
            order_date=order_day,
            members=members,
            parents_representative=self.parent,
            responsible=self.responsible,
        )
        return commission, members

    def test_meetings_of_a_replaced_commission_and_of_the_new_one_count_together(self):
        # The first commission meets in March and signs; a new order in April; its first
        # session in April. The school has met twice this half-year.
        self.sign_all(Protocol.objects.get(number=1))
        self.held_on(D(2026, 3, 10))
        Meeting.objects.filter(kind=Meeting.Kind.FIRST_SESSION).update(held_on=D(2025, 12, 20))
        commission, members = self.new_commission(D(2026, 4, 1))
        self.elect(commission, members, held_on=D(2026, 4, 3))
        newest = Protocol.objects.filter(school=self.school).order_by("-id").first()
        self.sign_all(newest, members)
        found = line(self.school, "4.3", D(2026, 5, 1))
        self.assertEqual(found.level, Level.GREEN, found.reason)
        self.assertIn("2 meetings held, 2 required", found.reason)

    def test_a_protocol_a_departed_member_never_signed_can_no_longer_be_signed_by_all(self):
        protocol = self.held_on(D(2026, 3, 10), signed=False)
        self.sign_all(Protocol.objects.get(number=1))
        self.sign_all(protocol, [*self.members[:3], self.parent])
        self.new_commission(D(2026, 4, 1))
        found = line(self.school, "4.3", D(2026, 5, 1))
        self.assertEqual(found.level, Level.RED)
        self.assertIn(
            f"{self.members[3].full_name} left the commission",
            found.reason,
        )


class BoxAndRegistryLinesTestCase(RegistryTestCase):
    """Cl. 3.1–3.3 and the deadlines of Law No. 67, on a box opened today."""

    def setUp(self):
        super().setUp()
        self.today = timezone.localdate()

    def test_a_school_without_a_box_key_cannot_take_appeals(self):
        found = line(self.other_school, "3.1", self.today)
        self.assertEqual(found.level, Level.RED)
        self.assertEqual(found.fix.url, "/s/other/seal/")

    def test_an_opening_with_its_journal_entry_and_an_empty_box_is_done(self):
        found = line(self.school, "3.1", self.today)
        self.assertEqual(found.level, Level.GREEN, found.reason)
        self.assertIn("1 opening", found.reason)

    def test_appeals_waiting_in_the_box_are_owed_an_opening(self):
        from trustbox.box.envelope import Envelope
        from trustbox.box.services import appeal_submit

        appeal_submit(
            school=self.school, envelope=Envelope(kind="proposal", category="other", text="x")
        )
        found = line(self.school, "3.1", self.today)
        self.assertEqual(found.level, Level.AMBER)
        self.assertIn("1 appeal waits in the box", found.reason)
        self.assertEqual(found.summary, "appeals wait in the box")

    def test_registration_due_after_a_kyrgyz_holiday_is_owed_on_the_holiday_and_missed_after(
        self,
    ):
        # Opened on Friday 28 August 2026; Monday 31 August is Independence Day.
        due = register_by(D(2026, 8, 28))
        self.assertEqual(due, D(2026, 9, 1))
        Appeal.objects.update(register_by=due)
        on_the_holiday = line(self.school, "3.2", D(2026, 8, 31))
        self.assertEqual(on_the_holiday.level, Level.AMBER)
        self.assertEqual(on_the_holiday.deadline, D(2026, 9, 1))
        self.assertEqual(line(self.school, "3.2", D(2026, 9, 1)).level, Level.AMBER)
        late = line(self.school, "3.2", D(2026, 9, 2))
        self.assertEqual(late.level, Level.RED)
        self.assertIn(f"opening № {self.opening.journal_number}, line 1", late.reason)
        self.assertNotIn("opening №", late.summary)

    def test_registration_over_a_weekend_is_not_late(self):
        # Opened on Friday 4 December 2026: due on Monday 7 December.
        due = register_by(D(2026, 12, 4))
        self.assertEqual(due, D(2026, 12, 7))
        Appeal.objects.update(register_by=due)
        self.assertEqual(line(self.school, "3.2", D(2026, 12, 6)).level, Level.AMBER)

    def test_every_appeal_registered_in_time_is_done_and_one_registered_late_is_missed(self):
        for appeal in (self.anonymous, self.signed):
            self.register(appeal)
        self.assertEqual(line(self.school, "3.2", self.today).level, Level.GREEN)
        Appeal.objects.filter(pk=self.signed.pk).update(
            register_by=self.today - datetime.timedelta(days=2)
        )
        found = line(self.school, "3.2", self.today)
        self.assertEqual(found.level, Level.RED)
        self.signed.refresh_from_db()
        self.assertIn(f"Registered late this half-year: {self.signed.number}.", found.reason)

    def test_answers_due_soon_are_owed_and_an_overdue_one_is_missed(self):
        for appeal in (self.anonymous, self.signed):
            self.register(appeal)
        self.assertEqual(line(self.school, "law67", self.today).level, Level.GREEN)
        Appeal.objects.filter(pk=self.signed.pk).update(
            due_on=self.today + datetime.timedelta(days=1)
        )
        soon = line(self.school, "law67", self.today)
        self.assertEqual(soon.level, Level.AMBER)
        self.assertEqual(soon.deadline, self.today + datetime.timedelta(days=1))
        Appeal.objects.filter(pk=self.signed.pk).update(
            due_on=self.today - datetime.timedelta(days=1)
        )
        overdue = line(self.school, "law67", self.today)
        self.assertEqual(overdue.level, Level.RED)
        self.signed.refresh_from_db()
        self.assertIn(self.signed.number, overdue.reason)
        self.assertNotIn(self.signed.number, overdue.summary)

    def test_an_answer_given_late_this_half_year_is_missed(self):
        self.register(self.signed)
        Appeal.objects.filter(pk=self.signed.pk).update(
            status=Status.ANSWERED,
            due_on=self.today - datetime.timedelta(days=3),
            answered_on=self.today - datetime.timedelta(days=1),
        )
        found = line(self.school, "law67", self.today)
        self.assertEqual(found.level, Level.RED)
        self.assertIn("Answered late this half-year", found.reason)


class ReportLineTestCase(MeetingSteps, BaseTestCase):
    """Cl. 4.6: the last quarter's report prepared by the 5th, signed, and on a meeting's agenda."""

    @classmethod
    def setUpTestData(cls):
        super().setUpTestData()
        cls.elect()

    def finalise(self, quarter, on):
        report = services.report_open(
            school=self.school, start=quarter.start, end=quarter.end, by=self.responsible
        )
        report = services.report_finalise(report=report, by=self.responsible, password=PASSWORD)
        at = timezone.make_aware(datetime.datetime.combine(on, datetime.time(10)))
        Report.objects.filter(pk=report.pk).update(finalised_at=at)
        return report

    def put_on_agenda(self, report, held_on):
        return meeting_schedule(
            school=self.school,
            by=self.members[1],
            held_on=held_on,
            starts_at=None,
            place="room 12",
            agenda_entries=[AgendaEntry(kind="report", ref_id=report.pk)],
        )

    def test_a_school_without_a_commission_by_the_deadline_owes_no_report(self):
        school = School.objects.create(name="School new", slug="new")
        found = line(school, "4.6", D(2026, 11, 26))
        self.assertEqual(found.level, Level.GREY)
        self.assertIn("5 October 2026", found.reason)

    def test_the_report_is_owed_until_its_deadline_and_missed_the_day_after(self):
        # The report for July–September 2026 is due by Monday 5 October.
        owed = line(self.school, "4.6", D(2026, 10, 1))
        self.assertEqual(owed.level, Level.AMBER)
        self.assertEqual(owed.deadline, D(2026, 10, 5))
        self.assertIn("due by 5 October 2026", owed.reason)
        self.assertEqual(owed.fix.url, "/s/alatoo/reports/")
        self.assertEqual(line(self.school, "4.6", D(2026, 10, 5)).level, Level.AMBER)
        missed = line(self.school, "4.6", D(2026, 10, 6))
        self.assertEqual(missed.level, Level.RED)
        self.assertIn("was due by 5 October 2026 and is not finalised", missed.reason)
        self.assertEqual(missed.summary, "report missed")
        self.assertIsNone(missed.deadline)

    def test_a_deadline_on_the_new_year_holidays_moves_to_8_january(self):
        self.assertIn("the 5th is a day off", line(self.school, "4.6", D(2027, 1, 4)).reason)
        self.assertEqual(line(self.school, "4.6", D(2027, 1, 8)).level, Level.AMBER)
        self.assertEqual(line(self.school, "4.6", D(2027, 1, 9)).level, Level.RED)

    def test_a_draft_is_not_prepared_and_its_fix_leads_to_it(self):
        report = services.report_open(
            school=self.school, start=Q3.start, end=Q3.end, by=self.responsible
        )
        found = line(self.school, "4.6", D(2026, 10, 2))
        self.assertEqual(found.level, Level.AMBER)
        self.assertEqual(found.fix.url, f"/s/alatoo/reports/{report.pk}/")

    def test_a_report_in_time_but_on_no_agenda_is_owed_then_done_once_on_one(self):
        report = self.finalise(Q3, D(2026, 10, 5))
        owed = line(self.school, "4.6", D(2026, 11, 26))
        self.assertEqual(owed.level, Level.AMBER)
        self.assertIn("not yet on a meeting's agenda", owed.reason)
        self.assertEqual(owed.fix.url, f"/s/alatoo/reports/{report.pk}/#agenda")
        cancelled = self.put_on_agenda(report, D(2026, 12, 3))
        meeting_cancel(meeting=cancelled, by=self.members[1])
        self.assertEqual(line(self.school, "4.6", D(2026, 11, 26)).level, Level.AMBER)
        meeting = self.put_on_agenda(report, D(2026, 12, 3))
        done = line(self.school, "4.6", D(2026, 11, 26))
        self.assertEqual(done.level, Level.GREEN)
        self.assertIn("on the agenda of the meeting of 3 December 2026", done.reason)
        self.assertIn(
            "The next report, for 1 October 2026 – 31 December 2026, is due by 8 January 2027",
            done.reason,
        )
        self.assertEqual(
            [link.url for link in done.evidence],
            [f"/s/alatoo/reports/{report.pk}/", f"/s/alatoo/meetings/{meeting.pk}/"],
        )
        self.assertEqual(done.summary, "report in time, on an agenda")
        self.assertNotIn(self.responsible.full_name, done.summary)

    def test_a_report_finalised_the_day_after_its_deadline_is_late(self):
        report = self.finalise(Q3, D(2026, 10, 6))
        self.put_on_agenda(report, D(2026, 12, 3))
        found = line(self.school, "4.6", D(2026, 11, 26))
        self.assertEqual(found.level, Level.RED)
        self.assertIn(
            "finalised on 6 October 2026, after its deadline of 5 October 2026", found.reason
        )

    def test_a_report_changed_after_it_was_signed_is_missed(self):
        report = self.finalise(Q3, D(2026, 10, 2))
        self.put_on_agenda(report, D(2026, 12, 3))
        self.assertEqual(line(self.school, "4.6", D(2026, 11, 26)).level, Level.GREEN)
        Report.objects.filter(pk=report.pk).update(proposals="Something else.")
        found = line(self.school, "4.6", D(2026, 11, 26))
        self.assertEqual(found.level, Level.RED)
        self.assertIn("its signature does not verify", found.reason)

    def test_the_line_judges_the_quarter_that_ended_last(self):
        report = self.finalise(Q3, D(2026, 10, 2))
        self.put_on_agenda(report, D(2026, 10, 8))
        self.assertEqual(line(self.school, "4.6", D(2026, 12, 31)).level, Level.GREEN)
        # On 1 January the quarter judged is October–December, not yet due.
        found = line(self.school, "4.6", D(2027, 1, 1))
        self.assertEqual(found.level, Level.AMBER)
        self.assertEqual(found.deadline, D(2027, 1, 8))


class ReportWarningTestCase(MeetingSteps, BaseTestCase):
    def test_the_chair_is_warned_before_the_report_is_due_once(self):
        from django.core import mail

        from trustbox.compliance.notify import compliance_warnings_send

        self.elect()
        chair = self.members[1]
        chair.email = "chair@school.example"
        chair.language = "ru"
        chair.save(update_fields=["email", "language"])
        sent = compliance_warnings_send(today=D(2026, 10, 1))
        self.assertGreaterEqual(sent, 1)
        self.assertTrue(any("5 октября 2026" in message.body for message in mail.outbox))
        self.assertEqual(compliance_warnings_send(today=D(2026, 10, 2)), 0)
