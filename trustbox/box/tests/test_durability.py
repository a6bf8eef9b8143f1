"""A receipt shown is on the disk: SQLite syncs its log at every commit (issue 23, point 2)."""

from unittest import skipUnless

from django.db import connection
from django.test import SimpleTestCase

SQLITE_SYNCHRONOUS_FULL = 2


@skipUnless(connection.vendor == "sqlite", "PostgreSQL's commits are durable by default")
class DurableCommitsTestCase(SimpleTestCase):
    databases = {"default"}

    def test_every_connection_syncs_the_log_at_each_commit(self):
        with connection.cursor() as cursor:
            cursor.execute("PRAGMA synchronous")
            (level,) = cursor.fetchone()
            cursor.execute("PRAGMA journal_mode")
            (journal,) = cursor.fetchone()
        self.assertEqual((level, journal), (SQLITE_SYNCHRONOUS_FULL, "wal"))
