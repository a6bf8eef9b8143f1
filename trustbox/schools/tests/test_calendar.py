import datetime
from io import StringIO

from django.core.exceptions import ImproperlyConfigured
from django.core.management import call_command
from django.test import TestCase, override_settings
from django.utils import translation

from trustbox.audit.models import AuditEntry
from trustbox.registry.deadlines import answer_by, register_by
from trustbox.schools.calendar import add_working_days, is_working_day, public_holidays
from trustbox.schools.models import CalendarChange

D = datetime.date


def run(*args: str) -> str:
    out = StringIO()
    call_command("calendar", *args, stdout=out)
    return out.getvalue()


class LabourCodeHolidaysTestCase(TestCase):
    def test_the_days_off_of_2026_are_those_of_the_labour_code_of_2025(self):
        days = {day for day, _name in public_holidays(2026)}
        expected = (
            {D(2026, 1, n) for n in range(1, 8)}  # New Year holidays and Christmas
            | {D(2026, 3, 8), D(2026, 3, 20), D(2026, 3, 21)}  # Women's Day, Orozo Ait, Nooruz
            | {D(2026, 5, n) for n in range(1, 10)}  # 1–9 May
            | {D(2026, 5, 27), D(2026, 8, 31)}  # Kurman Ait, Independence Day
        )
        self.assertEqual(days, expected)

    def test_state_holidays_that_the_code_made_working_days_are_worked(self):
        for day in (D(2026, 2, 23), D(2026, 4, 7), D(2026, 11, 9), D(2027, 11, 8)):
            self.assertTrue(is_working_day(day), day)

    def test_a_holiday_on_a_weekend_moves_no_day_off(self):
        # Nooruz 2026 is a Saturday: Monday 23 March is a working day.
        self.assertTrue(is_working_day(D(2026, 3, 23)))
        # Victory Day 2027 is a Sunday: Monday 10 May is a working day.
        self.assertTrue(is_working_day(D(2027, 5, 10)))


class GovernmentDecreeTestCase(TestCase):
    def setUp(self):
        translation.activate("en")
        self.addCleanup(translation.deactivate)

    def test_a_day_off_by_decree_moves_a_deadline(self):
        self.assertEqual(register_by(D(2026, 12, 30)), D(2026, 12, 31))
        output = run("add-day-off", "2026-12-31", "--reason", "Resolution № 700 of 1 Dec 2026")
        self.assertIn("2026-12-31 is now a day off", output)
        # Then 1–7 January are the New Year holidays and Christmas: Friday the 8th.
        self.assertEqual(register_by(D(2026, 12, 30)), D(2027, 1, 8))
        entry = AuditEntry.objects.get(action="calendar.change")
        self.assertIsNone(entry.school)
        self.assertEqual(entry.details["day"], "2026-12-31")

    def test_a_saturday_made_a_working_day_counts(self):
        self.assertEqual(add_working_days(D(2026, 12, 4), 1), D(2026, 12, 7))
        run("add-working-day", "2026-12-05", "--reason", "Resolution № 701")
        self.assertTrue(is_working_day(D(2026, 12, 5)))
        self.assertEqual(add_working_days(D(2026, 12, 4), 1), D(2026, 12, 5))
        with self.settings(ANSWER_DAYS_ARE="working", ANSWER_WITHIN_DAYS=2):
            self.assertEqual(answer_by(D(2026, 12, 4)), D(2026, 12, 7))

    def test_an_estimated_feast_on_another_day_is_corrected_by_the_operator(self):
        self.assertFalse(is_working_day(D(2027, 3, 9)))  # Orozo Ait as the package estimates it
        run("add-working-day", "2027-03-09", "--reason", "Orozo Ait announced for 10 March")
        run("add-day-off", "2027-03-10", "--reason", "Orozo Ait, Resolution № 12")
        self.assertTrue(is_working_day(D(2027, 3, 9)))
        self.assertFalse(is_working_day(D(2027, 3, 10)))
        self.assertEqual(register_by(D(2027, 3, 9)), D(2027, 3, 11))

    def test_a_change_written_by_another_process_is_seen_at_once(self):
        self.assertTrue(is_working_day(D(2026, 12, 31)))
        # Written straight to the table, as another process's command would: no signal here.
        CalendarChange.objects.create(day=D(2026, 12, 31), kind="day_off", reason="decree")
        self.assertFalse(is_working_day(D(2026, 12, 31)))
        CalendarChange.objects.filter(day=D(2026, 12, 31)).update(kind="working_day")
        CalendarChange.objects.filter(day=D(2026, 12, 31)).delete()
        self.assertTrue(is_working_day(D(2026, 12, 31)))

    def test_removing_a_change_gives_the_day_back_to_the_law(self):
        run("add-working-day", "2027-01-04", "--reason", "by mistake")
        self.assertTrue(is_working_day(D(2027, 1, 4)))
        self.assertIn("follows the law", run("remove", "2027-01-04"))
        self.assertFalse(is_working_day(D(2027, 1, 4)))

    def test_a_change_needs_a_reason_and_a_real_date(self):
        from django.core.management.base import CommandError

        with self.assertRaisesMessage(CommandError, "Give the reason"):
            run("add-day-off", "2026-12-31", "--reason", " ")
        with self.assertRaisesMessage(CommandError, "Not a date"):
            run("add-day-off", "31.12.2026", "--reason", "x")
        self.assertFalse(CalendarChange.objects.exists())

    def test_the_list_shows_the_changes_and_the_law_of_the_year(self):
        run("add-day-off", "2026-12-31", "--reason", "Resolution № 700")
        with self.settings(EXTRA_WORKING_DAYS=["2027-01-09"]):
            output = run("list", "--year", "2027")
        self.assertIn("2026-12-31  day off", output)
        self.assertIn("Resolution № 700", output)
        self.assertIn("2027-01-09  working day", output)
        self.assertIn("TRUSTBOX_EXTRA_WORKING_DAYS", output)
        self.assertIn("2027-03-09  Tue  Eid al-Fitr (estimated)", output)


class CalendarSettingsTestCase(TestCase):
    @override_settings(EXTRA_DAYS_OFF=["2026-12-31"], EXTRA_WORKING_DAYS=["2026-12-05"])
    def test_the_settings_add_days_off_and_working_days(self):
        self.assertEqual(register_by(D(2026, 12, 30)), D(2027, 1, 8))
        self.assertTrue(is_working_day(D(2026, 12, 5)))
        self.assertFalse(is_working_day(D(2026, 12, 6)))

    @override_settings(EXTRA_DAYS_OFF=["2026-12-31"])
    def test_a_decree_in_the_database_wins_over_the_settings(self):
        CalendarChange.objects.create(day=D(2026, 12, 31), kind="working_day", reason="revoked")
        self.assertTrue(is_working_day(D(2026, 12, 31)))

    @override_settings(EXTRA_DAYS_OFF=["31.12.2026"])
    def test_a_wrong_date_in_the_settings_is_named(self):
        with self.assertRaisesMessage(
            ImproperlyConfigured, "TRUSTBOX_EXTRA_DAYS_OFF: '31.12.2026'"
        ):
            is_working_day(D(2026, 12, 30))
