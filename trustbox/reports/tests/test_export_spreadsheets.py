"""The district's analytics export opens in a Kyrgyz district's Excel as it should (issue 22)."""

from __future__ import annotations

import datetime
import io

from django.conf import settings
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.translation import gettext as _
from openpyxl import load_workbook

from trustbox.lib.tests.spreadsheets import SpreadsheetAssertions, soffice_csv
from trustbox.reports.district import district_view, quarters_open
from trustbox.reports.tests.helpers import Spec, appeals_make
from trustbox.schools.periods import Quarter
from trustbox.test import BaseTestCase

SCHOOL = "Ж. Баласагын атындагы мектеп-гимназиясы"
DISTRICT = "Кара-Суу району"


class DistrictSpreadsheetTestCase(SpreadsheetAssertions, BaseTestCase):
    """The district named in Kyrgyz, its school too, seven appeals in the quarter shown."""

    quarter: Quarter

    @classmethod
    def setUpTestData(cls) -> None:
        super().setUpTestData()
        cls.quarter = quarters_open(timezone.localdate())[0]
        cls.district.name = DISTRICT
        cls.district.save()
        cls.school.name = SCHOOL
        cls.school.save()
        day = cls.quarter.start + datetime.timedelta(days=10)
        appeals_make(cls.school, cls.responsible, [Spec(day)] * 7)

    def setUp(self) -> None:
        super().setUp()
        self.client = self.login(self.viewer)
        self.client.cookies.load({settings.LANGUAGE_COOKIE_NAME: "ky"})
        with translation.override("ky"):
            self.headings = [
                _("School"),
                _("Openings of the box"),
                _("Report (cl. 4.6)"),
                _("Meetings (cl. 4.3)"),
                _("Appeals"),
            ]

    def export(self, fmt: str) -> bytes:
        response = self.client.get(
            reverse("analytics:export", args=[self.district.slug, fmt]),
            {"quarter": str(self.quarter)},
        )
        self.assertEqual(response.status_code, 200)
        name = f"analytics-{self.district.slug}-{self.quarter}.{fmt}"
        self.assertIn(name, response["Content-Disposition"])
        return response.content

    def test_the_xlsx_export_freezes_and_filters_the_schools_table_and_prints_landscape(self):
        content = self.export("xlsx")
        sheet = self.assertLaidOutForExcel(content, header_row=3, owner=DISTRICT, language="ky")
        self.assertEqual(sheet.auto_filter.ref, "A3:E4")  # the one school, not the total
        self.assertEqual([cell.value for cell in sheet[3]], self.headings)
        self.assertEqual(self.headings[0], "Мектеп")
        self.assertEqual(sheet["A4"].value, SCHOOL)
        title = load_workbook(io.BytesIO(content)).properties.title
        self.assertIn(DISTRICT, title)

    def test_the_xlsx_export_writes_counts_as_numbers_excel_can_add_up(self):
        sheet = load_workbook(io.BytesIO(self.export("xlsx"))).active
        (line,) = district_view(self.district, self.quarter).lines
        self.assertEqual((sheet["B4"].value, sheet["B4"].data_type), (line.openings, "n"))
        self.assertEqual((sheet["E4"].value, sheet["E4"].data_type), (line.appeals, "n"))
        self.assertIsInstance(line.appeals, int)  # published: 7 rounded to a multiple of 3
        self.assertIn(line.appeals, (6, 9))

    def test_the_csv_export_opens_in_columns_with_the_kyrgyz_school_whole(self):
        rows = self.assertOpensInColumns(self.export("csv"), columns=5, header_row=3)
        self.assertEqual(rows[0][0], DISTRICT)
        self.assertEqual(rows[2], self.headings)
        self.assertEqual(rows[3][0], SCHOOL)
        self.assertEqual(len(rows[3]), 5)

    def test_libreoffice_reads_the_xlsx_export_with_its_kyrgyz_headings(self):
        rows = soffice_csv(self.export("xlsx"))
        self.assertEqual(rows[2], self.headings)
        self.assertEqual(rows[3][0], SCHOOL)
