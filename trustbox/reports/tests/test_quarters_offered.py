"""A school reports on the time it had a commission: no quarter before the first order (cl. 4.6)."""

from __future__ import annotations

import datetime

from django.conf import settings
from django.core.exceptions import ValidationError
from django.urls import reverse
from django.utils import timezone

from trustbox.reports import services
from trustbox.reports.models import Report
from trustbox.reports.selectors import school_quarters
from trustbox.schools.models import School
from trustbox.schools.periods import Quarter
from trustbox.test import BaseTestCase

ORDER = datetime.date(2026, 9, 2)  # the order of the personas' commission (trustbox/test.py)


class NoQuarterBeforeTheCommissionTestCase(BaseTestCase):
    def test_the_list_offers_the_quarters_from_the_one_of_the_first_order_on(self):
        rows = school_quarters(self.school, today=datetime.date(2027, 1, 10))
        self.assertEqual(
            [row.quarter for row in rows], [Quarter(2027, 1), Quarter(2026, 4), Quarter(2026, 3)]
        )
        self.assertTrue(all(row.quarter.end >= self.commission.order_date for row in rows))

    def test_a_school_without_a_commission_is_offered_no_quarter(self):
        school = School.objects.create(name="School new", slug="new", district=self.district)
        self.assertEqual(school_quarters(school, today=datetime.date(2027, 1, 10)), [])

    def test_the_page_shows_no_button_for_a_quarter_before_the_order(self):
        client = self.login(self.responsible)
        page = client.get(reverse("reports:list", args=[self.school.slug]))
        shown = Quarter.of(timezone.localdate()).last(5)
        before = [quarter for quarter in shown if quarter.end < ORDER]
        after = [quarter for quarter in shown if quarter.end >= ORDER]
        self.assertTrue(after)
        for quarter in after:
            self.assertContains(page, f'name="quarter" value="{quarter}"')
        for quarter in before:
            self.assertNotContains(page, f'value="{quarter}"')

    def test_a_quarter_before_the_order_is_refused_with_a_message_and_nothing_is_made(self):
        client = self.login(self.responsible)
        client.cookies.load({settings.LANGUAGE_COOKIE_NAME: "en"})
        response = client.post(
            reverse("reports:create", args=[self.school.slug]),
            {"quarter": str(Quarter(2026, 2))},
            follow=True,
        )
        self.assertContains(response, "The school had no commission yet in this period")
        self.assertFalse(Report.objects.filter(school=self.school).exists())

    def test_a_period_ending_before_the_order_is_refused_and_one_ending_after_it_is_made(self):
        with self.assertRaises(ValidationError):
            services.report_open(
                school=self.school,
                start=datetime.date(2026, 8, 1),
                end=ORDER - datetime.timedelta(days=1),
                by=self.responsible,
            )
        self.assertFalse(Report.objects.filter(school=self.school).exists())
        report = services.report_open(
            school=self.school,
            start=datetime.date(2026, 8, 1),
            end=ORDER,
            by=self.responsible,
        )
        self.assertEqual(Report.objects.get(school=self.school), report)
