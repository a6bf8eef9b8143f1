"""Reads of the audit log for its page: one page of entries, labelled, with no query per row."""

from __future__ import annotations

import datetime
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING

from django.core.paginator import Page, Paginator
from django.db.models import QuerySet
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from trustbox.accounts.models import User
from trustbox.audit.models import AuditEntry
from trustbox.openings.models import Opening
from trustbox.registry.models import Appeal, Entry, Outcome
from trustbox.schools.models import School

if TYPE_CHECKING:
    from django_stubs_ext import StrOrPromise

PAGE_SIZE = 50

# What each action code of the code base means, for people. Unknown codes are shown raw.
ACTION_LABELS: dict[str, StrOrPromise] = {
    "account.password_changed": _("changed their password"),
    "account.second_factor_set": _("set up the second factor"),
    "appeal.assign": _("assigned an appeal"),
    "appeal.close": _("closed an appeal's file"),
    "appeal.decide": _("recorded the decision on an appeal"),
    "appeal.note": _("added an internal note to an appeal"),
    "appeal.read": _("read an appeal"),
    "appeal.register": _("registered an appeal"),
    "appeal.reply": _("replied to the writer of an appeal"),
    "appeal.writer_message": _("wrote back about their appeal"),
    "commission.appoint": _("appointed the commission"),
    "commission.elect": _("recorded the election of the chair and secretary"),
    "opening.cancel": _("cancelled an opening of the box"),
    "opening.confirm_seal": _("confirmed the seal at an opening"),
    "opening.join": _("joined an opening of the box"),
    "opening.open": _("opened the box"),
    "opening.paper_add": _("added a paper appeal at an opening"),
    "opening.reserve_add": _("added a reserve part at an opening"),
    "opening.rekey": _("renewed the box key at an opening"),
    "opening.start": _("started an opening of the box"),
    "person.add": _("added a person to the school"),
    "registry.export": _("exported the registry"),
    "seal.box_key_create": _("made the box key"),
    "seal.box_key_renew": _("renewed the box key"),
    "seal.member_key_reset": _("reset their personal key"),
    "seal.member_key_set": _("set their personal key"),
}

# Prefixes offered in the action filter, to see every action of one kind at once.
ACTION_GROUPS: dict[str, StrOrPromise] = {
    "account.": _("every action on accounts"),
    "appeal.": _("every action on appeals"),
    "commission.": _("every action on the commission"),
    "opening.": _("every action at openings of the box"),
    "person.": _("every action on people"),
    "registry.": _("every action on the registry as a whole"),
    "seal.": _("every action on keys"),
}

# Why an appeal was read, or what an opening was for (the "purpose" of an entry).
PURPOSE_LABELS: dict[str, StrOrPromise] = {
    "view": _("to view its file"),
    "act": _("for the act of opening"),
    "attachment": _("to download an attachment"),
    "card": _("to print its registration card"),
    "case_file": _("to print its whole file"),
    "letter": _("to print a reply letter"),
    **dict(Opening.Purpose.choices),
}

DETAIL_LABELS: dict[str, StrOrPromise] = {
    "purpose": _("purpose"),
    "channel": _("channel"),
    "outcome": _("outcome"),
}

DETAIL_VALUES: dict[str, dict[str, StrOrPromise]] = {
    "purpose": PURPOSE_LABELS,
    "channel": dict(Entry.Channel.choices),
    "outcome": dict(Outcome.choices),
}

WRITER_ACTIONS = "appeal.writer"
APPEAL_TARGET = f"{Appeal._meta.label_lower}:"


def action_label(action: str) -> StrOrPromise:
    return ACTION_LABELS.get(action, action)


def action_choices(*, school: School) -> list[tuple[str, StrOrPromise]]:
    """The groups of actions, then every action known to the code or found in the school's log."""
    found = (
        AuditEntry.objects.for_school(school).order_by().values_list("action", flat=True).distinct()
    )
    codes = sorted(set(ACTION_LABELS) | set(found))
    return [*ACTION_GROUPS.items(), *((code, action_label(code)) for code in codes)]


