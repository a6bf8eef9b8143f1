"""The destruction of cases past their period as an item of a meeting's agenda.

RetentionConfig.ready() registers the kind with the meetings app, as the quarterly reports
register theirs. The item names the cases by their count and the day they were counted
(«the destruction of 12 cases past their retention period, as of 8 December 2026»): the list
itself is the act's, drawn up from the meeting's decision.
"""

from __future__ import annotations

import datetime
from typing import Any

from django.utils import timezone, translation
from django.utils.translation import gettext_lazy, ngettext

from trustbox.lib.dates import long_date
from trustbox.meetings.agenda import AgendaKind
from trustbox.retention.selectors import AGENDA_KIND, cases_past_period


def _count(school: Any) -> int:
    return cases_past_period(school, timezone.localdate()).count()


def _choices(school: Any) -> list[tuple[int, str]]:
    count = _count(school)
    if not count:
        return []
    text = ngettext(
        "%(count)d case past its retention period",
        "%(count)d cases past their retention period",
        count,
    ) % {"count": count}
    return [(school.pk, text)]


def _reference(school: Any, pk: int) -> str | None:
    """ "2026-12-08/12": the day the cases were counted and how many there were."""
    count = _count(school) if pk == school.pk else 0
    return f"{timezone.localdate().isoformat()}/{count}" if count else None


def _describe(reference: str) -> str:
    day, _sep, count = reference.partition("/")
    try:
        date = long_date(datetime.date.fromisoformat(day), translation.get_language() or "ky")
        number = int(count)
    except ValueError:
        return reference
    return ngettext(
        "the destruction of %(count)d case past its retention period (as of %(date)s)",
        "the destruction of %(count)d cases past their retention period (as of %(date)s)",
        number,
    ) % {"count": number, "date": date}


def destruction_agenda_kind() -> AgendaKind:
    return AgendaKind(
        code=AGENDA_KIND,
        label=gettext_lazy("Destruction of cases past their retention period"),
        choices=_choices,
        reference=_reference,
        describe=_describe,
    )
