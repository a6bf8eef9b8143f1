import datetime

from django.test import TestCase

from trustbox.compliance.periods import (
    Period,
    half_year_before,
    half_year_of,
    quarter_before,
    quarter_of,
    report_due_on,
)
from trustbox.registry.deadlines import is_working_day

D = datetime.date


class PeriodsTestCase(TestCase):
    def test_half_years_are_january_to_june_and_july_to_december(self):
        self.assertEqual(half_year_of(D(2026, 6, 30)), Period(D(2026, 1, 1), D(2026, 6, 30)))
        self.assertEqual(half_year_of(D(2026, 7, 1)), Period(D(2026, 7, 1), D(2026, 12, 31)))
        self.assertEqual(half_year_of(D(2026, 1, 1)), Period(D(2026, 1, 1), D(2026, 6, 30)))
        self.assertEqual(half_year_of(D(2026, 12, 31)), Period(D(2026, 7, 1), D(2026, 12, 31)))
        self.assertEqual(
            half_year_before(half_year_of(D(2026, 3, 1))), Period(D(2025, 7, 1), D(2025, 12, 31))
        )

    def test_quarters_are_calendar_quarters(self):
        self.assertEqual(quarter_of(D(2026, 11, 26)), Period(D(2026, 10, 1), D(2026, 12, 31)))
        self.assertEqual(quarter_of(D(2026, 4, 1)), Period(D(2026, 4, 1), D(2026, 6, 30)))
        self.assertEqual(
            quarter_before(quarter_of(D(2026, 1, 20))), Period(D(2025, 10, 1), D(2025, 12, 31))
        )

    def test_a_report_due_on_a_working_fifth_stays_there(self):
        # 5 October 2026 is a Monday.
        self.assertEqual(report_due_on(quarter_of(D(2026, 8, 1))), D(2026, 10, 5))

    def test_a_report_due_on_a_weekend_moves_to_the_next_working_day(self):
        # 5 April 2026 is a Sunday; 5 July 2026 too.
        self.assertEqual(report_due_on(quarter_of(D(2026, 2, 1))), D(2026, 4, 6))
        self.assertEqual(report_due_on(quarter_of(D(2026, 5, 1))), D(2026, 7, 6))

    def test_a_report_due_on_the_new_year_holidays_moves_past_them(self):
        # 1–6 January are days off, 7 January is Christmas: the report for October–December
        # 2026 is due on Friday 8 January 2027.
        for day in range(5, 8):
            self.assertFalse(is_working_day(D(2027, 1, day)))
        self.assertEqual(report_due_on(quarter_of(D(2026, 11, 26))), D(2027, 1, 8))
