"""The command line speaks like a tool: its own name, its own commands (issue 23, point 8)."""

from __future__ import annotations

from django.test import SimpleTestCase

from trustbox.__main__ import PROGRAM
from trustbox.core.commandline import TrustBoxUtility


class CommandLineTestCase(SimpleTestCase):
    def test_the_list_is_trust_boxs_commands_each_with_its_line_and_the_programs_own_name(self):
        text = TrustBoxUtility([PROGRAM, "help", "--language", "en"]).main_help_text()
        self.assertIn("Usage: python -m trustbox <command>", text)
        self.assertNotIn("python -m django", text)
        lines = {line.split()[0]: line for line in text.splitlines() if line.startswith("  ")}
        for command in ("backup", "restore", "daily", "serve", "health", "schools", "migrate"):
            self.assertIn(command, lines)
            self.assertGreater(len(lines[command].split()), 3, lines[command])
        for django_only in ("createsuperuser", "flush", "startproject", "sqlflush"):
            self.assertNotIn(django_only, lines)

    def test_djangos_own_commands_are_still_listed_with_all(self):
        text = TrustBoxUtility([PROGRAM, "help", "--all"]).main_help_text()
        self.assertIn("flush", text)
        self.assertNotIn("python -m django", text)

    def test_a_commands_usage_names_the_program(self):
        utility = TrustBoxUtility([PROGRAM, "help", "backup", "--language", "en"])
        parser = utility.fetch_command("backup").create_parser(utility.prog_name, "backup")
        self.assertTrue(parser.format_usage().startswith("usage: python -m trustbox backup"))


class RestoreTimeTestCase(SimpleTestCase):
    def test_the_backups_time_is_said_in_local_time_as_its_name(self):
        from trustbox.core.management.commands.restore import local_time

        # Bishkek is UTC+6: an archive named …-20261207-0310 was made at 21:10 UTC the day before.
        with self.settings(TIME_ZONE="Asia/Bishkek"):
            self.assertEqual(local_time("2026-12-06T21:10:05+00:00"), "2026-12-07 03:10")
