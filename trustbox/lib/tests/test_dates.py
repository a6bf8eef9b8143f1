import datetime

from django.test import SimpleTestCase

from trustbox.lib.dates import (
    Case,
    ky_month,
    long_date,
    long_date_in_text,
    one_period,
    short_date,
)


class KyrgyzDateCasesTestCase(SimpleTestCase):
    def test_a_deadline_takes_the_dative_before_chejin(self):
        self.assertEqual(
            long_date(datetime.date(2026, 12, 10), "ky", Case.DATIVE), "2026-жылдын 10-декабрына"
        )
        self.assertEqual(short_date(datetime.date(2026, 11, 27), "ky", "dative"), "27-ноябрына")

    def test_every_month_takes_each_case_by_its_vowel(self):
        dative = [ky_month(month, Case.DATIVE) for month in range(1, 13)]
        self.assertEqual(
            dative,
            ["январына", "февралына", "мартына", "апрелине", "майына", "июнуна",
             "июлуна", "августуна", "сентябрына", "октябрына", "ноябрына", "декабрына"],
        )  # fmt: skip
        self.assertEqual(ky_month(4, Case.LOCATIVE), "апрелинде")
        self.assertEqual(ky_month(9, Case.LOCATIVE), "сентябрында")
        self.assertEqual(ky_month(6, Case.GENITIVE), "июнунун")
        self.assertEqual(ky_month(4, Case.GENITIVE), "апрелинин")
        self.assertEqual(ky_month(12, Case.ABLATIVE), "декабрынан")
        self.assertEqual(ky_month(4, Case.ABLATIVE), "апрелинен")
        self.assertEqual(ky_month(11, Case.ACCUSATIVE), "ноябрын")

    def test_the_nominative_stays_as_documents_write_it(self):
        self.assertEqual(long_date(datetime.date(2026, 9, 2), "ky"), "2026-жылдын 2-сентябры")
        self.assertEqual(
            long_date(datetime.date(2026, 9, 2), "ky", Case.NOMINATIVE), "2026-жылдын 2-сентябры"
        )

    def test_russian_and_english_dates_do_not_change_with_the_case(self):
        day = datetime.date(2026, 12, 10)
        self.assertEqual(long_date(day, "ru", Case.DATIVE), "10 декабря 2026 г.")
        self.assertEqual(long_date_in_text(day, "ru", Case.DATIVE), "10 декабря 2026 года")
        self.assertEqual(short_date(day, "ru", Case.DATIVE), "10 декабря")
        self.assertEqual(short_date(day, "en", Case.LOCATIVE), "10 December")
        self.assertEqual(long_date_in_text(day, "ky", Case.LOCATIVE), "2026-жылдын 10-декабрында")


class OnePeriodAfterTheYearTestCase(SimpleTestCase):
    """Russian dates end in «г.»: a sentence ending on one takes no second period."""

    def test_a_sentence_ending_on_a_russian_date_has_one_period(self):
        day = long_date(datetime.date(2026, 12, 10), "ru")
        self.assertEqual(day, "10 декабря 2026 г.")
        self.assertEqual(
            one_period(f"Ответить до {day}. Открыть: https://x.kg/a/"),
            "Ответить до 10 декабря 2026 г. Открыть: https://x.kg/a/",
        )
        self.assertEqual(
            one_period(f"<p>По состоянию на {day}.</p>"), f"<p>По состоянию на {day}</p>"
        )

    def test_an_ellipsis_and_single_periods_are_left_alone(self):
        for text in ("Подождите...", "1.6 и 2.5.", "2026-жылдын 10-декабры."):
            self.assertEqual(one_period(text), text)
