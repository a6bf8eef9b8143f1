import datetime
import io
from unittest import mock

from django.core import mail
from django.core.management import call_command

from trustbox.accounts.models import User
from trustbox.commission.models import Commission
from trustbox.compliance.models import ComplianceWarning
from trustbox.compliance.notify import compliance_warnings_send
from trustbox.lib.tests.mailcheck import assert_mail
from trustbox.meetings.models import Protocol
from trustbox.meetings.signing import protocol_sign
from trustbox.meetings.tests.helpers import MeetingSteps
from trustbox.test import PASSWORD, BaseTestCase

D = datetime.date


class WarningsTestCase(MeetingSteps, BaseTestCase):
    """The chair is warned before the half-year ends short of meetings: once, without content."""

    @classmethod
    def setUpTestData(cls):
        super().setUpTestData()
        cls.elect()
        protocol = Protocol.objects.get(school=cls.school)
        for member in cls.members:
            protocol_sign(protocol=protocol, member=member, password=PASSWORD)
        for person in cls.members:
            person.email = f"{person.username}@school.example"
            person.save(update_fields=["email"])

    def test_the_chair_is_warned_three_weeks_before_the_half_year_ends(self):
        self.assertEqual(compliance_warnings_send(today=D(2026, 12, 9)), 0)
        self.assertEqual(compliance_warnings_send(today=D(2026, 12, 10)), 1)
        (message,) = mail.outbox
        self.assertEqual(message.to, [self.members[1].email])
        secrets = [m.full_name for m in self.members] + ["protocol", "meeting"]
        # In Kyrgyz, the school's language; once she chose Russian, in Russian.
        for part in assert_mail(self, message, language="ky", secrets=secrets):
            self.assertIn("2026-жылдын 31-декабры", part)
            self.assertIn("/s/alatoo/compliance/", part)
        self.assertIn("2026-жылдын 31-декабры", message.subject)
        ComplianceWarning.objects.all().delete()
        User.objects.filter(pk=self.members[1].pk).update(language="ru")
        self.assertEqual(compliance_warnings_send(today=D(2026, 12, 10)), 1)
        for part in assert_mail(self, mail.outbox[1], language="ru", secrets=secrets):
            self.assertIn("31 декабря 2026 г.", part)
            self.assertIn("/s/alatoo/compliance/", part)

    def test_a_deadline_is_warned_once_not_every_day(self):
        compliance_warnings_send(today=D(2026, 12, 10))
        compliance_warnings_send(today=D(2026, 12, 10))
        compliance_warnings_send(today=D(2026, 12, 11))
        self.assertEqual(len(mail.outbox), 1)
        self.assertEqual(
            ComplianceWarning.objects.get(school=self.school).deadline, D(2026, 12, 31)
        )

    def test_a_warning_the_mail_server_refused_is_tried_again_next_run(self):
        with (
            mock.patch("trustbox.compliance.notify.mail_send", side_effect=OSError),
            self.assertLogs("trustbox.compliance.notify"),
        ):
            self.assertEqual(compliance_warnings_send(today=D(2026, 12, 10)), 0)
        self.assertFalse(ComplianceWarning.objects.filter(school=self.school).exists())
        self.assertEqual(compliance_warnings_send(today=D(2026, 12, 11)), 1)

    def test_until_a_chair_is_elected_the_responsible_person_is_warned(self):
        Commission.objects.filter(pk=self.commission.pk).update(chair=None, secretary=None)
        compliance_warnings_send(today=D(2026, 12, 10))
        self.assertEqual(mail.outbox[0].to, [self.responsible.email])

    def test_the_daily_command_runs_the_warnings(self):
        out = io.StringIO()
        call_command("daily", "--date", "2026-12-10", stdout=out)
        self.assertIn("compliance: warnings sent: 1", out.getvalue())
