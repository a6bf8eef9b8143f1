"""The ledger of destructions: outside every archive, beside them, and in the daily log."""

from __future__ import annotations

import datetime
import io
import json
import shutil
import tarfile
import tempfile
from pathlib import Path

from django.core.management import call_command
from django.core.management.base import CommandError
from django.test import TestCase, override_settings
from django.utils import translation

from trustbox.core import daily
from trustbox.core.destructions import (
    LEDGER_NAME,
    ledger_beside,
    ledger_path,
    ledger_read,
    ledgers_read,
    on_appeal_destroyed,
)
from trustbox.registry.destruction import Destroyed

FIRST = Destroyed("alatoo", "2026/014", 3, "2031/1", "2031-01-10")
SECOND = Destroyed("alatoo", "2026/015", 4, "2031/1", "2031-01-11")


class LedgerTestCase(TestCase):
    def setUp(self):
        self.enterContext(translation.override("en"))
        self.data = Path(tempfile.mkdtemp())
        self.folder = Path(tempfile.mkdtemp())
        self.addCleanup(shutil.rmtree, self.data)
        self.addCleanup(shutil.rmtree, self.folder)
        self.enterContext(override_settings(DATA_DIR=self.data))

    def test_each_destruction_adds_a_line_of_no_content_to_the_data_folders_ledger(self):
        on_appeal_destroyed(record=FIRST, sender=None)
        on_appeal_destroyed(record=SECOND, sender=None)
        self.assertEqual(ledger_read(ledger_path()), [FIRST, SECOND])
        line = json.loads(ledger_path().read_text().splitlines()[0])
        self.assertEqual(set(line), {"school", "number", "seq", "act", "day"})
        self.assertEqual(ledger_path().stat().st_mode & 0o777, 0o600)

    def test_the_ledger_beside_the_archives_keeps_what_it_had_and_adds_the_data_folders(self):
        (self.folder / LEDGER_NAME).write_text(json.dumps(FIRST.__dict__) + "\nnot a line\n")
        on_appeal_destroyed(record=SECOND, sender=None)
        beside = ledger_beside(self.folder)
        self.assertEqual(ledger_read(beside), [FIRST, SECOND])
        self.assertEqual(ledgers_read([beside, ledger_path()]), [FIRST, SECOND])

    def test_backup_says_the_maximum_age_and_writes_the_ledger_outside_the_archive(self):
        on_appeal_destroyed(record=FIRST, sender=None)
        err = io.StringIO()
        out = io.StringIO()
        call_command("backup", "--output", str(self.folder), stdout=out, stderr=err)
        self.assertIn("kept for at most 30 days", err.getvalue())
        self.assertIn("destructions listed: 1", err.getvalue())
        self.assertEqual(ledger_read(self.folder / LEDGER_NAME), [FIRST])
        with tarfile.open(out.getvalue().strip()) as archive:
            self.assertNotIn(LEDGER_NAME, archive.getnames())
        err, another = io.StringIO(), self.folder / "another"
        call_command("backup", "--output", str(another), "--keep-days", "0", stdout=out, stderr=err)
        self.assertIn("WARNING: --keep-days 0 keeps every archive for ever", err.getvalue())

    def test_restore_refuses_a_ledger_that_is_not_there(self):
        archive = self.folder / "trustbox-backup-20310101-023000.tar.gz"
        archive.write_bytes(b"x")
        with self.assertRaisesMessage(CommandError, "No file"):
            call_command("restore", str(archive), "--destructions", str(self.folder / "gone.jsonl"))

    def test_the_daily_log_lists_the_destructions_since_yesterday(self):
        on_appeal_destroyed(record=FIRST, sender=None)
        on_appeal_destroyed(record=SECOND, sender=None)
        line = daily._destructions(datetime.date(2031, 1, 12))
        self.assertEqual(
            line,
            "destructions in the ledger since yesterday: 1; alatoo 2026/015 (2031/1, 2031-01-11)",
        )
