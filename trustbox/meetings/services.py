"""Changes of state of meetings: calling, the agenda, attendance and decisions, each audited.

The protocols (protocols.py) and their signatures (signing.py) are apart, as Zulip splits its
actions by subject; a meeting's unsigned draft follows its record (protocols.protocol_draft_follow).
"""

from __future__ import annotations

import datetime
from collections.abc import Collection, Sequence
from dataclasses import dataclass

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Max
from django.utils import timezone
from django.utils.translation import gettext as _

from trustbox.accounts.models import User
from trustbox.audit.services import audit_write
from trustbox.commission.models import Commission
from trustbox.commission.rules import has_majority, quorum_missing
from trustbox.meetings import agenda, notify
from trustbox.meetings.actions import MeetingAction
from trustbox.meetings.models import AgendaItem, Attendance, Decision, Meeting
from trustbox.meetings.protocols import (
    meeting_locked,
    meeting_refuse_if_signed,
    protocol_draft_follow,
)
from trustbox.meetings.sealing import record_seal
from trustbox.meetings.selectors import meeting_present_count
from trustbox.schools.models import School


@dataclass(frozen=True)
class AgendaEntry:
    """An item to put on an agenda: free text, or a reference of a registered kind."""

    kind: str = agenda.FREE
    ref_id: int | None = None
    title: str = ""


# --- meetings ------------------------------------------------------------------------------


def _commission_in_force(school: School) -> Commission:
    commission = Commission.objects.current(school)
    if commission is None:
        raise ValidationError(_("No commission is appointed yet (cl. 4.1)."))
    return commission


def _agenda_item_add(
    meeting: Meeting, entry: AgendaEntry, position: int, *, by: User
) -> AgendaItem:
    kind = agenda.agenda_kind(entry.kind)
    if kind is None or not kind.selectable:
        raise ValidationError(_("This kind of agenda item is not known."))
    title = entry.title.strip()
    reference = ""
    if kind.code == agenda.FREE:
        if not title:
            raise ValidationError(_("Write what the item is about."))
    else:
        found = kind.reference(meeting.school, entry.ref_id) if entry.ref_id else None
        if found is None:
            raise ValidationError(_("Choose what the item is about from the list."))
        reference = found
    return AgendaItem.objects.create(
        meeting=meeting,
        position=position,
        kind=kind.code,
        ref_id=entry.ref_id if kind.code != agenda.FREE else None,
        reference=reference,
        sealed_title=record_seal(school=meeting.school, by=by, text=title) or None,
    )


@transaction.atomic
def meeting_schedule(
    *,
    school: School,
    by: User,
    held_on: datetime.date,
    starts_at: datetime.time | None,
    place: str,
    agenda_entries: Sequence[AgendaEntry] = (),
) -> Meeting:
    """Call a meeting of the commission in force; tell its members when and where."""
    commission = _commission_in_force(school)
    if held_on < commission.order_date:
        raise ValidationError(
            _("The meeting cannot be before the order that appointed the commission.")
        )
    meeting = Meeting.objects.create(
        school=school,
        commission=commission,
        held_on=held_on,
        starts_at=starts_at,
        place=place.strip(),
        scheduled_by=by,
    )
    for position, entry in enumerate(agenda_entries, start=1):
        _agenda_item_add(meeting, entry, position, by=by)
    audit_write(
        school=school,
        actor=by,
        action=MeetingAction.SCHEDULE,
        target=meeting,
        details={"held_on": held_on.isoformat(), "items": len(agenda_entries)},
    )
    if held_on >= timezone.localdate():
        transaction.on_commit(lambda: notify.meeting_scheduled_notify(meeting=meeting))
    return meeting


@transaction.atomic
def meeting_cancel(*, meeting: Meeting, by: User) -> Meeting:
    """Call off a meeting not yet held; tell the members."""
    meeting = meeting_locked(meeting)
    if meeting.status != Meeting.Status.SCHEDULED:
        raise ValidationError(_("Only a meeting not yet held can be cancelled."))
    meeting.status = Meeting.Status.CANCELLED
    meeting.save(update_fields=["status"])
    audit_write(school=meeting.school, actor=by, action=MeetingAction.CANCEL, target=meeting)
    if meeting.held_on >= timezone.localdate():
        transaction.on_commit(lambda: notify.meeting_cancelled_notify(meeting=meeting))
    return meeting


