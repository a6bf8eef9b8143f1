"""Tell officials that an appeal needs them, never what it says.

Every message names the appeal by its registration number and a link, in Kyrgyz and Russian.
"""

from __future__ import annotations

import datetime
import logging
from collections.abc import Callable, Iterable
from typing import TYPE_CHECKING

from django.conf import settings
from django.db.models import Q
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from trustbox.commission.models import Commission
from trustbox.lib.dates import long_date
from trustbox.lib.mail import mail_bilingual, mail_bilingual_or_log

if TYPE_CHECKING:
    from trustbox.accounts.models import User
    from trustbox.registry.models import Appeal

log = logging.getLogger(__name__)


def _link(appeal: Appeal) -> str:
    return settings.SITE_URL + reverse("registry:detail", args=[appeal.school.slug, appeal.pk])


def _send(people: Iterable[User], subject: Callable[[], str], body: Callable[[], str]) -> int:
    """Send one message in Kyrgyz and Russian to each person; OSError if the mail server fails."""
    return mail_bilingual(recipients=(p.email for p in people), subject=subject, body=body)


def _send_or_log(
    people: Iterable[User], subject: Callable[[], str], body: Callable[[], str]
) -> int:
    return mail_bilingual_or_log(
        recipients=(p.email for p in people), subject=subject, body=body, what="registry"
    )


def _day(day: datetime.date | None) -> str:
    return long_date(day, translation.get_language() or "ky") if day else ""


def _responsible(appeal: Appeal) -> list[User]:
    commission = Commission.objects.current(appeal.school)
    return [commission.responsible] if commission and commission.responsible else []


def appeal_assigned_notify(*, appeal: Appeal) -> int:
    """Tell the official that an appeal was assigned to them."""
    if appeal.assignee is None:
        return 0
    return _send_or_log(
        [appeal.assignee],
        lambda: _("Trust Box: appeal %(number)s is assigned to you") % {"number": appeal.number},
        lambda: (
            _(
                "Appeal %(number)s of %(school)s is assigned to you for consideration. "
                "Answer by %(due)s. Open it here: %(link)s"
            )
            % {
                "number": appeal.number,
                "school": appeal.school.name,
                "due": _day(appeal.due_on),
                "link": _link(appeal),
            }
        ),
    )


def writer_answered_notify(*, appeal: Appeal) -> int:
    """Tell the assignee (or the responsible person) that the writer wrote back."""
    people = [appeal.assignee] if appeal.assignee else _responsible(appeal)
    return _send_or_log(
        people,
        lambda: (
            _("Trust Box: the writer of appeal %(number)s wrote back") % {"number": appeal.number}
        ),
        lambda: (
            _("The writer of appeal %(number)s wrote back. Read it here: %(link)s")
            % {"number": appeal.number, "link": _link(appeal)}
        ),
    )


def deadline_reminders_send(*, today: datetime.date | None = None) -> int:
    """Remind officials of appeals due soon or overdue, once a day per appeal."""
    from trustbox.registry.models import Appeal

    today = today or timezone.localdate()
    soon = today + datetime.timedelta(days=settings.REMIND_DAYS_BEFORE)
    not_reminded_today = Q(reminded_on__isnull=True) | Q(reminded_on__lt=today)
    pending = (
        Appeal.objects.filter(not_reminded_today)
        .filter(pk__in=Appeal.objects.overdue(today) | Appeal.objects.due_soon(today, soon))
        .select_related("school", "assignee", "opening")
        .defer("sealed_content", "case_private_sealed")
    )
    sent = 0
    for appeal in pending.iterator():
        # Claim the appeal first, so that two runs at once do not both remind.
        if not Appeal.objects.filter(not_reminded_today, pk=appeal.pk).update(reminded_on=today):
            continue
        people = [appeal.assignee] if appeal.assignee else []
        people += _responsible(appeal)
        if appeal.is_overdue(today):
            subject, body = _overdue_subject(appeal), _overdue_body(appeal)
        else:
            subject, body = _soon_subject(appeal), _soon_body(appeal)
        try:
            sent += _send(people, subject, body)
        except OSError:
            log.warning("a deadline reminder could not be sent; it is tried again next run")
            Appeal.objects.filter(pk=appeal.pk).update(reminded_on=appeal.reminded_on)
    return sent


def _name(appeal: Appeal) -> str:
    return appeal.number or _("taken out at opening № %(number)s, line %(line)s") % {
        "number": appeal.opening.journal_number,
        "line": appeal.number_in_act,
    }


def _overdue_subject(appeal: Appeal) -> Callable[[], str]:
    return lambda: _("Trust Box: appeal %(number)s is overdue") % {"number": _name(appeal)}


def _overdue_body(appeal: Appeal) -> Callable[[], str]:
    return lambda: (
        _("Appeal %(number)s of %(school)s is past its deadline. Open it here: %(link)s")
        % {"number": _name(appeal), "school": appeal.school.name, "link": _link(appeal)}
    )


def _soon_subject(appeal: Appeal) -> Callable[[], str]:
    return lambda: _("Trust Box: appeal %(number)s is due soon") % {"number": _name(appeal)}


def _soon_body(appeal: Appeal) -> Callable[[], str]:
    return lambda: (
        _("Appeal %(number)s of %(school)s must be answered by %(due)s. Open it here: %(link)s")
        % {
            "number": _name(appeal),
            "school": appeal.school.name,
            "due": _day(appeal.due_on),
            "link": _link(appeal),
        }
    )
