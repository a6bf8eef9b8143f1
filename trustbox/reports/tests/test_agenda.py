"""The report goes on a meeting's agenda, is signed with the member's one key, counts meetings."""

from __future__ import annotations

import datetime

from django.test import override_settings
from django.urls import reverse
from django.utils import timezone

from trustbox.accounts.services import password_record
from trustbox.meetings.agenda import agenda_item_text, agenda_kinds
from trustbox.meetings.models import AgendaItem, Protocol, Signature
from trustbox.meetings.services import AgendaEntry, meeting_cancel, meeting_schedule
from trustbox.meetings.signing import protocol_sign
from trustbox.meetings.tests.helpers import MeetingSteps
from trustbox.reports import services
from trustbox.reports.figures import meetings_count
from trustbox.reports.models import Report, ReportSignature
from trustbox.reports.selectors import report_status, signatures_check
from trustbox.reports.tests.helpers import Spec, appeals_make
from trustbox.schools.periods import Quarter
from trustbox.seal.models import SigningKey
from trustbox.test import PASSWORD, BaseTestCase

IMMEDIATE = {"default": {"BACKEND": "django_tasks.backends.immediate.ImmediateBackend"}}
Q3 = Quarter(2026, 3)
D = datetime.date


@override_settings(TASKS=IMMEDIATE)
class ReportOnAgendaTestCase(MeetingSteps, BaseTestCase):
    @classmethod
    def setUpTestData(cls) -> None:
        super().setUpTestData()
        cls.elect()
        appeals_make(cls.school, cls.responsible, [Spec(D(2026, 9, 7))])

    def setUp(self) -> None:
        super().setUp()
        self.report = services.report_open(
            school=self.school, start=Q3.start, end=Q3.end, by=self.responsible
        )
        self.chair = self.members[1]

    def schedule(self, held_on: datetime.date, *entries: AgendaEntry):
        return meeting_schedule(
            school=self.school,
            by=self.chair,
            held_on=held_on,
            starts_at=datetime.time(15, 0),
            place="room 12",
            agenda_entries=list(entries),
        )

    def test_the_report_is_a_kind_of_agenda_item_named_by_its_period_only(self):
        self.assertIn("report", [kind.code for kind in agenda_kinds()])
        meeting = self.schedule(D(2026, 10, 8), AgendaEntry(kind="report", ref_id=self.report.pk))
        item = AgendaItem.objects.get(meeting=meeting)
        self.assertEqual(item.reference, "2026-07-01/2026-09-30")
        self.assertEqual(
            agenda_item_text(kind=item.kind, reference=item.reference, title=""),
            "the analytical report for quarter 3 of 2026 (1 July 2026 – 30 September 2026)",
        )

    def test_a_report_of_another_school_cannot_be_put_on_the_agenda(self):
        other = Report.objects.create(
            school=self.other_school, start=Q3.start, end=Q3.end, created_by=self.other_director
        )
        with self.assertRaisesMessage(Exception, "Choose what the item is about"):
            self.schedule(D(2026, 10, 8), AgendaEntry(kind="report", ref_id=other.pk))

    def test_its_status_is_the_day_of_the_meeting_whose_agenda_names_it_not_a_cancelled_one(self):
        self.assertIsNone(report_status(self.school, Q3).on_agenda)
        cancelled = self.schedule(D(2026, 10, 6), AgendaEntry(kind="report", ref_id=self.report.pk))
        meeting_cancel(meeting=cancelled, by=self.chair)
        self.assertIsNone(report_status(self.school, Q3).on_agenda)
        self.schedule(D(2026, 10, 8), AgendaEntry(kind="report", ref_id=self.report.pk))
        self.assertEqual(report_status(self.school, Q3).on_agenda, D(2026, 10, 8))
        self.schedule(D(2026, 10, 20), AgendaEntry(kind="report", ref_id=self.report.pk))
        self.assertEqual(report_status(self.school, Q3).on_agenda, D(2026, 10, 8))

    def test_the_chair_puts_the_report_on_an_upcoming_meeting_from_the_report_page(self):
        upcoming = self.schedule(timezone.localdate() + datetime.timedelta(days=3))
        url = reverse("reports:detail", args=[self.school.slug, self.report.pk])
        chair = self.login(self.chair)
        page = chair.get(url)
        add = reverse("meetings:agenda_add", args=[self.school.slug, upcoming.pk, "report"])
        self.assertContains(page, f'action="{add}"')
        self.assertContains(page, f"?ref_report={self.report.pk}")
        response = chair.post(
            add, {"add_report-kind": "report", "add_report-ref_id": str(self.report.pk)}
        )
        self.assertRedirects(
            response, reverse("meetings:detail", args=[self.school.slug, upcoming.pk])
        )
        self.assertEqual(report_status(self.school, Q3).on_agenda, upcoming.held_on)
        self.assertContains(chair.get(url), "On the agenda of the")

    def test_the_responsible_person_sees_no_agenda_button_and_cannot_add_the_item(self):
        upcoming = self.schedule(timezone.localdate() + datetime.timedelta(days=3))
        client = self.login(self.responsible)
        page = client.get(reverse("reports:detail", args=[self.school.slug, self.report.pk]))
        add = reverse("meetings:agenda_add", args=[self.school.slug, upcoming.pk, "report"])
        self.assertNotContains(page, add)
        self.assertContains(page, "Not yet on a meeting")
        refused = client.post(
            add, {"add_report-kind": "report", "add_report-ref_id": str(self.report.pk)}
        )
        self.assertEqual(refused.status_code, 403)

    def test_the_schedule_page_comes_with_the_report_ticked(self):
        client = self.login(self.chair)
        page = client.get(
            reverse("meetings:schedule", args=[self.school.slug]) + f"?ref_report={self.report.pk}"
        )
        self.assertContains(page, "Quarterly analytical report")
        self.assertRegex(
            page.content.decode(),
            rf'<input type="checkbox" name="ref_report" value="{self.report.pk}"[^>]*checked',
        )


