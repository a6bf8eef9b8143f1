"""The demo's days, in the order a real school's happen (issue 21, point 4).

The commission is appointed by order, elects its officers at the first session, makes the box
key; only then can appeals come in. An opening takes the appeals that came before it; they are
registered on the day of the opening and answered after. The last quarter's report is finalised
after the quarter, by its deadline. Pure: dates in, dates out; the builders follow them.
"""

from __future__ import annotations

import datetime
from dataclasses import dataclass

from trustbox.registry.deadlines import answer_by, is_working_day, next_working_day
from trustbox.schools.periods import Quarter

DAY = datetime.timedelta(days=1)


def school_year_start(today: datetime.date) -> datetime.date:
    """2 September of the school year whose first quarter has ended (the order of step 1).

    So the quarter that ended last never lies before the commission: in September the demo's
    commission is the one appointed a year before.
    """
    year = today.year if today >= datetime.date(today.year, 10, 1) else today.year - 1
    return datetime.date(year, 9, 2)


def first_session(order: datetime.date) -> datetime.date:
    """The first session (cl. 4.5), three days after the order."""
    return order + 3 * DAY


def box_ready(order: datetime.date) -> datetime.date:
    """The day the box key is made: the working day after the first session."""
    return next_working_day(first_session(order) + DAY)


def working_day_back(day: datetime.date) -> datetime.date:
    """The day itself if a working day, else the working day before it."""
    while not is_working_day(day):
        day -= DAY
    return day


@dataclass(frozen=True)
class Batch:
    """Appeals that came in on their days and were taken out (and registered) at one opening."""

    received: list[datetime.date]
    opened: datetime.date

    @property
    def registered(self) -> datetime.date:
        return self.opened


def _spread(start: datetime.date, end: datetime.date, count: int) -> list[datetime.date]:
    """`count` days from start to end, both included, in order."""
    span = (end - start).days
    return [start + datetime.timedelta(days=span * i // max(count - 1, 1)) for i in range(count)]


def last_quarter_batch(
    quarter: Quarter, *, ready: datetime.date, today: datetime.date, count: int
) -> Batch | None:
    """The quarter's appeals: from its start (or the box's first day) for a week, then opened.

    None when the box was not ready for a week of the quarter before today.
    """
    start = max(quarter.start + 3 * DAY, ready + DAY)
    opened = working_day_back(min(start + 7 * DAY, quarter.end - DAY, today - DAY))
    if opened <= start + DAY:
        return None
    return Batch(received=_spread(start, opened - DAY, count), opened=opened)


def this_quarter_batch(
    quarter: Quarter, *, ready: datetime.date, today: datetime.date, count: int
) -> Batch | None:
    """The running quarter's appeals: up to four weeks, opened on the last working day."""
    opened = working_day_back(today - DAY)
    start = max(quarter.start + DAY, ready + DAY, opened - 28 * DAY)
    if opened <= start + DAY:
        return None
    return Batch(received=_spread(start, opened - DAY, count), opened=opened)


def report_day(quarter: Quarter, today: datetime.date) -> datetime.date:
    """When the last quarter's report is finalised: the day before its deadline, or today."""
    return max(min(quarter.due_on - DAY, today), quarter.end + DAY)


def answered_on(
    registered: datetime.date, *, urgent: bool, late: bool, spread: int, until: datetime.date
) -> datetime.date | None:
    """The day of the answer: urgent ones the next day, others within days, a late one three
    days after its deadline; None when that day has not come by `until` (it stays open)."""
    if late:
        day = next_working_day(answer_by(registered, urgent=urgent) + 3 * DAY)
    else:
        day = registered + (DAY if urgent else (4 + spread % 5) * DAY)
    return day if day <= until else None
