"""Calendar quarters, the periods the regulation reports in (cl. 4.6, «квартал сайын»).

The district and national views count only in whole quarters, fixed and never overlapping
(docs/privacy.md): a quarter is named by its year and number, never by two free dates.
TODO(lead): trustbox/compliance/periods.py (branch meetings) has the same quarter_of and
report_due_on; keep one of them when both branches land.
"""

from __future__ import annotations

import datetime
import re
from dataclasses import dataclass

from trustbox.registry.deadlines import next_working_day

REPORT_DUE_DAY = 5


@dataclass(frozen=True, order=True)
class Quarter:
    year: int
    number: int  # 1..4

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
        return next_working_day(self.next().start.replace(day=REPORT_DUE_DAY))

    def last(self, count: int) -> list[Quarter]:
        """This quarter and the count - 1 before it, oldest first."""
        quarters = [self]
        while len(quarters) < count:
            quarters.insert(0, quarters[0].previous())
        return quarters


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
