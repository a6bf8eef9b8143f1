"""The periods the regulation counts in: calendar quarters and half-years; the report deadline.

Half-years are calendar half-years, 1 January – 30 June and 1 July – 31 December. The
regulation (cl. 4.3, «жарым жылда») does not tie them to the school year, and it counts its
reports by calendar quarter (cl. 4.6, «квартал сайын», not the school's «чейрек»); two such
quarters make a half-year. A period is not a deadline: a meeting on 1 July counts for the
second half-year even when 30 June is a Sunday.

The quarterly report is due by the 5th of the month after its quarter; a deadline that falls on
a weekend, a Kyrgyz public holiday or a day off by decree moves to the next working day
(trustbox.schools.calendar).

The district and national views count only in whole quarters, fixed and never overlapping
(docs/privacy.md): a quarter is named by its year and number, never by two free dates.
"""

from __future__ import annotations

import datetime
import re
from dataclasses import dataclass

from trustbox.schools.calendar import next_working_day

REPORT_DUE_DAY = 5


@dataclass(frozen=True, order=True)
class Quarter:
    """A calendar quarter, named by its year and number (1 to 4)."""

    year: int
    number: int

    @classmethod
    def of(cls, day: datetime.date) -> Quarter:
        return cls(day.year, (day.month - 1) // 3 + 1)

    @classmethod
    def parse(cls, text: str) -> Quarter | None:
        """A quarter written as 2026-3 (its year and number), or None."""
        found = re.fullmatch(r"(\d{4})-([1-4])", text.strip())
        return cls(int(found[1]), int(found[2])) if found else None

    @classmethod
    def exact(cls, start: datetime.date, end: datetime.date) -> Quarter | None:
        """The quarter that runs exactly from start to end, or None."""
        quarter = cls.of(start)
        return quarter if (quarter.start, quarter.end) == (start, end) else None

    def __str__(self) -> str:
        return f"{self.year}-{self.number}"

    @property
    def start(self) -> datetime.date:
        return datetime.date(self.year, 3 * self.number - 2, 1)

    @property
    def end(self) -> datetime.date:
        return self.next().start - datetime.timedelta(days=1)

    def __contains__(self, day: object) -> bool:
        return isinstance(day, datetime.date) and self.start <= day <= self.end

    def next(self) -> Quarter:
        return (
            Quarter(self.year + 1, 1) if self.number == 4 else Quarter(self.year, self.number + 1)
        )

    def previous(self) -> Quarter:
        return (
            Quarter(self.year - 1, 4) if self.number == 1 else Quarter(self.year, self.number - 1)
        )

    def year_before(self) -> Quarter:
        return Quarter(self.year - 1, self.number)

    @property
    def due_on(self) -> datetime.date:
        """The report is due by the 5th of the month after the quarter, on a working day."""
        return next_working_day(self.fifth_after)

    @property
    def fifth_after(self) -> datetime.date:
        """The 5th of the month after the quarter, before it is moved off a day off."""
        return self.next().start.replace(day=REPORT_DUE_DAY)

    @property
    def half_year(self) -> HalfYear:
        return HalfYear.of(self.start)

    def last(self, count: int) -> list[Quarter]:
        """This quarter and the count - 1 before it, oldest first."""
        quarters = [self]
        while len(quarters) < count:
            quarters.insert(0, quarters[0].previous())
        return quarters


@dataclass(frozen=True, order=True)
class HalfYear:
    """A calendar half-year: number 1 is January – June, number 2 is July – December."""

    year: int
    number: int

    @classmethod
    def of(cls, day: datetime.date) -> HalfYear:
        return cls(day.year, 1 if day.month <= 6 else 2)

    @property
    def start(self) -> datetime.date:
        return datetime.date(self.year, 1 if self.number == 1 else 7, 1)

    @property
    def end(self) -> datetime.date:
        return datetime.date(
            self.year, 6 if self.number == 1 else 12, 30 if self.number == 1 else 31
        )

    def __contains__(self, day: object) -> bool:
        return isinstance(day, datetime.date) and self.start <= day <= self.end

    def previous(self) -> HalfYear:
        return HalfYear(self.year - 1, 2) if self.number == 1 else HalfYear(self.year, 1)

    def __str__(self) -> str:
        return f"{self.year}-H{self.number}"


def closed_quarters(today: datetime.date, count: int) -> list[Quarter]:
    """The last count quarters that have ended by today, oldest first."""
    return Quarter.of(today).previous().last(count)


def shifted(start: datetime.date, end: datetime.date) -> tuple[datetime.date, datetime.date]:
    """The period of the same length just before [start, end]."""
    length = end - start
    before_end = start - datetime.timedelta(days=1)
    return before_end - length, before_end


def year_before(day: datetime.date) -> datetime.date:
    try:
        return day.replace(year=day.year - 1)
    except ValueError:  # 29 February
        return day.replace(year=day.year - 1, day=28)
