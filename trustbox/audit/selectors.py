"""Reads of the audit log for its page: one page of entries, labelled, with no query per row."""

from __future__ import annotations

import datetime
from collections.abc import Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from django.core.paginator import Page, Paginator
from django.db.models import QuerySet
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from trustbox.accounts.models import User
from trustbox.audit.actions import action_groups, action_known, action_label
from trustbox.audit.models import AuditEntry
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


def audit_entries(
    *,
    school: Any,
    action: str = "",
    actor: User | None = None,
    start: datetime.date | None = None,
    end: datetime.date | None = None,
) -> QuerySet[AuditEntry]:
    """The school's entries, newest first, filtered.

    An action filter that names a known action matches it exactly; a kind of action
    ("appeal.") matches every action of that kind. The dates are local days, both included.
    """
    entries = AuditEntry.objects.for_school(school)
    if action:
        if action_known(action):
            entries = entries.filter(action=action)
        else:
            entries = entries.filter(action__startswith=action)
    if actor is not None:
        entries = entries.filter(actor=actor)
    if start is not None:
        entries = entries.filter(created_at__gte=_day_start(start))
    if end is not None:
        entries = entries.filter(created_at__lt=_day_start(end + datetime.timedelta(days=1)))
    return entries.select_related("actor").order_by("-id")


def audit_page(
    *,
    school: Any,
    page: str | int | None,
    action: str = "",
    actor: User | None = None,
    start: datetime.date | None = None,
    end: datetime.date | None = None,
    per_page: int = PAGE_SIZE,
) -> Page[AuditEntry]:
    """One page of the school's log, filtered as audit_entries does."""
    entries = audit_entries(school=school, action=action, actor=actor, start=start, end=end)
    return Paginator(entries, per_page).get_page(page)


def audit_count(*, school: Any) -> int:
    return AuditEntry.objects.for_school(school).count()


@dataclass(frozen=True)
class AuditRow:
    """One line of the log page, ready to show."""

    entry: AuditEntry
    when: datetime.datetime
    day_only: bool
    who: StrOrPromise
    what: StrOrPromise
    target: StrOrPromise
    target_url: str
    details: list[tuple[StrOrPromise, StrOrPromise]]


def _who(entry: AuditEntry) -> StrOrPromise:
    if entry.actor is not None:
        return entry.actor.full_name or entry.actor.username
    if entry.by_writer:
        return _("the writer")
    return _("system")


def audit_rows(*, school: Any, entries: Sequence[AuditEntry]) -> list[AuditRow]:
    """Label a page of entries: people and things by name, one query per kind of thing."""
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
