import datetime

from django.test import SimpleTestCase
from django.utils import translation

from trustbox.lib.forms import LocalDateField, PeriodForm


class LocalDateTestCase(SimpleTestCase):
    def test_a_date_typed_as_a_school_writes_it_is_taken(self):
        field = LocalDateField()
        for typed in ("02.09.2026", "2.9.2026", "02.09.26", "02/09/2026", "2026-09-02"):
            with self.subTest(typed=typed):
                self.assertEqual(field.clean(typed), datetime.date(2026, 9, 2))

    def test_the_period_form_takes_day_month_year_and_iso(self):
        form = PeriodForm({"start": "01.10.2026", "end": "2026-12-31"})
        self.assertTrue(form.is_valid(), form.errors)
        self.assertEqual(form.cleaned_data["start"], datetime.date(2026, 10, 1))

    def test_a_date_it_cannot_read_says_how_to_write_it(self):
        with translation.override("en"):
            form = PeriodForm({"start": "10/31/2026"})
            self.assertFalse(form.is_valid())
            self.assertIn("day.month.year", form.errors["start"][0])

    def test_the_field_shows_day_month_year_not_the_browsers_format(self):
        with translation.override("ru"):
            html = str(PeriodForm(initial={"start": datetime.date(2026, 9, 2)})["start"])
        self.assertIn('value="02.09.2026"', html)
        self.assertNotIn('type="date"', html)
        self.assertIn('inputmode="numeric"', html)
