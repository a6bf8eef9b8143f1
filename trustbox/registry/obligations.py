"""What the registry makes the school owe: registration within a working day, answers in time.

Each selector returns the facts of one obligation (what is owed, by when, done or not, the
appeals that are its evidence); the compliance page, the to-do list, the chair's warnings and
the reminders read these, so they cannot disagree.
"""

from __future__ import annotations

import datetime
from dataclasses import dataclass

from django.db.models import F, Min

from trustbox.lib.deadlines import soon_until
from trustbox.registry.models import OPEN_STATUSES, Appeal
from trustbox.schools.models import School
from trustbox.schools.periods import HalfYear


@dataclass(frozen=True)
class RegistrationOwed:
    """Appeals taken out of the box, each to be registered by its day (Law No. 67)."""

    waiting: int  # taken out, not registered yet
    due: datetime.date | None  # the earliest registration day of those
    overdue: list[Appeal]  # waiting past their registration day
    late: list[Appeal]  # registered after their day, the day within the half-year

    @property
    def missed(self) -> bool:
        return bool(self.overdue or self.late)

    @property
    def done(self) -> bool:
        return not self.missed and not self.waiting


def registration_owed(school: School, period: HalfYear, today: datetime.date) -> RegistrationOwed:
    """The registration of the school's appeals, as of the day, over the half-year."""
    appeals = Appeal.objects.for_school(school).select_related("opening")
    waiting = appeals.to_register()
    return RegistrationOwed(
        waiting=waiting.count(),
        due=waiting.aggregate(day=Min("register_by"))["day"],
        overdue=list(waiting.filter(register_by__lt=today)),
        late=list(
            appeals.filter(
                registered_on__gt=F("register_by"),
                register_by__gte=period.start,
                register_by__lte=period.end,
            ).order_by("year", "serial")
        ),
    )


@dataclass(frozen=True)
class AnswersOwed:
    """Registered appeals, each to be answered by its day (Law No. 67)."""

    overdue: list[Appeal]  # open past their answer day, by that day
    late: list[Appeal]  # answered after their day, within the half-year
    soon: list[Appeal]  # open, due within the "soon" window, by day
    due: datetime.date | None  # the earliest answer day of those due soon

    @property
    def missed(self) -> bool:
        return bool(self.overdue or self.late)

    @property
    def done(self) -> bool:
        return not self.missed and not self.soon


def answers_owed(school: School, period: HalfYear, today: datetime.date) -> AnswersOwed:
    """The answers the school owes, as of the day, over the half-year."""
    appeals = Appeal.objects.for_school(school).select_related("opening")
    soon = list(appeals.due_soon(today, soon_until(today)).order_by("due_on"))
    return AnswersOwed(
        overdue=list(appeals.filter(status__in=OPEN_STATUSES, due_on__lt=today).order_by("due_on")),
        late=list(
            appeals.filter(
                answered_on__gt=F("due_on"),
                answered_on__gte=period.start,
                answered_on__lte=period.end,
            ).order_by("year", "serial")
        ),
        soon=soon,
        due=min((appeal.due_on for appeal in soon if appeal.due_on), default=None),
    )
