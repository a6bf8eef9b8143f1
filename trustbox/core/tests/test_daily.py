import datetime
import io
from unittest import mock

from django.core import mail
from django.core.management import call_command
from django.core.management.base import CommandError
from django.utils import translation

from trustbox.accounts.models import User
from trustbox.audit.models import AuditChain, AuditEntry, ChainDigest
from trustbox.audit.tests.test_log_page import elect_chair
from trustbox.core import daily
from trustbox.test import BaseTestCase


class DailyCommandTestCase(BaseTestCase):
    def setUp(self):
        super().setUp()
        self.enterContext(translation.override("en"))

    def test_it_runs_every_job_of_the_day_and_says_what_each_did(self):
        out = io.StringIO()
        call_command("daily", "--date", "2026-12-01", stdout=out)
        self.assertIn("remind: deadline reminders sent: 0", out.getvalue())
        self.assertIn("mails of writers who wrote back: 0", out.getvalue())

    def test_it_freezes_the_quarters_past_their_report_deadline_for_the_district(self):
        from trustbox.reports.models import Freeze

        out = io.StringIO()
        call_command("daily", "--date", "2026-12-01", stdout=out)
        self.assertIn("tallies: school quarters frozen for the district's views:", out.getvalue())
        # 2026-3 was due by 5 October: frozen; 2026-4 is not over, so it is not.
        frozen = set(Freeze.objects.filter(school=self.school).values_list("quarter", flat=True))
        self.assertIn(datetime.date(2026, 7, 1), frozen)
        self.assertNotIn(datetime.date(2026, 10, 1), frozen)

    def test_a_failing_job_is_reported_and_the_others_still_run(self):
        ran = []

        def broken(today: datetime.date) -> str:
            raise RuntimeError("boom")

        def fine(today: datetime.date) -> str:
            ran.append(today)
            return "ok"

        jobs = [("broken", broken), ("fine", fine)]
        with mock.patch.object(daily, "DAILY_JOBS", jobs), self.assertLogs("trustbox.core.daily"):
            run = daily.daily_run(today=datetime.date(2026, 12, 1))
        self.assertEqual(run.lines, ["broken: FAILED (see the log)", "fine: ok"])
        self.assertEqual(run.unfinished, ["broken"])
        self.assertEqual(ran, [datetime.date(2026, 12, 1)])

    def test_the_command_exits_non_zero_naming_a_failed_job_after_running_the_others(self):
        def broken(today: datetime.date) -> str:
            raise RuntimeError("boom")

        jobs = [("broken", broken), ("fine", lambda today: "ok")]
        out = io.StringIO()
        with (
            mock.patch.object(daily, "DAILY_JOBS", jobs),
            self.assertLogs("trustbox.core.daily"),
            self.assertRaisesMessage(CommandError, "1 job of the day did not finish: broken."),
        ):
            call_command("daily", "--date", "2026-12-01", stdout=out)
        self.assertEqual(out.getvalue().splitlines(), ["broken: FAILED (see the log)", "fine: ok"])

    def test_a_clean_run_exits_zero(self):
        call_command("daily", "--date", "2026-12-01", stdout=io.StringIO())


class DailyChainsTestCase(BaseTestCase):
    def setUp(self):
        super().setUp()
        self.enterContext(translation.override("en"))
        elect_chair(self)
        self.chair = self.members[1]
        for user in (self.chair, self.responsible, self.members[2]):
            User.objects.filter(pk=user.pk).update(email=f"{user.username}@school.kg")

    def run_daily(self):
        out = io.StringIO()
        call_command("daily", "--date", "2026-12-01", stdout=out)
        return out.getvalue()

    def test_it_checks_every_chain_in_full_and_mails_the_chair_and_the_responsible_person(self):
        out = self.run_daily()
        self.assertIn(
            "chains: chains checked in full: 2 schools and the install, all whole; "
            "digests mailed: 1",
            out,
        )
        digest = ChainDigest.objects.get()
        self.assertEqual((digest.school, digest.day), (self.school, datetime.date(2026, 12, 1)))
        self.assertEqual(
            sorted(m.to[0] for m in mail.outbox),
            [f"{self.responsible.username}@school.kg", f"{self.chair.username}@school.kg"],
        )
        # The full check came first: it ends just before the digest's own entry, written last.
        chain = AuditChain.objects.get(key=AuditChain.key_for(self.school, "staff"))
        digest_entry = AuditEntry.objects.get(school=self.school, action="chain.digest")
        self.assertEqual(chain.checked_hash, digest_entry.prev_hash)
        self.assertEqual(chain.checked_count, chain.count - 1)
        self.assertIsNotNone(chain.checked_at)

    def test_a_broken_chain_is_named_for_the_operator(self):
        entry = AuditEntry.objects.filter(school=self.school).first()
        AuditEntry.raw.filter(pk=entry.pk).update(action="x")
        self.assertIn("broken: alatoo; digests mailed: 1", self.run_daily())
        chain = AuditChain.objects.get(key=AuditChain.key_for(self.school, "staff"))
        self.assertEqual(chain.checked_id, 0)

    def test_a_failing_mail_server_does_not_stop_the_other_schools(self):
        User.objects.filter(pk=self.other_commission.responsible_id).update(email="r@other.kg")
        out = io.StringIO()
        with (
            mock.patch("trustbox.audit.digests.mail_people", side_effect=[OSError, 1]),
            self.assertLogs("trustbox", "WARNING"),
            self.assertRaisesMessage(CommandError, "did not finish: chains."),
        ):
            call_command("daily", "--date", "2026-12-01", stdout=out)
        self.assertIn(
            "digests mailed: 1, not mailed (mail server): 1; NOT FINISHED", out.getvalue()
        )
        self.assertEqual(ChainDigest.objects.get().school, self.other_school)

    def test_a_mail_server_that_refuses_everything_makes_the_run_fail_for_cron(self):
        out = io.StringIO()
        with (
            mock.patch(
                "django.core.mail.backends.locmem.EmailBackend.send_messages",
                side_effect=ConnectionRefusedError,
            ),
            self.assertLogs("trustbox", "WARNING"),
            self.assertRaisesMessage(CommandError, "did not finish: chains."),
        ):
            call_command("daily", "--date", "2026-12-01", stdout=out)
        self.assertIn("chains: chains checked in full", out.getvalue())
        self.assertIn("tallies: ", out.getvalue())  # the jobs after it still ran
