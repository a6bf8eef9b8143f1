"""Tell members of a meeting: only its day, time and place, never its agenda."""

from __future__ import annotations

from django.conf import settings
from django.urls import reverse
from django.utils import translation
from django.utils.translation import gettext_lazy

from trustbox.accounts.models import User
from trustbox.lib.dates import long_date
from trustbox.lib.mail import mail_people_or_log
from trustbox.meetings.models import Meeting


def meeting_when_where(meeting: Meeting) -> str:
    """ "2026-жылдын 14-марты, 15:00, 12-кабинет": the day, the time and the place."""
    parts = [long_date(meeting.held_on, translation.get_language() or "ky")]
    if meeting.starts_at:
        parts.append(meeting.starts_at.strftime("%H:%M"))
    if meeting.place:
        parts.append(meeting.place)
    return ", ".join(parts)


def _recipients(meeting: Meeting) -> list[User]:
    return [seat.user for seat in meeting.commission.seats.select_related("user")]


def _link(meeting: Meeting) -> str:
    return settings.SITE_URL + reverse("meetings:detail", args=[meeting.school.slug, meeting.pk])


def _facts(meeting: Meeting) -> dict[str, str]:
    """The school (named once), when and where, the meeting's page: words of the language."""
    return {
        "school": meeting.school.name,
        "when": meeting_when_where(meeting),
        "link": _link(meeting),
    }


def meeting_scheduled_notify(*, meeting: Meeting) -> int:
    """Tell every member of the commission when and where the meeting is."""
    return mail_people_or_log(
        _recipients(meeting),
        subject=gettext_lazy("Trust Box: a meeting of the commission"),
        template="meetings/mail/meeting_scheduled",
        context=lambda: _facts(meeting),
        what="meeting scheduled",
    )


def meeting_cancelled_notify(*, meeting: Meeting) -> int:
    return mail_people_or_log(
        _recipients(meeting),
        subject=gettext_lazy("Trust Box: a meeting of the commission is cancelled"),
        template="meetings/mail/meeting_cancelled",
        context=lambda: _facts(meeting),
        what="meeting cancelled",
    )
