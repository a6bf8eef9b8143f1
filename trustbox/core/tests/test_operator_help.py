"""Every operator command's --help, the health lines and the demo's lines speak the operator's
language: Kyrgyz by default, Russian or English with --language (issue 23, point 8)."""

from __future__ import annotations

import argparse
import json
from collections.abc import Iterator

import pytest
from django.core.management import get_commands, load_command_class
from django.test import SimpleTestCase, TestCase
from django.urls import reverse
from django.utils import timezone, translation

from trustbox.__main__ import PROGRAM
from trustbox.core.commandline import OWN_APPS_PREFIX
from trustbox.core.models import Heartbeat
from trustbox.core.tests.test_operator_language import run
from trustbox.lib.commands import OperatorCommand
from trustbox.test import BaseTestCase


def own_commands() -> dict[str, str]:
    return {name: app for name, app in get_commands().items() if app.startswith(OWN_APPS_PREFIX)}


def texts(parser: argparse.ArgumentParser, where: str) -> Iterator[tuple[str, str]]:
    """Every text a parser shows in its help (sub-commands' too): (where, text)."""
    yield f"{where}: usage", parser.format_usage().split(PROGRAM)[0]
    yield f"{where}: options heading", parser._optionals.title or ""
    if parser.description:
        yield f"{where}: description", parser.description
    for action in parser._actions:
        if action.help and action.help is not argparse.SUPPRESS:
            yield f"{where} {'/'.join(action.option_strings) or action.dest}", action.help
        if isinstance(action, argparse._SubParsersAction):
            for name, sub in action.choices.items():
                yield from texts(sub, f"{where} {name}")
            for choice in action._choices_actions:
                yield f"{where} {choice.dest}", choice.help or ""


def help_texts(language: str) -> dict[str, str]:
    found: dict[str, str] = {}
    with translation.override(language):
        for name, app in own_commands().items():
            command = load_command_class(app, name)
            found.update(texts(command.create_parser(PROGRAM, name), name))
    return found


# Run on SQLite only (scripts/test.sh): the commands' help texts, no database.
@pytest.mark.database_independent
class CommandHelpTestCase(SimpleTestCase):
    def test_every_text_of_every_commands_help_is_translated_to_kyrgyz_and_russian(self):
        english = help_texts("en")
        self.assertGreater(len(english), 100)  # every command, every argument, every heading
        for language in ("ky", "ru"):
            said = help_texts(language)
            self.assertEqual(said.keys(), english.keys())
            untranslated = [where for where, text in said.items() if text == english[where]]
            self.assertEqual(untranslated, [], language)

    def test_every_command_of_trust_box_derives_from_the_translated_help(self):
        for name, app in own_commands().items():
            self.assertIsInstance(load_command_class(app, name), OperatorCommand, name)

    def test_a_subcommands_help_speaks_kyrgyz_by_default_and_russian_when_asked(self):
        out, _err, status = run("school", "add", "--help")
        self.assertEqual(status, 0)
        self.assertTrue(out.startswith("колдонуу: python -m trustbox school add"), out)
        self.assertIn("параметрлер:", out)
        self.assertIn("Ушул жардамды көрсөтүп, чыгуу.", out)
        self.assertIn("кутунун дарегиндеги кыска аты", out)
        out, _err, status = run("school", "add", "--help", "--language", "ru")
        self.assertEqual(status, 0)
        self.assertTrue(out.startswith("использование: python -m trustbox school add"), out)
        self.assertIn("короткое имя в адресе ящика", out)
        self.assertIn("Показать эту справку и выйти.", out)

    def test_a_commands_help_and_djangos_options_speak_russian(self):
        out, _err, status = run("help", "backup", "--language", "ru")
        self.assertEqual(status, 0)
        self.assertIn("Записать один согласованный архив базы данных", out)
        self.assertIn("папка для архива (по умолчанию: текущая)", out)
        self.assertIn("Сколько выводить: 0", out)

    def test_the_list_of_commands_speaks_the_chosen_language(self):
        out, _err, _status = run("help", "--language", "ru")
        self.assertIn("Использование: python -m trustbox <команда>", out)
        self.assertIn("Команды «Ящика доверия»:", out)
        self.assertRegex(out, r"\n  migrate +Создать или обновить таблицы базы данных")
        out, _err, _status = run("help")
        self.assertIn("Ишеним кутусунун буйруктары:", out)
        self.assertRegex(out, r"\n  restore +`backup` жасаган камдык көчүрмөнү")


class HealthLinesTestCase(BaseTestCase):
    def test_the_health_lines_speak_russian_and_kyrgyz(self):
        out, err, status = run("health", "--language", "ru")
        self.assertEqual(status, 1)
        self.assertIn("база данных: в порядке (доступна)\n", out)
        self.assertIn("миграции: в порядке (не применено: 0)\n", out)
        self.assertIn("резервная копия: СБОЙ (ни разу не выполнялось)\n", out)
        self.assertIn("Есть сбои: ежедневная работа, резервная копия.", err)
        out, err, status = run("health")
        self.assertIn("маалымат базасы: жакшы (жеткиликтүү)\n", out)
        self.assertIn("Абалы начар: күнүмдүк иш, камдык көчүрмө.", err)

    def test_the_json_a_monitor_reads_stays_english_whatever_the_language(self):
        Heartbeat.objects.create(routine=Heartbeat.Routine.DAILY, finished_at=timezone.now())
        self.client.cookies["django_language"] = "ru"
        body = json.loads(self.client.get(reverse("health"), HTTP_ACCEPT_LANGUAGE="ru").content)
        details = {check["name"]: check["detail"] for check in body["checks"]}
        self.assertEqual(details["database"], "reachable")
        self.assertEqual(details["backup"], "never ran")
        self.assertRegex(details["daily"], r"^0\.0 hours ago$")


class DemoLinesTestCase(TestCase):
    def test_otpcode_says_there_is_no_demo_school_in_the_chosen_language(self):
        _out, err, status = run("otpcode", "--language", "ru")
        self.assertEqual(status, 1)
        self.assertIn("Здесь нет демонстрационной школы: код только для демо.", err)
        _out, err, _status = run("otpcode")
        self.assertIn("Бул жерде демо мектеп жок: код демо үчүн гана.", err)
