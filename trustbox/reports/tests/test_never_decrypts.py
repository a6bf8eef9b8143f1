"""Analytics never open an appeal: no decryption is called, no sealed column is read."""

from __future__ import annotations

import contextlib
import datetime
import importlib
import pkgutil
from unittest import mock

from django.db import connection
from django.test import override_settings
from django.test.utils import CaptureQueriesContext

from trustbox.reports import freeze, services
from trustbox.reports.district import district_view, nation_view
from trustbox.reports.figures import school_figures
from trustbox.reports.models import Job
from trustbox.reports.tests.helpers import Spec, appeals_make
from trustbox.reports.tests.test_figures import hand_made
from trustbox.schools.periods import Quarter
from trustbox.seal import crypto
from trustbox.test import BaseTestCase

IMMEDIATE = {"default": {"BACKEND": "django_tasks.backends.immediate.ImmediateBackend"}}
SEALED_COLUMNS = ("sealed_content", "ciphertext", "case_private_sealed", "sealed_for_case")
OPENERS = [
    name
    for name in dir(crypto)
    if name.startswith(("open_with", "unlock_from")) or name == "writer_key_unlock"
]
# seal.crypto is a package: a call between its modules reads the name of the module that
# defines it, so each opener is patched there too.
CRYPTO_MODULES = [
    importlib.import_module(f"{crypto.__name__}.{info.name}")
    for info in pkgutil.iter_modules(crypto.__path__)
]


@contextlib.contextmanager
def decryption_forbidden():
    """Every function of seal.crypto that opens something raises; every query is kept."""
    with contextlib.ExitStack() as stack:
        for name in OPENERS:
            for module in [crypto, *CRYPTO_MODULES]:
                if hasattr(module, name):
                    forbidden = AssertionError(f"{name} called")
                    stack.enter_context(mock.patch.object(module, name, side_effect=forbidden))
        queries = stack.enter_context(CaptureQueriesContext(connection))
        yield queries


@override_settings(TASKS=IMMEDIATE)
class NeverDecryptsTestCase(BaseTestCase):
    @classmethod
    def setUpTestData(cls) -> None:
        super().setUpTestData()
        appeals_make(cls.school, cls.responsible, hand_made())
        appeals_make(cls.other_school, cls.other_director, [Spec(datetime.date(2026, 7, 6))])

    def assertNoSealedColumn(self, queries):
        for query in queries.captured_queries:
            for column in SEALED_COLUMNS:
                self.assertNotIn(column, query["sql"], query["sql"])

    def test_the_openers_are_the_ones_patched(self):
        self.assertIn("open_with_box_key", OPENERS)
        self.assertIn("open_with_case_key", OPENERS)
        self.assertIn("writer_key_unlock", OPENERS)
        self.assertGreater(len(CRYPTO_MODULES), 3)

    def test_a_report_its_documents_and_the_district_views_read_no_sealed_field(self):
        q3 = Quarter(2026, 3)
        with decryption_forbidden() as queries:
            school_figures(self.school, q3.start, q3.end)
            report = services.report_open(
                school=self.school, start=q3.start, end=q3.end, by=self.responsible
            )
            freeze.tallies_freeze(
                schools=[self.school, self.other_school], quarter=q3, reason="report"
            )
            district_view(self.district, q3)
            nation_view(q3)
        self.assertEqual(Job.objects.get(report=report).status, Job.Status.DONE)
        self.assertNoSealedColumn(queries)
        self.assertTrue(queries.captured_queries)

    def test_the_test_would_see_a_sealed_column_read(self):
        from trustbox.registry.models import Appeal

        with decryption_forbidden() as queries:
            list(Appeal.objects.filter(school=self.school)[:1])
        with self.assertRaises(AssertionError):
            self.assertNoSealedColumn(queries)
