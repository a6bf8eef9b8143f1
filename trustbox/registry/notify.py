"""Tell officials that an appeal needs them, never what it says.

Every message about one appeal names it by its registration number and a link, in the
person's language (lib/mail.py); a writer's own action is announced once a day without any
number.
"""

from __future__ import annotations

import datetime
import logging
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import TYPE_CHECKING

from django.conf import settings
from django.db.models import Q
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from trustbox.commission.models import Commission
from trustbox.lib.dates import Case, long_date
from trustbox.lib.mail import Context, Subject, mail_people_or_log, mail_send
from trustbox.registry.models import Appeal, Entry, Status
from trustbox.registry.obligations import reminders_due

if TYPE_CHECKING:
    from trustbox.accounts.models import User

log = logging.getLogger(__name__)


def _link(appeal: Appeal) -> str:
    return settings.SITE_URL + reverse("registry:detail", args=[appeal.school.slug, appeal.pk])


def _send(person: User, subject: Subject, template: str, context: Context) -> int:
    """Send one message to the person in their language; OSError if the mail server fails."""
    return mail_send(person, subject=subject, template=f"registry/mail/{template}", context=context)


def _responsible(appeal: Appeal) -> list[User]:
    commission = Commission.objects.current(appeal.school)
    return [commission.responsible] if commission and commission.responsible else []


def appeal_assigned_notify(*, appeal: Appeal) -> int:
    """Tell the official that an appeal was assigned to them."""
    if appeal.assignee is None:
        return 0
    return mail_people_or_log(
        [appeal.assignee],
        subject=lambda: (
            _("Trust Box: appeal %(number)s is assigned to you") % {"number": appeal.number}
        ),
        template="registry/mail/appeal_assigned",
        context={
            "number": appeal.number,
            "school": appeal.school.name,
            "due": appeal.due_on,
            "link": _link(appeal),
        },
        what="registry",
    )


def writer_notice_subject() -> str:
    return _("Trust Box: a writer wrote back")


def writer_messages_notify(*, today: datetime.date | None = None) -> int:
    """Tell officials, once a day, that writers wrote back: no number, no time, no content.

    A writer's message is not announced when it comes (the mail would place her to the
    minute): the daily run tells each assignee (or, for an appeal not assigned, the
    responsible person) of the messages of the days before today, in one mail that names no
    appeal; the to-do list shows which. Return how many mails were sent.
    """
    today = today or timezone.localdate()
    waiting = Entry.objects.filter(
        kind=Entry.Kind.WRITER, notified=False, created_on__lt=today
    ).select_related("appeal__assignee", "appeal__school")
    people: dict[tuple[int, int], tuple[User, str, list[int]]] = {}
    responsible: dict[int, list[User]] = {}
    for entry in waiting:
        # Claim the message first, so that two runs at once do not both tell.
        if not Entry.objects.filter(pk=entry.pk, notified=False).update(notified=True):
            continue
        appeal = entry.appeal
        if appeal.school_id not in responsible:
            responsible[appeal.school_id] = _responsible(appeal)
        todo = settings.SITE_URL + reverse("core:dashboard", args=[appeal.school.slug])
        for person in [appeal.assignee] if appeal.assignee else responsible[appeal.school_id]:
            if person.email:
                told = people.setdefault((person.pk, appeal.school_id), (person, todo, []))
                told[2].append(entry.pk)
    sent = 0
    for person, todo, entries in people.values():
        try:
            sent += _send(person, writer_notice_subject, "writer_wrote_back", {"link": todo})
        except OSError:
            log.warning("a writer's message could not be announced; it is tried again next run")
            Entry.objects.filter(pk__in=entries).update(notified=False)
    return sent


@dataclass
class _Digest:
    """What one person is reminded of in one run: their appeals due soon or overdue."""

    person: User
    appeals: list[Appeal] = field(default_factory=list)


