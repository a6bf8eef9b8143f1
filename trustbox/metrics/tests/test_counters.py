"""The counters move with what happens, a writer's part only by the hour (issue 23, point 5)."""

from __future__ import annotations

import time
from unittest import mock

from django.test import Client, SimpleTestCase
from django.urls import reverse

from trustbox.box.models import SealedAppeal
from trustbox.box.tests.helpers import CANARY, CLIENT_IP, appeal_data, receipt_code_on
from trustbox.metrics.counters import Hourly
from trustbox.metrics.exposition import exposition
from trustbox.metrics.tests.scrape import (
    held_forgotten,
    hour_ended,
    hour_frozen,
    samples,
    value,
)
from trustbox.public import pages
from trustbox.test import SealedBoxTestCase

APPEALS = "trustbox_appeals_accepted_total"
RESPONSES = "trustbox_http_responses_total"
SECONDS = "trustbox_http_response_seconds_count"
ERRORS = "trustbox_http_errors_total"


class CountersTestCase(SealedBoxTestCase):
    url = reverse("box:appeal", args=["alatoo"])

    def setUp(self):
        super().setUp()
        held_forgotten()  # what earlier tests of this process (a pytest-xdist worker) held
        self.enterContext(hour_frozen())
        pages.pages_forget()
        self.addCleanup(pages.pages_forget)
        self.writer = Client(raise_request_exception=False, REMOTE_ADDR=CLIENT_IP)
        self.writer.cookies.load({"trustbox_language": "en"})

    def appeal_send(self) -> None:
        with self.captureOnCommitCallbacks(execute=True):
            response = self.writer.post(self.url, appeal_data(text=CANARY))
        self.assertRegex(receipt_code_on(response), r"^\d{4}")

    def test_an_appeal_through_the_public_form_is_counted_once_its_hour_has_ended(self):
        appeals = value(APPEALS)
        public = value(RESPONSES, group="public", status="2xx")
        self.appeal_send()
        self.assertEqual(SealedAppeal.objects.count(), 1)
        self.assertEqual(value(APPEALS), appeals)  # not while its hour lasts
        self.assertEqual(value(RESPONSES, group="public", status="2xx"), public)
        with hour_ended():
            self.assertEqual(value(APPEALS), appeals + 1)
            self.assertEqual(value(RESPONSES, group="public", status="2xx"), public + 1)
            self.assertEqual(value(SECONDS, group="public", status="2xx"), public + 1)

    def test_an_appeal_refused_or_rolled_back_is_not_counted(self):
        appeals = value(APPEALS)
        with self.captureOnCommitCallbacks(execute=True):
            self.writer.post(self.url, appeal_data(text=""))  # refused: no text
        with hour_ended():
            self.assertEqual(value(APPEALS), appeals)
        self.assertEqual(SealedAppeal.objects.count(), 0)

    def test_a_page_that_fails_counts_an_error_at_once_and_its_response_by_the_hour(self):
        errors = value(ERRORS)
        public = value(RESPONSES, group="public", status="5xx")
        with mock.patch("trustbox.public.views._writer_box", side_effect=RuntimeError("x")):
            self.assertEqual(self.writer.get(self.url).status_code, 500)
        self.assertEqual(value(ERRORS), errors + 1)
        self.assertEqual(value(RESPONSES, group="public", status="5xx"), public)
        with hour_ended():
            self.assertEqual(value(RESPONSES, group="public", status="5xx"), public + 1)

    def test_staff_pages_are_counted_at_once(self):
        staff = value(RESPONSES, group="staff", status="2xx")
        timed = value(SECONDS, group="staff", status="2xx")
        self.assertEqual(self.client.get(reverse("accounts:login")).status_code, 200)
        self.assertEqual(value(RESPONSES, group="staff", status="2xx"), staff + 1)
        self.assertEqual(value(SECONDS, group="staff", status="2xx"), timed + 1)

    def test_the_exposition_names_no_school_no_path_and_no_address(self):
        self.appeal_send()
        with mock.patch("trustbox.public.views._writer_box", side_effect=RuntimeError("x")):
            self.writer.get(self.url)
        self.client.get(reverse("accounts:login"))
        self.client.get("/")
        with hour_ended():
            text = exposition().decode()
        self.assertIn(RESPONSES, text)
        for word in (
            self.school.slug,
            self.school.name,
            "/b/",
            "/accounts",
            "/s/",
            CLIENT_IP,
            "127.0.0.1",
            self.responsible.username,
            CANARY,
        ):
            self.assertNotIn(word, text)
        labels = {label for (_, sample_labels) in samples(text) for label, _ in sample_labels}
        self.assertLessEqual(labels, {"group", "status", "le"})
        groups = {
            v for (_, sample_labels) in samples(text) for k, v in sample_labels if k == "group"
        }
        self.assertEqual(groups, {"public", "staff", "other"})

    def test_the_job_queue_is_read_at_scrape_time(self):
        import datetime

        from django.utils import timezone

        from trustbox.test import job_waiting

        self.assertEqual(value("trustbox_jobs_waiting"), 0)
        self.assertEqual(value("trustbox_database_reachable"), 1)
        job_waiting(since=timezone.now() - datetime.timedelta(hours=1))
        self.assertEqual(value("trustbox_jobs_waiting"), 1)
        self.assertGreaterEqual(value("trustbox_jobs_oldest_wait_seconds"), 3600)

    def test_a_database_that_does_not_answer_is_a_gauge_not_a_failed_scrape(self):
        from django.db import connection

        from trustbox.public.tests.test_database_trouble import Failing

        with connection.execute_wrapper(Failing("connection refused")):
            text = exposition().decode()
        self.assertIn("trustbox_database_reachable 0.0", text)
        self.assertNotIn("trustbox_jobs_waiting", text)


class HourlyTestCase(SimpleTestCase):
    def test_what_is_forgotten_is_never_published(self):
        hour = int(time.time() // 3600) * 3600
        now = [hour + 10.0]
        hourly = Hourly(clock=lambda: now[0])
        published: list[float] = []
        hourly.add(published.append, 3)
        hourly.observe(published.append, 0.5)
        hourly.forget()
        self.assertEqual(hourly.held(), 0)
        now[0] += 3600
        hourly.publish_due()
        self.assertEqual(published, [])

    def test_a_timer_publishes_what_an_hour_held_once_the_hour_ends_and_not_before(self):
        started = time.monotonic()
        hour_end = (int(time.time() // 3600) + 5) * 3600
        hourly = Hourly(clock=lambda: hour_end - 0.3 + (time.monotonic() - started))
        published: list[float] = []
        hourly.add(published.append, 2)
        hourly.observe(published.append, 0.25)
        hourly.publish_due()
        self.assertEqual(published, [])  # the hour has not ended
        self.assertEqual(hourly.held(), 2)
        deadline = time.monotonic() + 10
        while not published and time.monotonic() < deadline:
            time.sleep(0.05)
        self.assertEqual(sorted(published), [0.25, 2])
        self.assertEqual(hourly.held(), 0)
