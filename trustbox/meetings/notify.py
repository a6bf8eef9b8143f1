"""Tell members of a meeting: only its day, time and place, never its agenda."""

from __future__ import annotations

from django.conf import settings
from django.urls import reverse
from django.utils import translation
from django.utils.translation import gettext as _

from trustbox.lib.dates import long_date
from trustbox.lib.mail import mail_bilingual_or_log
from trustbox.meetings.models import Meeting


def meeting_when_where(meeting: Meeting) -> str:
    """ "2026-жылдын 14-марты, 15:00, 12-кабинет": the day, the time and the place."""
    parts = [long_date(meeting.held_on, translation.get_language() or "ky")]
    if meeting.starts_at:
        parts.append(meeting.starts_at.strftime("%H:%M"))
    if meeting.place:
        parts.append(meeting.place)
    return ", ".join(parts)


def _recipients(meeting: Meeting) -> list[str]:
    return [seat.user.email for seat in meeting.commission.seats.select_related("user")]


def _link(meeting: Meeting) -> str:
    return settings.SITE_URL + reverse("meetings:detail", args=[meeting.school.slug, meeting.pk])


def meeting_scheduled_notify(*, meeting: Meeting) -> int:
    """Tell every member of the commission when and where the meeting is."""
    return mail_bilingual_or_log(
        recipients=_recipients(meeting),
        subject=lambda: _("Trust Box: a meeting of the commission"),
        body=lambda: (
            _(
                "The Trust Box commission of %(school)s meets on %(when)s. Everything about it "
                "is on its page: %(link)s"
            )
            % {
                "school": meeting.school.name,
                "when": meeting_when_where(meeting),
                "link": _link(meeting),
            }
        ),
        what="meeting scheduled",
    )


def meeting_cancelled_notify(*, meeting: Meeting) -> int:
    return mail_bilingual_or_log(
        recipients=_recipients(meeting),
        subject=lambda: _("Trust Box: a meeting of the commission is cancelled"),
        body=lambda: (
            _("The meeting of the Trust Box commission of %(school)s on %(when)s is cancelled.")
            % {"school": meeting.school.name, "when": meeting_when_where(meeting)}
        ),
        what="meeting cancelled",
    )
