"""What the registry makes the school owe: registration within a working day, answers in time.

Each selector returns the facts of one obligation (what is owed, by when, done or not, the
appeals that are its evidence); the compliance page, the to-do list, the chair's warnings and
the reminders read these, so they cannot disagree.
"""

from __future__ import annotations

import datetime
from dataclasses import dataclass

from django.db.models import F, Max, Min, Q
from django.utils.timezone import localdate

from trustbox.accounts.models import User
from trustbox.audit.models import AuditEntry
from trustbox.audit.services import target_label
from trustbox.lib.deadlines import overdue_filter, soon_filter, soon_from, soon_until
from trustbox.registry.actions import AppealAction
from trustbox.registry.models import (
    IN_PROGRESS,
    OPEN_STATUSES,
    Appeal,
    AppealQuerySet,
    Entry,
    Status,
)
from trustbox.schools.models import School
from trustbox.schools.periods import HalfYear


def registration_overdue(today: datetime.date) -> Q:
    """Taken out of the box and not registered by their day."""
    return Q(status=Status.TAKEN_OUT) & overdue_filter("register_by", today)


def answer_overdue(today: datetime.date) -> Q:
    """Registered, not answered, past their answer day."""
    return Q(status__in=OPEN_STATUSES) & overdue_filter("due_on", today)


def answer_soon(today: datetime.date) -> Q:
    """Registered, not answered, due today or within the "soon" window."""
    return Q(status__in=OPEN_STATUSES) & soon_filter("due_on", today)


def appeals_overdue(today: datetime.date) -> Q:
    """Past a deadline of the registry: a registration or an answer (the registry's filter,
    the counts of the reports)."""
    return registration_overdue(today) | answer_overdue(today)


def reminders_due(today: datetime.date) -> AppealQuerySet:
    """The appeals of every school to remind of: what registration_owed names overdue and
    answers_owed names overdue or due soon."""
    return Appeal.objects.filter(appeals_overdue(today) | answer_soon(today))


def _scope(school: School, appeals: AppealQuerySet | None) -> AppealQuerySet:
    """The school's appeals, or those of them a person sees or holds."""
    scope = Appeal.objects.for_school(school) if appeals is None else appeals
    return scope.select_related("opening")


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


def registration_owed(
    school: School,
    period: HalfYear,
    today: datetime.date,
    *,
    appeals: AppealQuerySet | None = None,
) -> RegistrationOwed:
    """The registration of the school's appeals (or of those given), as of the day, over the
    half-year."""
    appeals = _scope(school, appeals)
    waiting = appeals.to_register()
    return RegistrationOwed(
        waiting=waiting.count(),
        due=waiting.aggregate(day=Min("register_by"))["day"],
        overdue=list(waiting.filter(registration_overdue(today))),
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


def answers_owed(
    school: School,
    period: HalfYear,
    today: datetime.date,
    *,
    appeals: AppealQuerySet | None = None,
) -> AnswersOwed:
    """The answers the school owes (or owes on the appeals given, such as a person's), as of
    the day, over the half-year."""
    appeals = _scope(school, appeals)
    soon = list(appeals.filter(answer_soon(today)).order_by("due_on", "pk"))
    return AnswersOwed(
        overdue=list(appeals.filter(answer_overdue(today)).order_by("due_on", "pk")),
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


@dataclass(frozen=True)
class Unreached:
    """An official without email, and her appeals the mail would have told her of since she
    last signed in: assigned to her since, a writer's message since (its day), or come near
    their deadline or past it since."""

    person: User
    appeals: list[Appeal]


def _news_since(
    appeal: Appeal,
    assigned: datetime.datetime | None,
    written: datetime.date | None,
    today: datetime.date,
) -> bool:
    login = appeal.assignee.last_login if appeal.assignee else None
    if written is not None and (login is None or written >= localdate(login)):
        return True  # only the day of a writer's message is kept: that day counts as new
    if appeal.status not in OPEN_STATUSES:
        return False  # answered: only a writer's message asks for her again
    if login is None or (assigned is not None and assigned > login):
        return True
    # A deadline near or past (as the reminders say it) that came after her last sign-in.
    due = appeal.due_on
    return due is not None and due <= soon_until(today) and localdate(login) < soon_from(due)


def officials_unreached(school: School, today: datetime.date) -> list[Unreached]:
    """Officials of the school without email who have not seen what is new for them: someone
    tells them, for the mail cannot (the responsible person's to-do list)."""
    appeals = list(
        Appeal.objects.for_school(school)
        .filter(status__in=IN_PROGRESS, assignee__isnull=False, assignee__email="")
        .select_related("assignee")
        .only("pk", "year", "serial", "school_id", "status", "due_on", "assignee")
        .order_by("assignee__full_name", "assignee_id", "due_on", "pk")
    )
    assigned = dict(
        AuditEntry.objects.for_school(school)
        .filter(action=AppealAction.ASSIGN.value, target__in=[target_label(a) for a in appeals])
        .values("target")
        .annotate(last=Max("created_at"))
        .values_list("target", "last")
    )
    written = dict(
        Entry.objects.filter(appeal__in=appeals, kind=Entry.Kind.WRITER)
        .values("appeal")
        .annotate(day=Max("created_on"))
        .values_list("appeal", "day")
    )
    found: dict[int, Unreached] = {}
    for appeal in appeals:
        since = assigned.get(target_label(appeal)), written.get(appeal.pk)
        if appeal.assignee and _news_since(appeal, *since, today):
            found.setdefault(appeal.assignee.pk, Unreached(appeal.assignee, [])).appeals.append(
                appeal
            )
    return list(found.values())