@transaction.atomic
def meeting_agenda_add(*, meeting: Meeting, by: User, entry: AgendaEntry) -> AgendaItem:
    """Put one more item on the agenda, before the protocol is signed."""
    meeting = meeting_locked(meeting)
    if meeting.status == Meeting.Status.CANCELLED:
        raise ValidationError(_("This meeting is cancelled."))
    meeting_refuse_if_signed(meeting)
    position = (meeting.agenda.aggregate(last=Max("position"))["last"] or 0) + 1
    item = _agenda_item_add(meeting, entry, position, by=by)
    audit_write(
        school=meeting.school,
        actor=by,
        action=MeetingAction.AGENDA_ADD,
        target=meeting,
        details={"agenda_kind": item.kind, "position": position},
    )
    protocol_draft_follow(meeting)
    return item


@transaction.atomic
def meeting_attendance_record(*, meeting: Meeting, by: User, present: Collection[User]) -> Meeting:
    """Record which members of the commission came; the meeting is then held."""
    meeting = meeting_locked(meeting)
    if meeting.status == Meeting.Status.CANCELLED:
        raise ValidationError(_("This meeting is cancelled."))
    if meeting.held_on > timezone.localdate():
        raise ValidationError(_("Attendance is recorded on the day of the meeting or later."))
    meeting_refuse_if_signed(meeting)
    current = (
        Commission.objects.for_school(meeting.school)
        .filter(order_date__lte=meeting.held_on)
        .order_by("-order_date", "-id")
        .first()
    )
    if current is not None and current.pk != meeting.commission_id:
        # Called by a commission that an order of before the meeting's day replaced: the
        # commission in force that day held it, and its members sign the protocol.
        meeting.commission = current
        meeting.save(update_fields=["commission"])
        meeting.attendance.all().delete()
    members = list(meeting.commission.members.all())
    present_ids = {person.pk for person in present}
    if present_ids - {member.pk for member in members}:
        raise ValidationError(_("Only members of the commission are marked present."))
    for member in members:
        Attendance.objects.update_or_create(
            meeting=meeting, member=member, defaults={"present": member.pk in present_ids}
        )
    meeting.status = Meeting.Status.HELD
    meeting.save(update_fields=["status"])
    audit_write(
        school=meeting.school,
        actor=by,
        action=MeetingAction.ATTENDANCE,
        target=meeting,
        details={"present": sorted(present_ids), "members": len(members)},
    )
    protocol_draft_follow(meeting)
    return meeting


@transaction.atomic
def meeting_decision_record(
    *,
    meeting: Meeting,
    by: User,
    text: str,
    votes_for: int,
    votes_against: int,
    votes_abstained: int,
    item: AgendaItem | None = None,
) -> Decision:
    """Record a decision and its open vote; a vote needs more than half of the members present."""
    meeting = meeting_locked(meeting)
    if meeting.status != Meeting.Status.HELD:
        raise ValidationError(_("Record who was present before the decisions."))
    meeting_refuse_if_signed(meeting)
    if item is not None and item.meeting_id != meeting.pk:
        raise ValidationError(_("This item is not on this meeting's agenda."))
    if not text.strip():
        raise ValidationError(_("Write the decision."))
    present = meeting_present_count(meeting)
    no_quorum = quorum_missing(present=present, size=meeting.commission.size)
    if no_quorum:
        raise ValidationError(no_quorum)
    counted = votes_for + votes_against + votes_abstained
    if counted > present:
        raise ValidationError(
            _("%(counted)d votes are counted, but only %(present)d members are present.")
            % {"counted": counted, "present": present}
        )
    position = (meeting.decisions.aggregate(last=Max("position"))["last"] or 0) + 1
    decision = Decision.objects.create(
        meeting=meeting,
        item=item,
        position=position,
        sealed_text=record_seal(school=meeting.school, by=by, text=text),
        votes_for=votes_for,
        votes_against=votes_against,
        votes_abstained=votes_abstained,
        adopted=has_majority(votes=votes_for, present=present),
    )
    audit_write(
        school=meeting.school,
        actor=by,
        action=MeetingAction.DECISION,
        target=meeting,
        details={
            "position": position,
            "votes": [votes_for, votes_against, votes_abstained],
            "adopted": decision.adopted,
        },
    )
    protocol_draft_follow(meeting)
    return decision
