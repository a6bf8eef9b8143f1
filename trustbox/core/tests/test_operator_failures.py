"""Operator commands that fail say so in one line and exit non-zero (issue 23, point 4).

cron and systemd only see an exit status: a command that fails and exits 0, or dies in a
traceback, hides the failure from the operator who reads neither.
"""

from __future__ import annotations

import os
import shutil
import tempfile
from pathlib import Path
from unittest import mock

from django.conf import settings
from django.core.management import call_command
from django.core.management.base import CommandError
from django.test import SimpleTestCase
from django.utils import translation

from trustbox.core import backup
from trustbox.core.production import database_unreachable
from trustbox.core.tests.processes import run_trustbox, trustbox_env

# A PostgreSQL address where nothing listens: a socket folder that does not exist.
NO_DATABASE = "postgres://postgres@%2Fnonexistent-trustbox-socket:5432/trustbox"


def operator_line_start() -> str:
    """The line's words before its reason, in the operator's language (LANGUAGE_CODE)."""
    with translation.override(settings.LANGUAGE_CODE):
        return database_unreachable(Exception("REASON")).split("REASON")[0]


class BackupFailuresTestCase(SimpleTestCase):
    databases = {"default"}  # the archive's manifest lists the applied migrations

    def setUp(self):
        self.enterContext(translation.override("en"))
        self.folder = Path(tempfile.mkdtemp())
        self.addCleanup(shutil.rmtree, self.folder)

    def test_an_output_that_is_a_file_is_refused_with_one_line(self):
        existing = self.folder / "backup.tar.gz"
        existing.write_bytes(b"kept")
        with self.assertRaisesMessage(CommandError, "is a file, not a folder"):
            call_command("backup", "--output", str(existing), verbosity=0)
        self.assertEqual(existing.read_bytes(), b"kept")

    def test_a_full_disk_is_named_and_leaves_nothing_half_written(self):
        def small_copy(work: Path) -> Path:
            copy = work / backup.SQLITE_MEMBER
            copy.write_bytes(os.urandom(64 * 1024))
            return copy

        def full_disk(fd: int, mode: str = "r", *args: object, **kwargs: object):
            os.close(fd)
            return open("/dev/full", mode)  # a real ENOSPC on write

        with (
            mock.patch.object(backup, "_database_copy", small_copy),
            mock.patch.object(backup.os, "fdopen", full_disk),
            self.assertRaisesMessage(CommandError, "No space left on device. Nothing was kept."),
        ):
            call_command("backup", "--output", str(self.folder), verbosity=0)
        self.assertEqual(list(self.folder.iterdir()), [])


class DatabaseDownTestCase(SimpleTestCase):
    """A real child process against a PostgreSQL address where nothing answers."""

    def setUp(self):
        self.data_dir = Path(tempfile.mkdtemp()) / "data"
        self.addCleanup(shutil.rmtree, self.data_dir.parent)

    def run_down(self, *args: str):
        env = trustbox_env(
            self.data_dir,
            DATABASE_URL=NO_DATABASE,
            # Production's rule, so that no system check warning comes before the line.
            TRUSTBOX_OPENING_TAKES_ITS_OWN_DAY="0",
        )
        return run_trustbox(*args, data_dir=self.data_dir, env=env, check=False)

    def assert_one_clear_line(self, result):
        self.assertEqual(result.returncode, 1, result.stderr)
        self.assertNotIn("Traceback", result.stderr)
        lines = [line for line in result.stderr.splitlines() if line.strip()]
        self.assertEqual(len(lines), 1, result.stderr)
        self.assertIn(operator_line_start(), lines[0])

    def test_serve_with_the_database_down_exits_with_one_line(self):
        self.assert_one_clear_line(self.run_down("serve", "--bind", "127.0.0.1:1"))

    def test_check_of_the_database_with_the_database_down_is_an_error(self):
        result = self.run_down("check", "--database", "default")
        self.assertEqual(result.returncode, 1, result.stderr)
        self.assertNotIn("Traceback", result.stderr)
        self.assertIn(operator_line_start(), result.stderr)
        self.assertNotIn("no issues", result.stdout + result.stderr)


class ServeArgumentsTestCase(SimpleTestCase):
    def setUp(self):
        self.enterContext(translation.override("en"))

    def test_serve_refuses_zero_workers_threads_or_timeout_before_starting(self):
        for option in ("--workers", "--threads", "--timeout"):
            with self.subTest(option), self.assertRaisesMessage(CommandError, option):
                call_command("serve", option, "0")


class ServeWorkersTestCase(SimpleTestCase):
    """Without a shared cache each worker would count the limits alone (issue 23, point 6)."""

    def setUp(self):
        self.enterContext(translation.override("en"))

    def test_several_workers_without_a_shared_cache_are_refused_with_how_to_add_redis(self):
        with self.assertRaisesMessage(CommandError, "Set TRUSTBOX_REDIS_URL"):
            call_command("serve", "--workers", "3")

    def test_the_default_is_one_worker_without_a_shared_cache_and_more_with_one(self):
        from trustbox.core.management.commands.serve import Command, default_workers

        self.assertEqual(Command().workers(None), 1)
        self.assertEqual(Command().workers(1), 1)
        redis = {"default": {"BACKEND": "django.core.cache.backends.redis.RedisCache"}}
        with self.settings(CACHES=redis):
            self.assertEqual(Command().workers(None), default_workers())
            self.assertEqual(Command().workers(4), 4)
