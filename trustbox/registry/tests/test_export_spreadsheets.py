"""The registry's export opens in a Kyrgyz school's Excel as it should (issue 22, point 4)."""

from __future__ import annotations

import datetime
import io

from django.conf import settings
from django.urls import reverse
from django.utils import timezone, translation
from openpyxl import load_workbook

from trustbox.lib.tests.spreadsheets import SpreadsheetAssertions, soffice_csv
from trustbox.registry.documents import EXPORT_COLUMNS, export_headings
from trustbox.registry.tests.test_documents import DocumentsTestCase
from trustbox.schools.models import School

SCHOOL = "С. Мырзакматов атындагы орто мектеби"


class RegistrySpreadsheetTestCase(SpreadsheetAssertions, DocumentsTestCase):
    """Two registered appeals, the school named in Kyrgyz, its pages in Kyrgyz."""

    def setUp(self):
        super().setUp()
        self.register(self.anonymous)
        School.objects.filter(pk=self.school.pk).update(name=SCHOOL)
        self.client.cookies.load({settings.LANGUAGE_COOKIE_NAME: "ky"})
        self.login(self.responsible)
        with translation.override("ky"):
            self.headings = export_headings()

    def export(self, fmt):
        response = self.client.get(reverse("registry:export", args=["alatoo", fmt]))
        self.assertEqual(response.status_code, 200)
        today = timezone.localdate().isoformat()
        self.assertIn(f"registry-alatoo-{today}.{fmt}", response["Content-Disposition"])
        return response

    def test_the_xlsx_export_has_its_headings_whole_a_filter_and_prints_a4_landscape(self):
        content = self.export("xlsx").content
        sheet = self.assertLaidOutForExcel(content, owner=SCHOOL, language="ky")
        self.assertEqual(sheet.auto_filter.ref, "A1:N3")  # the headings and both appeals
        self.assertEqual([cell.value for cell in sheet[1]], self.headings)
        self.assertEqual(self.headings[0], "Каттоо номери")
        self.assertEqual(
            load_workbook(io.BytesIO(content)).properties.title, "Кайрылуулардын реестри"
        )

    def test_the_xlsx_export_writes_dates_as_dates(self):
        sheet = load_workbook(io.BytesIO(self.export("xlsx").content)).active
        received = sheet.cell(row=2, column=EXPORT_COLUMNS.index("received_on") + 1)
        self.assertEqual(received.value.date(), self.appeal.received_on)
        self.assertIsInstance(received.value, datetime.datetime)
        self.assertEqual(received.number_format, "DD.MM.YYYY")

    def test_the_csv_export_opens_in_columns_with_its_kyrgyz_headings(self):
        content = b"".join(self.export("csv").streaming_content)
        rows = self.assertOpensInColumns(content, columns=len(EXPORT_COLUMNS))
        self.assertEqual(rows[0], self.headings)
        self.assertEqual([len(row) for row in rows], [len(EXPORT_COLUMNS)] * 3)
        self.assertEqual(rows[1][0], self.appeal.number)

    def test_libreoffice_reads_the_xlsx_export_with_its_kyrgyz_headings(self):
        rows = soffice_csv(self.export("xlsx").content)
        self.assertEqual(rows[0], self.headings)
        self.assertEqual(rows[1][1], self.appeal.received_on.strftime("%d.%m.%Y"))