def deadline_reminders_send(*, today: datetime.date | None = None) -> int:
    """Remind each official once a run of their appeals due soon or overdue: one digest each.

    An appeal is in the digests of its assignee and of the responsible person, at most once a
    day. Return how many digests were mailed.
    """
    today = today or timezone.localdate()
    not_reminded_today = Q(reminded_on__isnull=True) | Q(reminded_on__lt=today)
    pending = (
        # What the to-do list and the compliance page name overdue or due soon (obligations).
        reminders_due(today)
        .filter(not_reminded_today)
        .select_related("school", "assignee", "opening")
        .defer("sealed_content", "case_private_sealed")
        .order_by("school_id", "register_by", "due_on", "pk")
    )
    digests: dict[int, _Digest] = {}
    claimed: dict[int, datetime.date | None] = {}
    responsible: dict[int, list[User]] = {}
    for appeal in pending.iterator():
        # Claim the appeal first, so that two runs at once do not both remind.
        if not Appeal.objects.filter(not_reminded_today, pk=appeal.pk).update(reminded_on=today):
            continue
        claimed[appeal.pk] = appeal.reminded_on
        if appeal.school_id not in responsible:
            responsible[appeal.school_id] = _responsible(appeal)
        people = [appeal.assignee] if appeal.assignee else []
        people += [p for p in responsible[appeal.school_id] if p not in people]
        for person in people:
            if person.email:
                digests.setdefault(person.pk, _Digest(person)).appeals.append(appeal)
    sent = 0
    for digest in digests.values():
        try:
            sent += _send(
                digest.person, _digest_subject(digest, today), "deadlines", _digest(digest, today)
            )
        except OSError:
            log.warning("a digest of deadlines could not be sent; it is tried again next run")
            for appeal in digest.appeals:
                Appeal.objects.filter(pk=appeal.pk).update(reminded_on=claimed[appeal.pk])
    return sent


def _name(appeal: Appeal) -> str:
    return appeal.number or _("taken out at opening № %(number)s, line %(line)s") % {
        "number": appeal.opening.journal_number,
        "line": appeal.number_in_act,
    }


def _digest_subject(digest: _Digest, today: datetime.date) -> Callable[[], str]:
    overdue = sum(1 for appeal in digest.appeals if appeal.is_overdue(today))
    count = len(digest.appeals)

    def subject() -> str:
        if overdue:
            return ngettext(
                "Trust Box: %(count)d appeal needs you, %(overdue)d overdue",
                "Trust Box: %(count)d appeals need you, %(overdue)d overdue",
                count,
            ) % {"count": count, "overdue": overdue}
        return ngettext(
            "Trust Box: %(count)d appeal is due soon",
            "Trust Box: %(count)d appeals are due soon",
            count,
        ) % {"count": count}

    return subject


def _digest_item(appeal: Appeal, today: datetime.date) -> dict[str, object]:
    language = translation.get_language() or "ky"
    if appeal.status == Status.TAKEN_OUT:
        deadline = _("to register by %(day)s") % {
            "day": long_date(appeal.register_by, language, Case.DATIVE)
            if appeal.register_by
            else "—"
        }
    else:
        deadline = _("to answer by %(day)s") % {
            "day": long_date(appeal.due_on, language, Case.DATIVE) if appeal.due_on else "—"
        }
    overdue = appeal.is_overdue(today)
    if overdue:
        deadline = _("overdue: %(deadline)s") % {"deadline": deadline}
    return {
        "name": _name(appeal),
        "school": appeal.school.name,
        "deadline": deadline,
        "overdue": overdue,
        "link": _link(appeal),
    }


def _digest(digest: _Digest, today: datetime.date) -> Callable[[], dict[str, object]]:
    """The digest's lines, overdue first, then by deadline: numbers, deadlines and links only."""
    appeals = sorted(digest.appeals, key=lambda appeal: not appeal.is_overdue(today))
    schools = {appeal.school.pk: appeal.school for appeal in appeals}

    def context() -> dict[str, object]:
        return {
            "items": [_digest_item(appeal, today) for appeal in appeals],
            "registries": [
                settings.SITE_URL + reverse("registry:list", args=[school.slug])
                for school in schools.values()
            ],
        }

    return context
