import datetime
import io
from unittest import mock

from django.core.management import call_command

from trustbox.core import daily
from trustbox.test import BaseTestCase


class DailyCommandTestCase(BaseTestCase):
    def test_it_runs_every_job_of_the_day_and_says_what_each_did(self):
        out = io.StringIO()
        call_command("daily", "--date", "2026-12-01", stdout=out)
        self.assertIn("remind: deadline reminders sent: 0", out.getvalue())

    def test_a_failing_job_is_reported_and_the_others_still_run(self):
        ran = []

        def broken(today: datetime.date) -> str:
            raise RuntimeError("boom")

        def fine(today: datetime.date) -> str:
            ran.append(today)
            return "ok"

        jobs = [("broken", broken), ("fine", fine)]
        with mock.patch.object(daily, "DAILY_JOBS", jobs), self.assertLogs("trustbox.core.daily"):
            lines = daily.daily_run(today=datetime.date(2026, 12, 1))
        self.assertEqual(lines, ["broken: FAILED (see the log)", "fine: ok"])
        self.assertEqual(ran, [datetime.date(2026, 12, 1)])
