"""The periods the regulation counts in, and its deadlines moved off days off.

Half-years are calendar half-years, 1 January – 30 June and 1 July – 31 December. The
regulation (cl. 4.3, «жарым жылда») does not tie them to the school year, and it counts its
reports by calendar quarter (cl. 4.6, «квартал сайын», not the school's «чейрек»); two such
quarters make a half-year. A half-year is a period, not a deadline: a meeting on 1 July counts
for the second half-year even when 30 June is a Sunday.

Deadlines (a report by the 5th, a registration, an answer) that fall on a weekend or a Kyrgyz
public holiday move to the next working day.
"""

from __future__ import annotations

import datetime
from dataclasses import dataclass

from trustbox.registry.deadlines import next_working_day


@dataclass(frozen=True)
class Period:
    start: datetime.date
    end: datetime.date

    def __contains__(self, day: object) -> bool:
        return isinstance(day, datetime.date) and self.start <= day <= self.end


def half_year_of(day: datetime.date) -> Period:
    if day.month <= 6:
        return Period(datetime.date(day.year, 1, 1), datetime.date(day.year, 6, 30))
    return Period(datetime.date(day.year, 7, 1), datetime.date(day.year, 12, 31))


def half_year_before(period: Period) -> Period:
    return half_year_of(period.start - datetime.timedelta(days=1))


def quarter_of(day: datetime.date) -> Period:
    first_month = (day.month - 1) // 3 * 3 + 1
    start = datetime.date(day.year, first_month, 1)
    after = (
        datetime.date(day.year + 1, 1, 1)
        if first_month == 10
        else datetime.date(day.year, first_month + 3, 1)
    )
    return Period(start, after - datetime.timedelta(days=1))


def quarter_before(period: Period) -> Period:
    return quarter_of(period.start - datetime.timedelta(days=1))


def report_due_on(quarter: Period) -> datetime.date:
    """The quarter's analytical report is due by the 5th of the month after it (cl. 4.6)."""
    after = quarter.end + datetime.timedelta(days=1)
    return next_working_day(after.replace(day=5))
