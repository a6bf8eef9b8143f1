"""The health check a monitor reads: 200 or 503, and nothing of a school, person or appeal."""

from __future__ import annotations

import datetime
import io
import json

from django.core.management import call_command
from django.core.management.base import CommandError
from django.db import connection
from django.urls import reverse
from django.utils import timezone, translation

from trustbox.core.models import Heartbeat
from trustbox.public.tests.test_database_trouble import Failing
from trustbox.test import SealedBoxTestCase, job_waiting


class HealthTestCase(SealedBoxTestCase):
    url = reverse("health")

    def checks(self, response) -> dict[str, bool]:
        return {check["name"]: check["ok"] for check in json.loads(response.content)["checks"]}

    def beat_both(self, hours_ago: float = 1) -> None:
        at = timezone.now() - datetime.timedelta(hours=hours_ago)
        for routine in Heartbeat.Routine:
            Heartbeat.objects.update_or_create(routine=routine, defaults={"finished_at": at})

    def test_a_fresh_install_is_unhealthy_until_its_daily_work_and_a_backup_ran(self):
        response = self.client.get(self.url)
        self.assertEqual(response.status_code, 503)
        self.assertEqual(
            self.checks(response),
            {
                "database": True,
                "migrations": True,
                "jobs": True,
                "daily": False,
                "backup": False,
                "cache": True,
            },
        )
        self.beat_both()
        response = self.client.get(self.url)
        self.assertEqual(response.status_code, 200)
        self.assertTrue(json.loads(response.content)["healthy"])
        self.assertIn("no-cache", response["Cache-Control"])

    def test_it_names_no_school_no_person_and_counts_no_appeal(self):
        self.beat_both()
        text = self.client.get(self.url).content.decode()
        for word in (self.school.slug, self.school.name, self.responsible.username, "appeal"):
            self.assertNotIn(word, text)

    def test_a_backup_older_than_a_day_or_a_job_left_waiting_make_it_fail(self):
        self.beat_both(hours_ago=30)
        self.assertEqual(self.client.get(self.url).status_code, 503)
        self.beat_both()
        job_waiting(since=timezone.now() - datetime.timedelta(hours=1))
        response = self.client.get(self.url)
        self.assertEqual(response.status_code, 503)
        self.assertFalse(self.checks(response)["jobs"])

    def test_a_database_that_does_not_answer_is_a_503(self):
        with connection.execute_wrapper(Failing("connection refused")):
            response = self.client.get(self.url)
        self.assertEqual(response.status_code, 503)
        self.assertEqual(self.checks(response), {"database": False, "cache": True})

    def test_the_migration_graph_is_read_once_per_process_and_the_database_asked_each_time(self):
        from unittest import mock

        from trustbox.core import health, production

        with (
            mock.patch.object(health, "_MIGRATED", set()),
            mock.patch.object(
                health, "migrations_pending", wraps=production.migrations_pending
            ) as pending,
        ):
            for _request in range(3):
                self.assertTrue(self.checks(self.client.get(self.url))["migrations"])
            self.assertEqual(pending.call_count, 1)
            with connection.execute_wrapper(Failing("connection refused")):
                response = self.client.get(self.url)
            self.assertEqual(self.checks(response), {"database": False, "cache": True})

    def test_the_command_says_each_check_and_exits_non_zero_when_one_fails(self):
        out = io.StringIO()
        with (
            translation.override("en"),
            self.assertRaisesMessage(CommandError, "Unhealthy: daily work, backup."),
        ):
            call_command("health", stdout=out)
        self.assertIn("database: ok (reachable)", out.getvalue())
        self.beat_both()
        call_command("health", stdout=io.StringIO())

    def test_a_daily_run_that_finished_is_the_one_the_check_reads(self):
        call_command("daily", stdout=io.StringIO())
        self.assertTrue(Heartbeat.objects.filter(routine=Heartbeat.Routine.DAILY).exists())

    def test_a_backup_written_is_the_one_the_check_reads(self):
        from pathlib import Path
        from unittest import mock

        with mock.patch(
            "trustbox.core.management.commands.backup.backup_create",
            return_value=Path("/tmp/trustbox-backup.tar.gz"),
        ):
            call_command("backup", verbosity=0, stdout=io.StringIO())
        self.assertTrue(Heartbeat.objects.filter(routine=Heartbeat.Routine.BACKUP).exists())