def actors_in_log(*, school: School) -> QuerySet[User]:
    """Everyone who appears as the doer of something in the school's log."""
    doers = AuditEntry.objects.for_school(school).filter(actor__isnull=False).values("actor")
    return User.objects.filter(pk__in=doers).order_by("full_name", "username")


def _day_start(day: datetime.date) -> datetime.datetime:
    return timezone.make_aware(datetime.datetime.combine(day, datetime.time.min))


def audit_entries(
    *,
    school: School,
    action: str = "",
    actor: User | None = None,
    start: datetime.date | None = None,
    end: datetime.date | None = None,
) -> QuerySet[AuditEntry]:
    """The school's entries, newest first, filtered.

    An action filter that names a known action matches it exactly; anything else matches
    as the beginning of the code ("appeal." for every action on appeals). The dates are
    local days, both included.
    """
    entries = AuditEntry.objects.for_school(school)
    if action:
        if action in ACTION_LABELS:
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
    school: School,
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


def audit_count(*, school: School) -> int:
    return AuditEntry.objects.for_school(school).count()


@dataclass(frozen=True)
class AuditRow:
    """One line of the log page, ready to show."""

    entry: AuditEntry
    when: datetime.datetime
    day_only: bool
    who: StrOrPromise
    what: StrOrPromise
    target: str
    target_url: str
    details: list[tuple[StrOrPromise, StrOrPromise]]


def _appeal_pk(target: str) -> int | None:
    if not target.startswith(APPEAL_TARGET):
        return None
    try:
        return int(target.removeprefix(APPEAL_TARGET))
    except ValueError:
        return None


def _appeal_names(school: School, pks: Iterable[int]) -> dict[int, str]:
    """The registration number of each appeal, or its place in an opening's act if unregistered."""
    rows = Appeal.objects.filter(school=school, pk__in=set(pks)).values_list(
        "pk", "year", "serial", "opening__journal_number", "number_in_act"
    )
    names = {}
    for pk, year, serial, journal_number, line in rows:
        if year and serial:
            names[pk] = f"{year}/{serial:03d}"
        else:
            names[pk] = gettext("opening %(number)s, line %(line)s") % {
                "number": journal_number,
                "line": line,
            }
    return names


def _who(entry: AuditEntry) -> StrOrPromise:
    if entry.actor is not None:
        return entry.actor.full_name or entry.actor.username
    if entry.action.startswith(WRITER_ACTIONS):
        return _("the writer")
    return _("system")


def _details(entry: AuditEntry) -> list[tuple[StrOrPromise, StrOrPromise]]:
    """Only the purpose, channel and outcome: never anything else an entry may hold."""
    details = entry.details if isinstance(entry.details, dict) else {}
    shown = []
    for key, label in DETAIL_LABELS.items():
        value = details.get(key)
        if value:
            shown.append((label, DETAIL_VALUES[key].get(str(value), str(value))))
    return shown


def audit_rows(*, school: School, entries: Sequence[AuditEntry]) -> list[AuditRow]:
    """Label a page of entries; the appeals' numbers come in one query for the whole page."""
    appeal_pks = {entry.pk: _appeal_pk(entry.target) for entry in entries}
    names = _appeal_names(school, (pk for pk in appeal_pks.values() if pk is not None))
    rows = []
    for entry in entries:
        when = timezone.localtime(entry.created_at)
        appeal_pk = appeal_pks[entry.pk]
        name = names.get(appeal_pk) if appeal_pk is not None else None
        rows.append(
            AuditRow(
                entry=entry,
                when=when,
                day_only=entry.actor_id is None and when.time() == datetime.time.min,
                who=_who(entry),
                what=action_label(entry.action),
                target=name or entry.target,
                target_url=(
                    reverse("registry:detail", args=[school.slug, appeal_pk])
                    if name is not None
                    else ""
                ),
                details=_details(entry),
            )
        )
    return rows
