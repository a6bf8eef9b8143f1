"""Reads of the registry: lists that never decrypt anything."""

from __future__ import annotations

import datetime
from collections.abc import Iterator
from dataclasses import dataclass
from typing import Any, overload

from django.core.paginator import Page, Paginator
from django.db.models import Exists, F, Max, Min, OuterRef, Q
from django.db.models.functions import Coalesce
from django.utils import timezone

from trustbox.accounts.models import User
from trustbox.registry.keys import registry_holds
from trustbox.registry.models import (
    IN_PROGRESS,
    OPEN_STATUSES,
    Appeal,
    AppealQuerySet,
    Entry,
    Status,
)
from trustbox.registry.obligations import answer_soon, appeals_overdue
from trustbox.schools.models import School


def appeals_visible(*, school: School, user: User) -> AppealQuerySet:
    """The appeals a person may see: all for a holder of the registry key, else those assigned."""
    whole = registry_holds(school=school, user=user)
    return Appeal.objects.for_school(school).visible_to(user, whole_registry=whole)


def registry_page(
    *, school: School, user: User, filters: dict[str, Any], page: str | int | None, per_page: int
) -> Page:
    """One page of the registry list, filtered by status, kind, category and deadline."""
    today = timezone.localdate()
    appeals = appeals_visible(school=school, user=user)
    for name in ("status", "kind", "category"):
        if filters.get(name):
            appeals = appeals.filter(**{name: filters[name]})
    if filters.get("deadline") == "overdue":
        appeals = appeals.filter(appeals_overdue(today))
    elif filters.get("deadline") == "soon":
        appeals = appeals.filter(answer_soon(today))
    appeals = appeals.select_related("assignee", "opening").annotate(by_notice=_by_notice())
    waiting_urgent = Q(urgent=True, status__in=(Status.TAKEN_OUT, *OPEN_STATUSES))
    listed = UrgentFirst(
        urgent=appeals.filter(waiting_urgent).order_by("-id"),
        rest=appeals.exclude(waiting_urgent).order_by("-id"),
    )
    return Paginator(listed, per_page).get_page(page)


def _by_notice() -> Exists:
    """Whether the appeal was answered by a reply sheet posted in the foyer (the list says so)."""
    return Exists(
        Entry.objects.filter(
            appeal=OuterRef("pk"), kind=Entry.Kind.REPLY, channel=Entry.Channel.NOTICE
        )
    )


class UrgentFirst:
    """The registry's list: urgent appeals still waiting (a few) first, then all the others.

    Two queries each in the order of an index, sliced for the page asked: one ORDER BY over
    an expression would sort the whole registry for every page.
    """

    def __init__(self, *, urgent: AppealQuerySet, rest: AppealQuerySet) -> None:
        self.urgent, self.rest = urgent, rest
        self.urgent_count = urgent.count()

    def count(self) -> int:
        return self.urgent_count + self.rest.count()

    def __len__(self) -> int:
        return self.count()

    def __iter__(self) -> Iterator[Appeal]:
        yield from self.urgent
        yield from self.rest

    @overload
    def __getitem__(self, index: int) -> Appeal: ...

    @overload
    def __getitem__(self, index: slice) -> list[Appeal]: ...

    def __getitem__(self, index: int | slice) -> Appeal | list[Appeal]:
        if isinstance(index, int):
            return self[index : index + 1][0]
        start, stop = index.start or 0, index.stop
        first = list(self.urgent[start:stop]) if start < self.urgent_count else []
        rest_start = max(0, start - self.urgent_count)
        rest_stop = None if stop is None else max(0, stop - self.urgent_count)
        if rest_stop is not None and rest_stop <= rest_start:
            return first
        return first + list(self.rest[rest_start:rest_stop])


def registry_counts(*, school: School, user: User) -> dict[str, int]:
    """How many appeals wait for registration, are open and are overdue."""
    today = timezone.localdate()
    appeals = appeals_visible(school=school, user=user)
    return {
        "to_register": appeals.filter(status=Status.TAKEN_OUT).count(),
        "open": appeals.open().count(),
        "overdue": appeals.filter(appeals_overdue(today)).count(),
    }


def appeals_for_export(
    *, school: School, start: datetime.date | None, end: datetime.date | None
) -> AppealQuerySet:
    """Registered appeals of a period (by registration day), for the registry export."""
    appeals = Appeal.objects.for_school(school).exclude(status=Status.TAKEN_OUT)
    if start:
        appeals = appeals.filter(registered_on__gte=start)
    if end:
        appeals = appeals.filter(registered_on__lte=end)
    return appeals.select_related("assignee").order_by("year", "serial")


@dataclass(frozen=True)
class ToRegister:
    """The appeals of one opening still waiting for registration, and by when."""

    count: int
    total: int
    by: datetime.date | None


def to_register_from(*, opening_id: int) -> ToRegister:
    """How many appeals an opening took out still wait for registration, and the deadline.

    The opening is named by its id: openings sit above the registry.
    """
    appeals = Appeal.objects.filter(opening_id=opening_id)
    waiting = appeals.filter(status=Status.TAKEN_OUT)
    return ToRegister(
        count=waiting.count(),
        total=appeals.count(),
        by=waiting.aggregate(by=Min("register_by"))["by"],
    )


def assigned_open(*, school: School, user: User) -> AppealQuerySet:
    """The appeals assigned to the person and not answered yet, by their answer day."""
    return (
        Appeal.objects.for_school(school)
        .filter(assignee=user, status__in=OPEN_STATUSES)
        .defer("sealed_content", "case_private_sealed")
        .order_by("due_on", "pk")
    )


def written_back(*, school: School, user: User, leads: bool) -> list[Appeal]:
    """Appeals whose writer wrote last, for the person told of them: to answer or to read.

    An official sees those assigned to her; a lead (who is mailed for the appeals assigned
    to nobody) those too. No time is read: only which entry of the file came last.
    """
    mine = Q(assignee=user) | Q(assignee__isnull=True) if leads else Q(assignee=user)
    return list(
        appeals_visible(school=school, user=user)
        .filter(mine, status__in=IN_PROGRESS)
        .annotate(
            last=Max("entries__id"),
            last_writer=Max("entries__id", filter=Q(entries__kind=Entry.Kind.WRITER)),
        )
        .filter(last_writer=F("last"))
        .only("pk", "year", "serial", "school_id")
        .order_by("year", "serial")
    )


def _write_back_pending() -> Q:
    """An answered appeal whose writer wrote after its last reply."""
    return Q(status=Status.ANSWERED, last_writer__gt=Coalesce("last_reply", 0))


def _with_last_entries(appeals: AppealQuerySet) -> AppealQuerySet:
    return appeals.annotate(
        last_reply=Max("entries__id", filter=Q(entries__kind=Entry.Kind.REPLY)),
        last_writer=Max("entries__id", filter=Q(entries__kind=Entry.Kind.WRITER)),
    )


def awaits_decision(appeal: Appeal) -> bool:
    """Whether the writer wrote back on the answered appeal and nobody has decided yet."""
    appeals = _with_last_entries(Appeal.objects.filter(pk=appeal.pk))
    return appeals.filter(_write_back_pending()).exists()


def write_back_to_decide(*, school: School) -> list[Appeal]:
    """Answered appeals whose writer wrote back: the responsible person decides on each
    (close with thanks, answer again, or a new request). No time is read, only entry order."""
    return list(
        _with_last_entries(Appeal.objects.for_school(school))
        .filter(_write_back_pending())
        .only("pk", "year", "serial", "school_id")
        .order_by("year", "serial")
    )
