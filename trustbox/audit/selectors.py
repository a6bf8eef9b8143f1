"""Reads of the audit log for its page: one page of entries, labelled, with no query per row."""

from __future__ import annotations

import datetime
from collections.abc import Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from django.core.paginator import Page, Paginator
from django.db import models
from django.db.models import QuerySet, Value
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from trustbox.accounts.models import User
from trustbox.audit.actions import AuditAction, action_groups, action_known, action_label
from trustbox.audit.models import AuditEntry, WriterEntry
from trustbox.audit.services import target_label
from trustbox.audit.targets import details_shown, targets_name

if TYPE_CHECKING:
    from django_stubs_ext import StrOrPromise

PAGE_SIZE = 50


def action_choices() -> list[tuple[str, StrOrPromise]]:
    """The action filter: each kind of action as a whole, then every action, in one list."""
    groups = action_groups()
    return [
        ("", _("any action")),
        *((group.prefix, group.label) for group in groups),
        *((code, label) for group in groups for code, label in group.actions.choices),
    ]


def actors_in_log(*, school: Any) -> QuerySet[User]:
    """Everyone who appears as the doer of something in the school's log."""
    doers = AuditEntry.objects.for_school(school).filter(actor__isnull=False).values("actor")
    return User.objects.filter(pk__in=doers).order_by("full_name", "username")


def _day_start(day: datetime.date) -> datetime.datetime:
    return timezone.make_aware(datetime.datetime.combine(day, datetime.time.min))


# One line of the merged log: (when, by a writer, id); newest first.
EntryKey = tuple[datetime.datetime, bool, int]


def _within(
    entries: QuerySet[Any], action: str, start: datetime.date | None, end: datetime.date | None
) -> QuerySet[Any]:
    if action:
        if action_known(action):
            entries = entries.filter(action=action)
        else:
            entries = entries.filter(action__startswith=action)
    if start is not None:
        entries = entries.filter(created_at__gte=_day_start(start))
    if end is not None:
        entries = entries.filter(created_at__lt=_day_start(end + datetime.timedelta(days=1)))
    return entries


def audit_entries(
    *,
    school: Any,
    action: str = "",
    actor: User | None = None,
    start: datetime.date | None = None,
    end: datetime.date | None = None,
) -> QuerySet[Any, EntryKey]:
    """The school's entries of both chains (staff, writers), newest first, filtered.

    A writer's entry knows only its day: it comes after the staff's entries of that day. An
    action filter that names a known action matches it exactly; a kind of action ("appeal.")
    matches every action of that kind. The dates are local days, both included. A person
    filter leaves the writers out: they have no account.
    """
    staff = _within(AuditEntry.objects.for_school(school), action, start, end)
    writers = _within(WriterEntry.objects.for_school(school), action, start, end)
    if actor is not None:
        staff = staff.filter(actor=actor)
        writers = writers.none()
    # The parts of a union keep no order of their own (the models order by id).
    keys = staff.order_by().annotate(writer=Value(False)).values_list("created_at", "writer", "id")
    writer_keys = (
        writers.order_by().annotate(writer=Value(True)).values_list("created_at", "writer", "id")
    )
    return keys.union(writer_keys, all=True).order_by("-created_at", "writer", "-id")


def entry_about(*, school: Any, action: AuditAction, target: models.Model) -> AuditEntry | None:
    """The staff entry of this action on this thing (the first, if there are several)."""
    return (
        AuditEntry.objects.for_school(school)
        .filter(action=action.value, target=target_label(target))
        .order_by("id")
        .first()
    )


def audit_page(
    *,
    school: Any,
    page: str | int | None,
    action: str = "",
    actor: User | None = None,
    start: datetime.date | None = None,
    end: datetime.date | None = None,
    per_page: int = PAGE_SIZE,
) -> Page[EntryKey]:
    """One page of the school's log, filtered as audit_entries does."""
    entries = audit_entries(school=school, action=action, actor=actor, start=start, end=end)
    return Paginator(entries, per_page).get_page(page)


@dataclass(frozen=True)
class AuditRow:
    """One line of the log page, ready to show."""

    entry: AuditEntry | WriterEntry
    when: datetime.datetime
    day_only: bool
    who: StrOrPromise
    what: StrOrPromise
    target: StrOrPromise
    target_url: str
    details: list[tuple[StrOrPromise, StrOrPromise]]

    @property
    def writer(self) -> bool:
        return isinstance(self.entry, WriterEntry)

    @property
    def key(self) -> tuple[bool, int]:
        """The entry's chain and number, as a ChainBreak names them (writer, entry_id)."""
        return (self.writer, self.entry.pk)


def _who(entry: AuditEntry | WriterEntry) -> StrOrPromise:
    if entry.actor is not None:
        return entry.actor.full_name or entry.actor.username
    if entry.by_writer:
        return _("the writer")
    return _("system")


def audit_rows(*, school: Any, keys: Sequence[EntryKey]) -> list[AuditRow]:
    """Label a page of entries: people and things by name, one query per kind of thing."""
    staff = AuditEntry.objects.select_related("actor").in_bulk(
        [pk for _when, writer, pk in keys if not writer]
    )
    writers = WriterEntry.objects.in_bulk([pk for _when, writer, pk in keys if writer])
    found = ((writers if writer else staff).get(pk) for _when, writer, pk in keys)
    entries: list[AuditEntry | WriterEntry] = [entry for entry in found if entry is not None]
    names = targets_name(school, (entry.target for entry in entries if entry.target))
    rows = []
    for entry in entries:
        when = timezone.localtime(entry.created_at)
        name = names.get(entry.target)
        rows.append(
            AuditRow(
                entry=entry,
                when=when,
                day_only=entry.actor_id is None and when.time() == datetime.time.min,
                who=_who(entry),
                what=action_label(entry.action),
                target=name.name if name else (_("something removed") if entry.target else ""),
                target_url=name.url if name else "",
                details=details_shown(entry.details if isinstance(entry.details, dict) else {}),
            )
        )
    return rows
