"""With the database down, no log gets a writer's path, a traceback or her text (issue 23, 3).

Every handler the settings configure is read, as the operator's journal would be: the
failure is written by its kind and its school, nothing more. The status pages answer a 503
page of their own, with the message the writer typed kept to copy.
"""

from __future__ import annotations

import io
import logging
from collections.abc import Iterator
from contextlib import contextmanager

from django.db import connection
from django.test import Client
from django.urls import reverse

from trustbox.box.tests.helpers import CANARY, appeal_data
from trustbox.lib.logfilters import PublicFailuresByKindOnly
from trustbox.public import pages
from trustbox.public.tests.test_database_trouble import Failing
from trustbox.test import SealedBoxTestCase

CODE = "1234-5678-9012-3456-7890"


def configured_stream_handlers() -> list[logging.StreamHandler]:
    """The stream handlers of the settings' LOGGING, on every logger (not the test runner's)."""
    loggers = [logging.getLogger()] + [
        logger
        for logger in logging.Logger.manager.loggerDict.values()
        if isinstance(logger, logging.Logger)
    ]
    return [
        handler
        for logger in loggers
        for handler in logger.handlers
        if isinstance(handler, logging.StreamHandler)
        and not type(handler).__module__.startswith("_pytest")
    ]


@contextmanager
def every_log_read() -> Iterator[io.StringIO]:
    sink = io.StringIO()
    handlers = configured_stream_handlers()
    assert handlers, "the settings configure at least the console handler"
    saved = [handler.setStream(sink) for handler in handlers]
    try:
        yield sink
    finally:
        for handler, stream in zip(handlers, saved, strict=True):
            handler.setStream(stream)


class DatabaseDownLogsTestCase(SealedBoxTestCase):
    def setUp(self):
        super().setUp()
        pages.pages_forget()
        self.addCleanup(pages.pages_forget)
        self.writer = Client(raise_request_exception=False)

    def requests_with_the_database_down(self) -> list:
        with connection.execute_wrapper(Failing("connection refused")):
            return [
                self.writer.post(reverse("box:appeal", args=["alatoo"]), appeal_data(text=CANARY)),
                self.writer.get(reverse("box:status", args=["alatoo"])),
                self.writer.post(reverse("box:status", args=["alatoo"]), {"code": CODE}),
                self.writer.post(
                    reverse("box:write_back", args=["alatoo"]),
                    {"code": CODE, "text": CANARY, "token": "t" * 32},
                ),
            ]

    def test_every_log_names_the_failure_by_kind_and_school_only(self):
        with every_log_read() as log:
            responses = self.requests_with_the_database_down()
        self.assertEqual([r.status_code for r in responses], [503, 503, 503, 503])
        written = log.getvalue()
        self.assertIn("OperationalError", written)  # the operator learns what failed
        self.assertIn("Service Unavailable on a public page of school alatoo", written)
        for secret in ("/b/", "/status", "Traceback", 'File "', CANARY, CODE, "connection refused"):
            self.assertNotIn(secret, written)

    def test_the_status_page_answers_its_own_503_and_keeps_the_message_typed(self):
        with every_log_read():
            *_, looked_up, written_back = self.requests_with_the_database_down()
        for response in (looked_up, written_back):
            self.assertEqual(response["Retry-After"], "120")
            self.assertIn("no-store", response["Cache-Control"])
            self.assertContains(response, 'role="alert"', status_code=503)
        self.assertContains(written_back, CANARY, status_code=503)
        self.assertNotContains(looked_up, CODE, status_code=503)

    def test_a_staff_page_failure_keeps_its_path_for_the_operator(self):
        record = logging.LogRecord(
            "django.request", logging.ERROR, "", 0, "X: %s", ("/s/a/",), None
        )
        record.request = type("R", (), {"path": "/s/alatoo/registry/"})()
        self.assertTrue(PublicFailuresByKindOnly().filter(record))
        self.assertEqual(record.getMessage(), "X: /s/a/")
