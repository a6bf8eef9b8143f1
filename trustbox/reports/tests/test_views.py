"""The school's report pages: who sees them, drafts, finalising with a signature, and status."""

from __future__ import annotations

import datetime
from unittest import mock

from django.test import override_settings
from django.urls import reverse

from trustbox.audit.models import AuditEntry
from trustbox.registry.deadlines import is_working_day
from trustbox.reports import services
from trustbox.reports.models import Freeze, Report, Tally
from trustbox.reports.selectors import report_status
from trustbox.reports.tests.helpers import Spec, appeals_make
from trustbox.schools.periods import Quarter
from trustbox.seal.models import SigningKey
from trustbox.test import PASSWORD, BaseTestCase

IMMEDIATE = {"default": {"BACKEND": "django_tasks.backends.immediate.ImmediateBackend"}}
Q3 = Quarter(2026, 3)


@override_settings(TASKS=IMMEDIATE)
class ReportPagesTestCase(BaseTestCase):
    @classmethod
    def setUpTestData(cls) -> None:
        super().setUpTestData()
        appeals_make(cls.school, cls.responsible, [Spec(datetime.date(2026, 7, 6))])

    def open(self) -> Report:
        return services.report_open(
            school=self.school, start=Q3.start, end=Q3.end, by=self.responsible
        )

    def test_the_responsible_person_prepares_a_quarter_from_the_list(self):
        client = self.login(self.responsible)
        self.assertContains(
            client.get(reverse("reports:list", args=[self.school.slug])), 'name="quarter"'
        )
        response = client.post(
            reverse("reports:create", args=[self.school.slug]), {"quarter": str(Q3)}
        )
        report = Report.objects.get(school=self.school)
        self.assertRedirects(
            response, reverse("reports:detail", args=[self.school.slug, report.pk])
        )
        self.assertEqual((report.start, report.end), (Q3.start, Q3.end))
        page = client.get(response["Location"])
        self.assertContains(page, "data:image/svg+xml;base64,")

    def test_a_bad_period_comes_back_with_a_message(self):
        client = self.login(self.responsible)
        response = client.post(
            reverse("reports:create", args=[self.school.slug]),
            {"start": "2026-09-01", "end": "2026-08-01"},
        )
        self.assertEqual(response.status_code, 400)
        self.assertFalse(Report.objects.exists())

    def test_a_member_reads_but_does_not_prepare_and_a_teacher_sees_nothing(self):
        report = self.open()
        member = self.login(self.members[3])
        self.assertEqual(
            member.get(reverse("reports:detail", args=[self.school.slug, report.pk])).status_code,
            200,
        )
        self.assertEqual(
            member.post(
                reverse("reports:finalise", args=[self.school.slug, report.pk]),
                {"password": PASSWORD},
            ).status_code,
            403,
        )
        teacher = self.login(self.teacher)
        self.assertEqual(
            teacher.get(reverse("reports:list", args=[self.school.slug])).status_code, 403
        )

    def test_the_draft_is_saved_then_finalised_signed_frozen_and_unchangeable(self):
        report = self.open()
        client = self.login(self.responsible)
        client.post(
            reverse("reports:analysis", args=[self.school.slug, report.pk]),
            {"analysis": "Bullying grew at breaks.", "proposals": "More duty teachers."},
        )
        report.refresh_from_db()
        self.assertEqual(report.analysis, "Bullying grew at breaks.")
        wrong = client.post(
            reverse("reports:finalise", args=[self.school.slug, report.pk]), {"password": "nope"}
        )
        self.assertEqual(wrong.status_code, 400)
        client.post(
            reverse("reports:finalise", args=[self.school.slug, report.pk]), {"password": PASSWORD}
        )
        report.refresh_from_db()
        self.assertTrue(report.is_final)
        self.assertTrue(SigningKey.objects.filter(user=self.responsible).exists())
        self.assertTrue(Freeze.objects.filter(school=self.school, quarter=Q3.start).exists())
        self.assertEqual(
            sum(Tally.objects.filter(school=self.school).values_list("count", flat=True)), 1
        )
        page = client.get(reverse("reports:detail", args=[self.school.slug, report.pk]))
        self.assertContains(page, "Bullying grew at breaks.")
        self.assertTrue(all(ok for _s, ok in page.context["signatures"]))
        again = client.post(
            reverse("reports:analysis", args=[self.school.slug, report.pk]),
            {"analysis": "x", "proposals": ""},
        )
        self.assertEqual(again.status_code, 400)  # refused, with the reason
        report.refresh_from_db()
        self.assertEqual(report.analysis, "Bullying grew at breaks.")
        self.assertTrue(AuditEntry.objects.filter(action="report.finalise").exists())

    def test_a_signed_report_changed_in_the_database_no_longer_verifies(self):
        report = self.open()
        services.report_finalise(report=report, by=self.responsible, password=PASSWORD)
        status = report_status(self.school, Q3)
        self.assertTrue(status.prepared and status.signed)
        Report.objects.filter(pk=report.pk).update(analysis="Something else.")
        self.assertFalse(report_status(self.school, Q3).signed)

    def test_report_status_says_prepared_on_time_and_the_day_of_the_agenda_naming_it(self):
        status = report_status(self.school, Q3)
        self.assertFalse(status.prepared)
        self.assertIsNone(status.on_agenda)
        report = self.open()
        services.report_finalise(report=report, by=self.responsible, password=PASSWORD)
        status = report_status(self.school, Q3)
        self.assertTrue(status.prepared)
        self.assertIsNone(status.on_agenda)
        self.assertEqual(status.due_on, Q3.due_on)
        self.assertEqual(status.on_time, status.finalised_on <= Q3.due_on)
        with mock.patch(
            "trustbox.reports.selectors.report_on_agenda", return_value=datetime.date(2026, 10, 8)
        ) as found:
            self.assertEqual(report_status(self.school, Q3).on_agenda, datetime.date(2026, 10, 8))
        found.assert_called_once_with(report)

    def test_the_fifth_of_january_on_a_holiday_moves_the_deadline(self):
        # 5 January 2025 is a Sunday (and 7 January is Christmas): a later working day.
        due = Quarter(2024, 4).due_on
        self.assertGreater(due, datetime.date(2025, 1, 5))
        self.assertTrue(is_working_day(due))
        self.assertEqual(Quarter(2026, 2).due_on, datetime.date(2026, 7, 6))  # 5 July 2026: Sunday
