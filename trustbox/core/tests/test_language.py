import datetime
import re
from pathlib import Path

import pytest
from django.conf import settings
from django.test import SimpleTestCase
from django.urls import reverse

from trustbox.lib.dates import long_date
from trustbox.test import BaseTestCase

LOCALE = Path(settings.BASE_DIR) / "trustbox" / "locale"


class LanguageSwitchTestCase(BaseTestCase):
    def test_it_speaks_kyrgyz_by_default_whatever_the_browser_asks(self):
        response = self.client.get(reverse("accounts:login"), HTTP_ACCEPT_LANGUAGE="en-US,en;q=0.9")
        self.assertContains(response, '<html lang="ky">')
        self.assertContains(response, "Кызматкерлер үчүн кирүү")
        self.assertEqual(response["Content-Language"], "ky")

    def test_the_switch_changes_the_language_and_remembers_it(self):
        for code, phrase in (
            ("ru", "Вход для сотрудников"),
            ("en", "Staff login"),
            ("ky", "Кызматкерлер үчүн кирүү"),
        ):
            with self.subTest(language=code):
                response = self.client.post(
                    reverse("set_language"), {"language": code, "next": reverse("accounts:login")}
                )
                self.assertRedirects(
                    response, reverse("accounts:login"), fetch_redirect_response=False
                )
                self.assertEqual(response.cookies[settings.LANGUAGE_COOKIE_NAME].value, code)
                response = self.client.get(reverse("accounts:login"))
                self.assertContains(response, f'<html lang="{code}">')
                self.assertContains(response, phrase)

    def test_the_switch_is_on_every_page_and_works_without_javascript(self):
        self.login(self.director)
        for url in (reverse("core:home"), reverse("commission:overview", args=["alatoo"])):
            response = self.client.get(url, follow=True)
            self.assertContains(response, f'action="{reverse("set_language")}"')
            for code in ("ky", "ru", "en"):
                self.assertContains(response, f'name="language" value="{code}"')

    def test_an_unknown_language_falls_back_to_kyrgyz(self):
        self.client.cookies.load({settings.LANGUAGE_COOKIE_NAME: "xx"})
        response = self.client.get(reverse("accounts:login"))
        self.assertContains(response, '<html lang="ky">')

    def test_staff_pages_are_translated_to_russian(self):
        self.login(self.director)
        self.client.cookies.load({settings.LANGUAGE_COOKIE_NAME: "ru"})
        response = self.client.get(reverse("commission:overview", args=["alatoo"]))
        self.assertContains(response, "Ответственное лицо")


def _entries(po: Path) -> list[tuple[str, list[str], bool]]:
    """(msgid, msgstrs, fuzzy) for every entry of a .po file but the header."""
    text = po.read_text(encoding="utf-8")
    entries = []
    for block in text.split("\n\n"):
        if not re.search(r'^msgid "', block, re.M):
            continue  # a comment, or an obsolete entry (#~ msgid …)
        fuzzy = "#, fuzzy" in block
        msgid = "".join(re.findall(r'^msgid "(.*)"$|^"(.*)"$', block, re.M)[0])
        strs = re.findall(r'^msgstr(?:\[\d\])? "(.*)"((?:\n".*")*)', block, re.M)
        values = [first + "".join(re.findall(r'"(.*)"', rest)) for first, rest in strs]
        entries.append((msgid, values, fuzzy))
    return entries[1:]


# Run on SQLite only (scripts/test.sh): the catalogues, no database.
@pytest.mark.database_independent
class TranslationCatalogTestCase(SimpleTestCase):
    def test_every_string_has_a_kyrgyz_and_a_russian_translation(self):
        for language in ("ky", "ru"):
            po = LOCALE / language / "LC_MESSAGES" / "django.po"
            entries = _entries(po)
            self.assertGreater(len(entries), 100)
            for msgid, msgstrs, fuzzy in entries:
                with self.subTest(language=language, msgid=msgid):
                    self.assertFalse(fuzzy)
                    self.assertTrue(all(msgstrs), "untranslated")
                    for placeholder in re.findall(r"%\(\w+\)[sd]", msgid):
                        self.assertTrue(all(placeholder in s for s in msgstrs), placeholder)


class KyrgyzDatesTestCase(SimpleTestCase):
    def test_kyrgyz_dates_take_the_possessive_month(self):
        self.assertEqual(long_date(datetime.date(2026, 9, 2), "ky"), "2026-жылдын 2-сентябры")
        months = [long_date(datetime.date(2026, m, 1), "ky").split("-")[-1] for m in range(1, 13)]
        self.assertEqual(
            months,
            ["январы", "февралы", "марты", "апрели", "майы", "июну",
             "июлу", "августу", "сентябры", "октябры", "ноябры", "декабры"],
        )  # fmt: skip

    def test_russian_dates_take_the_genitive_month(self):
        self.assertEqual(long_date(datetime.date(2026, 12, 31), "ru"), "31 декабря 2026 г.")

    def test_english_dates(self):
        self.assertEqual(long_date(datetime.date(2026, 1, 5), "en"), "5 January 2026")


class KyrgyzDatesOnPagesTestCase(BaseTestCase):
    def test_the_order_date_is_written_in_kyrgyz(self):
        self.login(self.director)
        response = self.client.get(reverse("commission:overview", args=["alatoo"]))
        self.assertContains(response, "2026-жылдын 2-сентябры")
