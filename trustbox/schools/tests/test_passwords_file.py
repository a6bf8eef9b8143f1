"""The rollout's initial-passwords file opens in Kyrgyz and Russian Excel, Cyrillic intact."""

from __future__ import annotations

import os
import shutil
import stat
import tempfile
from io import StringIO
from pathlib import Path

from django.core.management import call_command
from django.core.management.base import CommandError

from trustbox.accounts.models import User
from trustbox.lib.tests.spreadsheets import SpreadsheetAssertions
from trustbox.test import BaseTestCase

ROLLOUT = (
    "district_slug;district_name;school_slug;school_name;director_login;director_name\n"
    "kara-suu;Кара-Суу району;myrzakmatov;С. Мырзакматов атындагы орто мектеби;jypar;"
    "Бектурганова Жыпар\n"
    "kara-suu;;balasagyn;Ж. Баласагын атындагы мектеп-гимназиясы;aibek;Асанов Айбек\n"
)


class PasswordsFileTestCase(SpreadsheetAssertions, BaseTestCase):
    def setUp(self) -> None:
        super().setUp()
        self.folder = Path(tempfile.mkdtemp())
        self.addCleanup(shutil.rmtree, self.folder)
        self.passwords = self.folder / "initial-passwords.csv"

    def load(self) -> None:
        rollout = self.folder / "rollout.csv"
        rollout.write_text(ROLLOUT, encoding="utf-8")
        call_command(
            "schools",
            "import",
            str(rollout),
            "--passwords",
            str(self.passwords),
            stdout=StringIO(),
            stderr=StringIO(),
        )

    def test_the_passwords_file_has_a_bom_and_semicolons_and_its_owner_alone_reads_it(self):
        self.load()
        self.assertEqual(stat.S_IMODE(os.stat(self.passwords).st_mode), 0o600)
        rows = self.assertOpensInColumns(self.passwords.read_bytes(), columns=5)
        self.assertEqual(rows[0][-1], "initial_password")
        people = {row[2]: row for row in rows[1:3]}
        self.assertEqual(
            people["jypar"][:4],
            ["myrzakmatov", "С. Мырзакматов атындагы орто мектеби", "jypar", "Бектурганова Жыпар"],
        )
        self.assertEqual(people["aibek"][3], "Асанов Айбек")
        for login, row in people.items():
            self.assertTrue(User.objects.get(username=login).check_password(row[4]))

    def test_a_passwords_file_already_there_is_never_written_over_and_nothing_is_imported(self):
        self.passwords.write_bytes(b"kept")
        with self.assertRaises(CommandError):
            self.load()
        self.assertEqual(self.passwords.read_bytes(), b"kept")
        self.assertFalse(User.objects.filter(username__in=("jypar", "aibek")).exists())
