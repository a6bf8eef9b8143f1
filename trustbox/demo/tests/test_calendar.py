"""The demo's days obey a real school's order on whatever day the demo is made (issue 21, 4)."""

from __future__ import annotations

import datetime

from django.test import TestCase

from trustbox.demo import calendar
from trustbox.registry.deadlines import is_working_day
from trustbox.schools.periods import Quarter

DAY = datetime.timedelta(days=1)


def every_day(start: datetime.date, days: int) -> list[datetime.date]:
    return [start + DAY * n for n in range(days)]


class DemoCalendarTestCase(TestCase):
    """Pure dates, but working days read the holidays kept in the database."""

    def test_the_quarter_that_ended_last_is_never_before_the_commissions_order(self):
        for today in every_day(datetime.date(2026, 1, 1), 2 * 366):
            order = calendar.school_year_start(today)
            self.assertEqual((order.month, order.day), (9, 2))
            self.assertLessEqual(order, Quarter.of(today).previous().end, today)
            self.assertLess(calendar.box_ready(order), today, today)

    def test_appeals_come_after_the_box_is_made_and_are_opened_before_they_are_answered(self):
        for today in every_day(datetime.date(2026, 1, 1), 2 * 366):
            ready = calendar.box_ready(calendar.school_year_start(today))
            last, current = Quarter.of(today).previous(), Quarter.of(today)
            report_day = calendar.report_day(last, today)
            self.assertTrue(last.end < report_day <= today, today)
            for quarter, make, until in (
                (last, calendar.last_quarter_batch, report_day),
                (current, calendar.this_quarter_batch, today),
            ):
                batch = make(quarter, ready=ready, today=today, count=9)
                if batch is None:
                    continue
                self.assertEqual(len(batch.received), 9)
                self.assertTrue(is_working_day(batch.opened))
                self.assertLess(batch.opened, today)
                for received in batch.received:
                    self.assertTrue(ready < received < batch.opened, (today, received))
                    self.assertTrue(quarter.start <= received <= quarter.end, (today, received))
                for late in (False, True):
                    answered = calendar.answered_on(
                        batch.registered, urgent=False, late=late, spread=3, until=until
                    )
                    if answered is not None:
                        self.assertTrue(batch.registered < answered <= until, (today, answered))

    def test_on_a_day_of_december_both_quarters_have_their_appeals(self):
        today = datetime.date(2026, 12, 7)
        ready = calendar.box_ready(calendar.school_year_start(today))
        self.assertEqual(ready, datetime.date(2026, 9, 7))
        last = calendar.last_quarter_batch(Quarter(2026, 3), ready=ready, today=today, count=9)
        this = calendar.this_quarter_batch(Quarter(2026, 4), ready=ready, today=today, count=4)
        self.assertIsNotNone(last)
        self.assertIsNotNone(this)
        assert last is not None
        self.assertEqual(last.received[0], datetime.date(2026, 9, 8))
        # The canteen's answer, late, still before the report of 4 October.
        late = calendar.answered_on(
            last.registered, urgent=False, late=True, spread=0, until=datetime.date(2026, 10, 4)
        )
        self.assertIsNotNone(late)