class OneSigningKeyTestCase(MeetingSteps, BaseTestCase):
    @classmethod
    def setUpTestData(cls) -> None:
        super().setUpTestData()
        cls.elect()

    def test_the_report_and_the_protocol_are_signed_with_the_members_one_key(self):
        protocol = Protocol.objects.get(school=self.school, number=1)
        protocol_sign(protocol=protocol, member=self.responsible, password=PASSWORD)
        report = services.report_open(
            school=self.school, start=Q3.start, end=Q3.end, by=self.responsible
        )
        report = services.report_finalise(report=report, by=self.responsible, password=PASSWORD)
        key = SigningKey.objects.get(user=self.responsible)
        self.assertEqual(
            bytes(Signature.objects.get(member=self.responsible).public_key), bytes(key.public_key)
        )
        self.assertEqual(
            bytes(ReportSignature.objects.get(report=report).public_key), bytes(key.public_key)
        )
        self.assertTrue(all(ok for _signature, ok in signatures_check(report)))

    def test_the_key_follows_a_new_password_and_old_signatures_still_verify(self):
        first = services.report_open(
            school=self.school,
            start=Quarter(2026, 4).start,
            end=Quarter(2026, 4).end,
            by=self.responsible,
        )
        first = services.report_finalise(report=first, by=self.responsible, password=PASSWORD)
        self.assertTrue(
            password_record(
                user=self.responsible, old_password=PASSWORD, new_password="a new one 2026"
            )
        )
        self.responsible.set_password("a new one 2026")
        self.responsible.save()
        second = services.report_open(
            school=self.school, start=Q3.start, end=Q3.end, by=self.responsible
        )
        second = services.report_finalise(
            report=second, by=self.responsible, password="a new one 2026"
        )
        self.assertEqual(SigningKey.objects.filter(user=self.responsible).count(), 1)
        for report in (first, second):
            self.assertTrue(all(ok for _signature, ok in signatures_check(report)))

    def test_a_report_signature_is_no_protocol_signature(self):
        from trustbox.meetings.content import content_message as protocol_message
        from trustbox.seal import crypto

        report = services.report_open(
            school=self.school, start=Q3.start, end=Q3.end, by=self.responsible
        )
        services.report_finalise(report=report, by=self.responsible, password=PASSWORD)
        report.refresh_from_db()
        signature = ReportSignature.objects.get(report=report)
        self.assertFalse(
            crypto.signature_verify(
                bytes(signature.public_key),
                protocol_message({"content": report.content}),
                bytes(signature.value),
            )
        )


class MeetingsCountTestCase(MeetingSteps, BaseTestCase):
    """The report counts meetings held in its period, and protocols signed by all of them."""

    @classmethod
    def setUpTestData(cls) -> None:
        super().setUpTestData()
        cls.elect(held_on=D(2026, 9, 5))

    def test_meetings_held_and_protocols_signed_by_all_in_the_period(self):
        self.assertEqual(
            meetings_count(self.school, Q3.start, Q3.end), {"held": 1, "protocols_signed": 0}
        )
        first = Protocol.objects.get(school=self.school, number=1)
        for member in self.members:
            protocol_sign(protocol=first, member=member, password=PASSWORD)
        regular = self.drafted(held_on=D(2026, 9, 20))
        for member in self.members[:4]:
            protocol_sign(protocol=regular, member=member, password=PASSWORD)
        self.hold(held_on=D(2026, 10, 2))  # the next quarter
        self.assertEqual(
            meetings_count(self.school, Q3.start, Q3.end), {"held": 2, "protocols_signed": 1}
        )
        protocol_sign(protocol=regular, member=self.members[4], password=PASSWORD)
        self.assertEqual(
            meetings_count(self.school, Q3.start, Q3.end), {"held": 2, "protocols_signed": 2}
        )
        Protocol.objects.filter(pk=regular.pk).update(content={**regular.content, "text": "x"})
        self.assertEqual(
            meetings_count(self.school, Q3.start, Q3.end), {"held": 2, "protocols_signed": 1}
        )
