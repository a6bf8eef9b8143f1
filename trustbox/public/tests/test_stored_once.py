"""One filled form is one appeal, whatever the processes, restarts or lost answers (issue 23, 1).

The form's one-time token is spent in the database, in the transaction that seals the appeal:
five gunicorn workers with no shared cache, or a server that died after the commit and before
the answer, cannot store it twice, and the writer who sends it again is told it is in the box.
"""

from __future__ import annotations

import http.cookiejar
import os
import re
import shutil
import signal
import subprocess
import sys
import tempfile
import time
import urllib.error
import urllib.parse
import urllib.request
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path
from unittest import mock

from django.conf import settings
from django.test import Client, SimpleTestCase
from django.urls import reverse

from trustbox.box.models import SealedAppeal, SpentForm
from trustbox.box.tests.helpers import CANARY, appeal_data, receipt_code_on
from trustbox.core.tests.processes import free_port, run_script, run_trustbox, trustbox_env
from trustbox.public import pages
from trustbox.test import SealedBoxTestCase

ALREADY = "This appeal is already in the box"
RECEIPT = re.compile(rb'id="receipt-code">\d{4}(-\d{4}){4}<')
ALREADY_MARK = b'class="sent" role="status"'


class LostAnswerTestCase(SealedBoxTestCase):
    url = reverse("box:appeal", args=["alatoo"])

    def setUp(self):
        super().setUp()
        pages.pages_forget()
        self.addCleanup(pages.pages_forget)
        self.writer = Client(raise_request_exception=False)
        self.writer.cookies.load({settings.LANGUAGE_COOKIE_NAME: "en"})

    def test_a_server_killed_between_the_commit_and_the_answer_stores_the_appeal_once(self):
        data = appeal_data(text=CANARY)
        died = ConnectionResetError("the server died before it answered")
        with mock.patch("trustbox.public.views._receipt_page", side_effect=died):
            lost = self.writer.post(self.url, data)
        self.assertEqual(lost.status_code, 500)
        self.assertEqual(SealedAppeal.objects.count(), 1)  # committed before the answer

        again = self.writer.post(self.url, data)
        self.assertContains(again, ALREADY)
        self.assertContains(again, "the answer to your first sending was lost")
        self.assertNotContains(again, CANARY)  # it is in the box: not shown on a kiosk again
        self.assertEqual(SealedAppeal.objects.count(), 1)

    def test_a_resend_after_the_database_failed_goes_in_once(self):
        from django.db import connection

        from trustbox.public.tests.test_database_trouble import Failing

        data = appeal_data(text=CANARY)
        with connection.execute_wrapper(Failing("database is locked", starting="INSERT")):
            self.assertEqual(self.writer.post(self.url, data).status_code, 503)
        self.assertFalse(SpentForm.objects.exists())  # rolled back with the appeal
        self.assertRegex(receipt_code_on(self.writer.post(self.url, data)), r"^\d{4}")
        self.assertEqual(SealedAppeal.objects.count(), 1)


SETUP = """
from trustbox.seal.services import box_key_create, member_key_set
from trustbox.schools.models import District
from trustbox.test import PASSWORD, make_school_with_commission

made = make_school_with_commission("alatoo", District.objects.create(name="A", slug="a"))
for member in made["members"]:
    member_key_set(user=member, password=PASSWORD, school=made["school"])
box_key_create(school=made["school"], by=made["members"][1])
"""

COUNT = """
from trustbox.box.models import SealedAppeal
print(SealedAppeal.objects.count())
"""


def form_fields(page: bytes) -> dict[str, str]:
    found = dict(re.findall(rb'name="(csrfmiddlewaretoken|token)" value="([^"]+)"', page))
    return {name.decode(): value.decode() for name, value in found.items()}


class SeveralWorkersTestCase(SimpleTestCase):
    """A real gunicorn with three workers and no shared cache, the same form sent six times."""

    def setUp(self):
        self.data_dir = Path(tempfile.mkdtemp()) / "data"
        self.addCleanup(shutil.rmtree, self.data_dir.parent)

    def start_server(self, port: int) -> subprocess.Popen[bytes]:
        log = (self.data_dir.parent / "server.log").open("wb")
        self.addCleanup(log.close)
        # gunicorn itself: `serve` refuses several workers without a shared cache, for the
        # limits' sake; the appeal's token does not need one.
        command = [sys.executable, "-m", "gunicorn", "trustbox.wsgi:application", "--workers=3"]
        server = subprocess.Popen(
            [*command, f"--bind=127.0.0.1:{port}"],
            cwd=settings.BASE_DIR,
            env=trustbox_env(self.data_dir),
            stdout=log,
            stderr=subprocess.STDOUT,
            start_new_session=True,
        )
        self.addCleanup(server.wait, 30)
        self.addCleanup(os.killpg, server.pid, signal.SIGTERM)
        return server

    def test_the_same_form_sent_six_times_to_three_workers_is_one_appeal(self):
        run_trustbox("migrate", "--no-input", "-v", "0", data_dir=self.data_dir)
        run_script(SETUP, data_dir=self.data_dir)
        port = free_port()
        server = self.start_server(port)
        url = f"http://127.0.0.1:{port}/b/alatoo/"
        opener = urllib.request.build_opener(
            urllib.request.HTTPCookieProcessor(http.cookiejar.CookieJar())
        )
        deadline = time.monotonic() + 60
        while True:
            try:
                page = opener.open(url, timeout=60).read()
                break
            except (urllib.error.URLError, ConnectionError, TimeoutError):
                self.assertIsNone(server.poll())
                self.assertLess(time.monotonic(), deadline)
                time.sleep(0.2)
        data = appeal_data(text=CANARY) | form_fields(page)
        body = urllib.parse.urlencode(data).encode()

        def send(_n: int) -> bytes:
            return opener.open(urllib.request.Request(url, data=body), timeout=60).read()

        with ThreadPoolExecutor(max_workers=6) as pool:
            answers = list(pool.map(send, range(6)))
        self.assertEqual(sum(bool(RECEIPT.search(answer)) for answer in answers), 1)
        self.assertEqual(sum(ALREADY_MARK in answer for answer in answers), 5)
        self.assertEqual(run_script(COUNT, data_dir=self.data_dir).strip(), "1")
