import datetime

from django.test import TestCase

from trustbox.registry.deadlines import is_working_day
from trustbox.schools.periods import HalfYear, Quarter, closed_quarters

D = datetime.date


class PeriodsTestCase(TestCase):
    def test_half_years_are_january_to_june_and_july_to_december(self):
        self.assertEqual(HalfYear.of(D(2026, 6, 30)), HalfYear(2026, 1))
        self.assertEqual(HalfYear.of(D(2026, 7, 1)), HalfYear(2026, 2))
        self.assertEqual(
            (HalfYear(2026, 1).start, HalfYear(2026, 1).end), (D(2026, 1, 1), D(2026, 6, 30))
        )
        self.assertEqual(
            (HalfYear(2026, 2).start, HalfYear(2026, 2).end), (D(2026, 7, 1), D(2026, 12, 31))
        )
        self.assertEqual(HalfYear.of(D(2026, 3, 1)).previous(), HalfYear(2025, 2))
        self.assertIn(D(2026, 12, 31), HalfYear(2026, 2))
        self.assertNotIn(D(2027, 1, 1), HalfYear(2026, 2))

    def test_quarters_are_calendar_quarters(self):
        self.assertEqual(Quarter.of(D(2026, 11, 26)), Quarter(2026, 4))
        self.assertEqual(
            (Quarter(2026, 4).start, Quarter(2026, 4).end), (D(2026, 10, 1), D(2026, 12, 31))
        )
        self.assertEqual(
            (Quarter(2026, 2).start, Quarter(2026, 2).end), (D(2026, 4, 1), D(2026, 6, 30))
        )
        self.assertEqual(Quarter.of(D(2026, 1, 20)).previous(), Quarter(2025, 4))
        self.assertEqual(Quarter(2026, 3).half_year, HalfYear(2026, 2))
        self.assertEqual(Quarter.parse(" 2026-3 "), Quarter(2026, 3))
        self.assertIsNone(Quarter.parse("2026-5"))
        self.assertEqual(Quarter.exact(D(2026, 7, 1), D(2026, 9, 30)), Quarter(2026, 3))
        self.assertIsNone(Quarter.exact(D(2026, 7, 1), D(2026, 9, 29)))
        self.assertEqual(closed_quarters(D(2026, 11, 26), 2), [Quarter(2026, 2), Quarter(2026, 3)])

    def test_a_report_due_on_a_working_fifth_stays_there(self):
        # 5 October 2026 is a Monday.
        self.assertEqual(Quarter(2026, 3).due_on, D(2026, 10, 5))

    def test_a_report_due_on_a_weekend_moves_to_the_next_working_day(self):
        # 5 April 2026 is a Sunday; 5 July 2026 too.
        self.assertEqual(Quarter(2026, 1).due_on, D(2026, 4, 6))
        self.assertEqual(Quarter(2026, 2).due_on, D(2026, 7, 6))

    def test_a_report_due_on_the_new_year_holidays_moves_past_them(self):
        # 1–6 January are days off, 7 January is Christmas: the report for October–December
        # 2026 is due on Friday 8 January 2027.
        for day in range(5, 8):
            self.assertFalse(is_working_day(D(2027, 1, day)))
        self.assertEqual(Quarter(2026, 4).due_on, D(2027, 1, 8))
        self.assertEqual(Quarter(2026, 4).fifth_after, D(2027, 1, 5))
