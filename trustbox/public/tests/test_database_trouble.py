"""The database does not answer, or its disk is full: the writer is told so and loses nothing."""

import re
from unittest import skipUnless

from django.conf import settings
from django.db import OperationalError, connection
from django.test import Client
from django.urls import reverse
from django.utils import translation
from django.utils.html import escape
from django.utils.translation import gettext

from trustbox.box.chain import chain_verify
from trustbox.box.models import Box, SealedAppeal
from trustbox.box.services import box_for
from trustbox.box.tests.helpers import CANARY, appeal_data, receipt_code_on
from trustbox.public import pages
from trustbox.test import SealedBoxTestCase, captured_logs

TEXTAREA = re.compile(r'<textarea name="text"[^>]*>(.*?)</textarea>', re.S)
NOT_PUT_IN = (
    "Your appeal could not be put into the box: the server has a problem right now. "
    "Your text is kept below. Please send it again in a few minutes."
)
CANNOT_TAKE = (
    "The box cannot take appeals right now: the server has a problem. Please try again "
    "in a few minutes."
)


def said(language, message=NOT_PUT_IN, *more):
    """A message as the page says it in the language (escaped as the page writes it)."""
    with translation.override(language):
        return escape(" ".join(gettext(text) for text in (message, *more)))


class Failing:
    """A database connection wrapper that fails the statements it is told to, as SQLite does."""

    def __init__(self, message, starting=""):
        self.message, self.starting = message, starting
        self.failed = 0

    def __call__(self, execute, sql, params, many, context):
        if sql.lstrip().upper().startswith(self.starting):
            self.failed += 1
            raise OperationalError(self.message)
        return execute(sql, params, many, context)


class DatabaseTroubleTestCase(SealedBoxTestCase):
    url = reverse("box:appeal", args=["alatoo"])

    def setUp(self):
        super().setUp()
        pages.pages_forget()
        self.addCleanup(pages.pages_forget)

    def writer(self, language):
        client = Client()
        client.cookies.load({settings.LANGUAGE_COOKIE_NAME: language})
        return client

    def assert_kept(self, response, language):
        self.assertEqual(response.status_code, 503)
        self.assertEqual(response["Retry-After"], "120")
        self.assertIn("no-store", response["Cache-Control"])
        html = response.content.decode()
        self.assertIn(said(language), html)
        self.assertIn(f'lang="{language}"', html)
        self.assertIn(said(language, "Write to the trust box"), html)
        found = TEXTAREA.search(html)
        assert found is not None
        self.assertIn(CANARY, found.group(1))

    def test_a_database_that_does_not_answer_keeps_the_text_in_the_writers_language(self):
        data = appeal_data(text=CANARY)
        for language in ("ky", "ru", "en"):
            with self.subTest(language=language), captured_logs() as logs:
                failing = Failing("unable to open database file")
                with connection.execute_wrapper(failing):
                    response = self.writer(language).post(self.url, data)
                self.assertGreater(failing.failed, 0)
                self.assert_kept(response, language)
                self.assertNotIn(CANARY, "\n".join(logs))
                self.assertIn("OperationalError", "\n".join(logs))
        self.assertFalse(SealedAppeal.objects.exists())

    def test_a_box_locked_while_sealing_stores_nothing_and_the_same_form_goes_in_later(self):
        box_for(self.school)
        data = appeal_data(text=CANARY)
        failing = Failing("database is locked", starting="INSERT")
        with connection.execute_wrapper(failing), captured_logs():
            response = self.writer("ky").post(self.url, data)
        self.assertEqual(failing.failed, 1)
        self.assert_kept(response, "ky")
        self.assertFalse(SealedAppeal.objects.exists())
        self.assertEqual(Box.objects.get(school=self.school).count, 0)
        # The form that came back, sent again once the database answers: one appeal, a receipt.
        token = re.search(r'name="token" value="([^"]+)"', response.content.decode()).group(1)
        self.assertEqual(token, data["token"])
        again = self.writer("ky").post(self.url, data)
        self.assertEqual(again.status_code, 200)
        self.assertRegex(receipt_code_on(again), r"^\d{4}(-\d{4}){4}$")
        self.assertEqual(SealedAppeal.objects.count(), 1)
        self.assertEqual(chain_verify(school=self.school), [])

    def test_the_form_shows_even_when_the_database_does_not_answer(self):
        failing = Failing("unable to open database file")
        with connection.execute_wrapper(failing), captured_logs():
            response = self.writer("ru").get(self.url)
        self.assertEqual(response.status_code, 503)
        self.assertContains(response, said("ru", CANNOT_TAKE), status_code=503)
        self.assertContains(response, 'name="text"', status_code=503)
        self.assertContains(response, 'name="csrfmiddlewaretoken"', status_code=503)


@skipUnless(connection.vendor == "sqlite", "the database's size is capped by an SQLite pragma")
class DiskFullTestCase(SealedBoxTestCase):
    """A real "database or disk is full" from SQLite: its file may not grow by one page more."""

    url = reverse("box:appeal", args=["alatoo"])

    def test_a_full_disk_stores_nothing_and_keeps_the_text(self):
        with connection.cursor() as cursor:
            cursor.execute("PRAGMA page_count")
            (pages_now,) = cursor.fetchone()
            cursor.execute(f"PRAGMA max_page_count = {pages_now}")
        self.addCleanup(self.uncap)
        text = CANARY + " " + "Бул узун кайрылуу. " * 240  # longer than the free room of a page
        self.client.cookies.load({settings.LANGUAGE_COOKIE_NAME: "en"})
        with captured_logs() as logs:
            response = self.client.post(self.url, appeal_data(text=text))
        self.assertEqual(response.status_code, 503, response.content[:300])
        self.assertContains(response, said("en"), status_code=503)
        self.assertContains(response, CANARY, status_code=503)
        self.assertIn("OperationalError", "\n".join(logs))
        self.assertNotIn(CANARY, "\n".join(logs))
        self.uncap()
        self.assertFalse(SealedAppeal.objects.exists())
        self.assertEqual(chain_verify(school=self.school), [])

    def uncap(self):
        with connection.cursor() as cursor:
            cursor.execute("PRAGMA max_page_count = 1073741823")
