import datetime

from django.test import TestCase, override_settings

from trustbox.registry.deadlines import add_working_days, answer_by, is_working_day, register_by

D = datetime.date


class WorkingDaysTestCase(TestCase):
    def test_weekends_and_kyrgyz_public_holidays_are_not_working_days(self):
        self.assertFalse(is_working_day(D(2026, 11, 28)))  # Saturday
        self.assertFalse(is_working_day(D(2026, 3, 20)))  # Orozo Ait, a Friday
        self.assertFalse(is_working_day(D(2026, 5, 5)))  # Constitution Day
        self.assertTrue(is_working_day(D(2026, 11, 25)))

    def test_registration_is_due_the_next_working_day(self):
        self.assertEqual(register_by(D(2026, 11, 25)), D(2026, 11, 26))
        self.assertEqual(register_by(D(2026, 11, 27)), D(2026, 11, 30))  # Friday → Monday

    def test_registration_after_new_year_waits_for_the_new_year_holidays(self):
        self.assertEqual(register_by(D(2025, 12, 31)), D(2026, 1, 8))

    def test_an_answer_is_due_in_fourteen_days_moved_off_a_holiday(self):
        self.assertEqual(answer_by(D(2026, 11, 2)), D(2026, 11, 16))
        # 23 April + 14 days = 7 May, in the May holidays; the 11th is the first working day.
        self.assertEqual(answer_by(D(2026, 4, 23)), D(2026, 5, 11))

    @override_settings(ANSWER_DAYS_ARE="working", ANSWER_WITHIN_DAYS=10)
    def test_the_answer_rule_can_count_working_days(self):
        self.assertEqual(answer_by(D(2026, 11, 2)), D(2026, 11, 16))
        self.assertEqual(add_working_days(D(2026, 3, 19), 1), D(2026, 3, 23))

    def test_an_urgent_appeal_is_answered_within_three_working_days(self):
        self.assertEqual(answer_by(D(2026, 11, 26), urgent=True), D(2026, 12, 1))
