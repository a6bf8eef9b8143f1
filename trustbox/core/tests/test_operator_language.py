"""Every operator command speaks the operator's language: LANGUAGE_CODE, or --language (issue 23,
point 8)."""

from __future__ import annotations

import contextlib
from io import StringIO
from unittest import mock

from django.db import connections
from django.test import SimpleTestCase
from django.utils import translation

from trustbox.__main__ import PROGRAM
from trustbox.core.commandline import TrustBoxUtility, language_taken_out
from trustbox.test import SealedBoxTestCase


def run(*argv: str) -> tuple[str, str, int]:
    """The program run in this process as from the shell: (stdout, stderr, exit status)."""
    out, err = StringIO(), StringIO()
    status = 0
    # The command closes the connections when it ends, which would end the test's transaction.
    with (
        contextlib.redirect_stdout(out),
        contextlib.redirect_stderr(err),
        mock.patch.object(connections, "close_all"),
    ):
        try:
            TrustBoxUtility([PROGRAM, *argv]).execute()
        except SystemExit as exit:
            status = int(exit.code or 0)
    return out.getvalue(), err.getvalue(), status


class OperatorLanguageTestCase(SealedBoxTestCase):
    def tearDown(self) -> None:
        translation.deactivate()
        super().tearDown()

    def test_keys_status_speaks_kyrgyz_by_default(self):
        out, _err, status = run("keys", "status", "alatoo")
        self.assertEqual(status, 0)
        lines = out.splitlines()
        self.assertEqual(lines[0], f"Мектеп: {self.school.name}")
        self.assertTrue(
            lines[1].startswith("Кутунун ачкычы: 5 мүчөнүн 3, камдык бөлүктөр: 2,"), lines[1]
        )
        self.assertTrue(lines[2].startswith("Ачкычтын бөлүктөрү кимде: "), lines[2])

    def test_language_ru_gives_russian_lines_wherever_it_stands(self):
        for argv in (
            ("--language", "ru", "keys", "status", "alatoo"),
            ("keys", "status", "alatoo", "--language=ru"),
        ):
            out, _err, status = run(*argv)
            self.assertEqual(status, 0)
            lines = out.splitlines()
            self.assertEqual(lines[0], f"Школа: {self.school.name}")
            self.assertTrue(
                lines[1].startswith("Ключ ящика: 3 из 5 членов комиссии, резервных частей: 2,"),
                lines[1],
            )

    def test_an_error_speaks_the_chosen_language_too(self):
        _out, err, status = run("keys", "status", "nowhere", "--language", "ru")
        self.assertEqual(status, 1)
        self.assertIn("Школы nowhere нет.", err)
        _out, err, status = run("keys", "renew", "alatoo")
        self.assertEqual(status, 1)
        self.assertIn("keys renew сырсөздү да, камдык бөлүктү да кабыл албайт", err)

    def test_the_days_job_lines_speak_the_chosen_language(self):
        out, _err, _status = run("daily", "--date", "2026-12-07", "--language", "ru")
        self.assertIn("chains: цепочки проверены полностью: школ — 2, и установка", out)
        self.assertIn("remind: отправлено напоминаний о сроках: 0;", out)

    def test_english_is_there_for_whoever_asks(self):
        out, _err, status = run("--language", "en", "keys", "status", "alatoo")
        self.assertEqual(status, 0)
        self.assertIn("Box key: 3 of 5 members, 2 reserve parts", out)

    def test_a_language_trust_box_does_not_speak_is_refused_in_one_line(self):
        out, err, status = run("--language", "de", "keys", "status", "alatoo")
        self.assertEqual(status, 1)
        self.assertEqual(out, "")
        self.assertEqual(len(err.splitlines()), 1)
        self.assertIn("ky, ru, en", err)


class LanguageOptionTestCase(SimpleTestCase):
    def test_the_option_is_taken_out_of_the_command_line_in_both_spellings(self):
        self.assertEqual(
            language_taken_out(["p", "--language", "ru", "backup", "--keep-days", "3"]),
            (["p", "backup", "--keep-days", "3"], "ru"),
        )
        self.assertEqual(
            language_taken_out(["p", "health", "--language=en"]), (["p", "health"], "en")
        )
        self.assertEqual(language_taken_out(["p", "health"]), (["p", "health"], None))

    def test_words_after_a_double_dash_are_left_alone(self):
        self.assertEqual(
            language_taken_out(["p", "shell", "--", "--language", "ru"]),
            (["p", "shell", "--", "--language", "ru"], None),
        )
