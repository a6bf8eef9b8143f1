"""What the audit log says of meetings and protocols, and how it names them."""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from typing import Any

from django.urls import reverse
from django.utils import translation
from django.utils.translation import gettext_lazy as _

from trustbox.audit.actions import AuditAction, audit_actions
from trustbox.audit.targets import TargetName
from trustbox.lib.dates import long_date
from trustbox.meetings.models import Meeting, Protocol


@audit_actions(group=_("every action on meetings and protocols"))
class MeetingAction(AuditAction):
    SCHEDULE = "meeting.schedule", _("scheduled a meeting of the commission")
    CANCEL = "meeting.cancel", _("cancelled a meeting of the commission")
    AGENDA_ADD = "meeting.agenda_add", _("added an item to a meeting's agenda")
    ATTENDANCE = "meeting.attendance", _("recorded who was present at a meeting")
    DECISION = "meeting.decision", _("recorded a decision of a meeting")
    FIRST_SESSION = "meeting.first_session", _("kept the first session's vote as its protocol")
    DRAFT = "meeting.draft", _("drafted a protocol")
    SIGN = "meeting.sign", _("signed a protocol")
    SCAN = "meeting.scan", _("attached the scan of a protocol signed on paper")
    CORRECT = "meeting.correct", _("corrected a signed protocol with a new one")
    READ = "meeting.read", _("read the sealed record of a meeting")
    SEAL_LEFTOVERS = (
        "meeting.seal_leftovers",
        _("sealed the commission's record written before it was sealed"),
    )
    # Written before the signing key moved down into the seal's keyring (now seal.signing_key_set);
    # kept so that the log still names those rows.
    SIGNING_KEY_SET = "meeting.signing_key_set", _("made a signing key")


# Why the commission's sealed words were read (the "purpose" of a meeting.read entry).
RECORD_READ_PURPOSES = {
    "meeting_view": _("to view the meeting's record"),
    "protocol_view": _("to view the protocol"),
    "protocol_pdf": _("to print the protocol (PDF)"),
    "protocol_docx": _("to print the protocol (DOCX)"),
    "protocol_scan": _("to see the scan of a sheet signed on paper"),
}


def _day(value: Any) -> str:
    return long_date(value, translation.get_language() or "ky")


def meetings_name(school: Any, pks: Iterable[int]) -> Mapping[int, TargetName]:
    return {
        meeting.pk: TargetName(
            _("meeting of %(date)s") % {"date": _day(meeting.held_on)},
            reverse("meetings:detail", args=[school.slug, meeting.pk]),
        )
        for meeting in Meeting.objects.filter(school=school, pk__in=set(pks))
    }


def protocols_name(school: Any, pks: Iterable[int]) -> Mapping[int, TargetName]:
    return {
        protocol.pk: TargetName(
            _("protocol № %(number)s of %(year)s")
            % {"number": protocol.number, "year": protocol.year},
            reverse("meetings:protocol", args=[school.slug, protocol.pk]),
        )
        for protocol in Protocol.objects.filter(school=school, pk__in=set(pks)).only(
            "pk", "number", "year"
        )
    }
