"""Archives that are proven to open, and that do not outlive the stated age (issue 23, 7)."""

from __future__ import annotations

import datetime
import io
import shutil
import tarfile
import tempfile
from pathlib import Path

from django.core.management import call_command
from django.core.management.base import CommandError
from django.test import TestCase
from django.utils import timezone, translation

from trustbox.core.backup import backup_create
from trustbox.core.backup_care import archive_made_at, backups_rotate


class BackupCareTestCase(TestCase):
    def setUp(self):
        self.enterContext(translation.override("en"))
        self.folder = Path(tempfile.mkdtemp())
        self.addCleanup(shutil.rmtree, self.folder)

    def test_verify_proves_a_real_archive_opens_and_writes_nothing(self):
        archive = backup_create(output=self.folder)
        out = io.StringIO()
        call_command("backup", "--verify", str(archive), stdout=out)
        self.assertIn("opens: every checksum holds", out.getvalue())
        self.assertEqual(list(self.folder.iterdir()), [archive])

    def test_verify_refuses_an_archive_whose_database_was_changed(self):
        archive = backup_create(output=self.folder)
        damaged = self.folder / "damaged.tar.gz"
        with tarfile.open(archive) as source, tarfile.open(damaged, "w:gz") as target:
            for member in source.getmembers():
                data = source.extractfile(member).read()
                if member.name != "manifest.json":
                    data = data[:-1] + bytes([data[-1] ^ 1])
                member.size = len(data)
                target.addfile(member, io.BytesIO(data))
        with self.assertRaisesMessage(CommandError, "checksum differs"):
            call_command("backup", "--verify", str(damaged), stdout=io.StringIO())

    def test_archives_older_than_the_days_kept_are_deleted_and_others_kept(self):
        now = timezone.now()
        names = {}
        for days in (0, 29, 31, 400):
            stamp = timezone.localtime(now - datetime.timedelta(days=days))
            path = self.folder / f"trustbox-backup-{stamp:%Y%m%d-%H%M%S}.tar.gz"
            path.write_bytes(b"x")
            names[days] = path
        (self.folder / "notes.txt").write_text("kept")
        deleted = backups_rotate(folder=self.folder, keep_days=30, now=now)
        self.assertEqual(sorted(deleted), sorted([names[31], names[400]]))
        self.assertTrue(names[29].exists() and names[0].exists())
        self.assertTrue((self.folder / "notes.txt").exists())
        self.assertIsNotNone(archive_made_at(names[0]))

    def test_the_backup_command_rotates_after_writing(self):
        old = self.folder / "trustbox-backup-20200101-023000.tar.gz"
        old.write_bytes(b"x")
        err = io.StringIO()
        call_command("backup", "--output", str(self.folder), stdout=io.StringIO(), stderr=err)
        self.assertFalse(old.exists())
        self.assertIn("Deleted", err.getvalue())
        self.assertEqual(len(list(self.folder.glob("trustbox-backup-*.tar.gz"))), 1)
