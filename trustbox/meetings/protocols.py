"""Changes of state of protocols: drafting, the first session's, correcting, each audited.

A protocol is numbered per school and year; its discussion is sealed to the registry key at
once; once signed, the meeting's record is frozen and a correction is a new protocol.
"""

from __future__ import annotations

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Max
from django.utils.translation import gettext as _

from trustbox.accounts.models import User
from trustbox.audit.services import audit_write
from trustbox.commission.models import Election
from trustbox.meetings import agenda
from trustbox.meetings.actions import MeetingAction
from trustbox.meetings.content import content_fingerprint, meeting_content
from trustbox.meetings.models import AgendaItem, Attendance, Meeting, Protocol
from trustbox.meetings.sealing import record_seal, record_sealer
from trustbox.meetings.selectors import meeting_signed, protocol_in_force
from trustbox.schools.models import School
from trustbox.seal import crypto


def meeting_locked(meeting: Meeting) -> Meeting:
    """The meeting, its row locked for a change of its record."""
    return (
        Meeting.objects.select_for_update()
        .select_related("school", "commission")
        .get(pk=meeting.pk)
    )


def meeting_refuse_if_signed(meeting: Meeting) -> None:
    """Refuse to change a meeting whose protocol is signed: a correction is a new protocol."""
    if meeting_signed(meeting):
        raise ValidationError(
            _(
                "The protocol of this meeting is signed, so the meeting's record cannot change. "
                "Correct the protocol with a new one."
            )
        )


def _next_number(school: School, year: int) -> int:
    # The school's row is locked so that two drafts at once do not take the same number.
    School.objects.select_for_update().filter(pk=school.pk).exists()
    last = Protocol.objects.filter(school=school, year=year).aggregate(last=Max("number"))["last"]
    return (last or 0) + 1


def _verify_code() -> str:
    while True:
        code = crypto.verification_code_generate()
        if not Protocol.objects.filter(verify_code=code).exists():
            return code


def protocol_draft_follow(meeting: Meeting) -> None:
    """An unsigned draft follows the meeting's record: write it again from the meeting."""
    protocol = protocol_in_force(meeting)
    if protocol is None or meeting_signed(meeting):
        return
    protocol.content = meeting_content(
        meeting,
        year=protocol.year,
        number=protocol.number,
        text=protocol.content.get("text", ""),
        corrects=protocol.corrects,
    )
    protocol.fingerprint = content_fingerprint(protocol.content)
    protocol.save(update_fields=["content", "fingerprint"])


def _protocol_create(
    meeting: Meeting, *, by: User, text: object, corrects: Protocol | None = None
) -> Protocol:
    year = meeting.held_on.year
    number = _next_number(meeting.school, year)
    content = meeting_content(meeting, year=year, number=number, text=text, corrects=corrects)
    return Protocol.objects.create(
        school=meeting.school,
        meeting=meeting,
        year=year,
        number=number,
        content=content,
        fingerprint=content_fingerprint(content),
        verify_code=_verify_code(),
        corrects=corrects,
        drafted_by=by,
    )


@transaction.atomic
def protocol_draft(*, meeting: Meeting, by: User, text: str = "") -> Protocol:
    """Write the meeting's protocol, numbered per school and year; again, until it is signed.

    The discussion is sealed to the registry key at once: it is never stored in clear.
    """
    meeting = meeting_locked(meeting)
    if meeting.status != Meeting.Status.HELD:
        raise ValidationError(_("Record who was present before drafting the protocol."))
    meeting_refuse_if_signed(meeting)
    sealed = record_seal(school=meeting.school, by=by, text=text)
    protocol = protocol_in_force(meeting)
    if protocol is None:
        protocol = _protocol_create(meeting, by=by, text=sealed)
    else:
        protocol.content = meeting_content(
            meeting,
            year=protocol.year,
            number=protocol.number,
            text=sealed,
            corrects=protocol.corrects,
        )
        protocol.fingerprint = content_fingerprint(protocol.content)
        protocol.save(update_fields=["content", "fingerprint"])
    audit_write(
        school=meeting.school,
        actor=by,
        action=MeetingAction.DRAFT,
        target=protocol,
        details={"fingerprint": protocol.fingerprint},
    )
    return protocol


@transaction.atomic
def first_session_record(*, election: Election, by: User) -> Protocol:
    """Keep the first session's open vote (cl. 4.5) as a held meeting and its protocol."""
    commission = election.commission
    meeting = Meeting.objects.create(
        school=commission.school,
        commission=commission,
        kind=Meeting.Kind.FIRST_SESSION,
        status=Meeting.Status.HELD,
        held_on=election.held_on,
        election=election,
        scheduled_by=by,
    )
    voters = set(election.votes.values_list("voter_id", flat=True))
    Attendance.objects.bulk_create(
        Attendance(meeting=meeting, member=member, present=member.pk in voters)
        for member in commission.members.all()
    )
    AgendaItem.objects.create(meeting=meeting, position=1, kind=agenda.ELECTION)
    protocol = _protocol_create(meeting, by=by, text="")
    if election.protocol_number != str(protocol.number):
        # Numbered with the school's other protocols of the year: № 1 unless the school met
        # earlier that year (a commission appointed mid-year).
        election.protocol_number = str(protocol.number)
        election.save(update_fields=["protocol_number"])
    audit_write(
        school=commission.school,
        actor=by,
        action=MeetingAction.FIRST_SESSION,
        target=protocol,
        details={"fingerprint": protocol.fingerprint},
    )
    return protocol


@transaction.atomic
def protocol_correct(*, protocol: Protocol, by: User, text: str, reason: str) -> Protocol:
    """Correct a signed protocol: a new protocol, linked to it, that everyone signs again."""
    protocol = (
        Protocol.objects.select_for_update().select_related("meeting", "school").get(pk=protocol.pk)
    )
    if Protocol.objects.filter(corrects=protocol).exists():
        raise ValidationError(_("This protocol is already corrected: correct the newest one."))
    if not reason.strip():
        raise ValidationError(_("Say what the correction changes."))
    seal = record_sealer(school=protocol.school, by=by)
    if not protocol.signatures.exists():
        if protocol.corrects is None:
            raise ValidationError(_("Nobody has signed this protocol yet: draft it again instead."))
        # A correction nobody has signed yet is written again in place.
        protocol.content = {**protocol.content, "text": seal(text), "correction": seal(reason)}
        protocol.fingerprint = content_fingerprint(protocol.content)
        protocol.save(update_fields=["content", "fingerprint"])
        audit_write(
            school=protocol.school,
            actor=by,
            action=MeetingAction.DRAFT,
            target=protocol,
            details={"fingerprint": protocol.fingerprint},
        )
        return protocol
    year = protocol.year
    number = _next_number(protocol.school, year)
    content = {
        **{key: value for key, value in protocol.content.items() if key != "was"},
        "number": number,
        "text": seal(text),
        "correction": seal(reason),
        "corrects": {
            "year": protocol.year,
            "number": protocol.number,
            "fingerprint": protocol.fingerprint,
        },
    }
    correction = Protocol.objects.create(
        school=protocol.school,
        meeting=protocol.meeting,
        year=year,
        number=number,
        content=content,
        fingerprint=content_fingerprint(content),
        verify_code=_verify_code(),
        corrects=protocol,
        drafted_by=by,
    )
    audit_write(
        school=protocol.school,
        actor=by,
        action=MeetingAction.CORRECT,
        target=correction,
        details={"corrects": protocol.pk, "fingerprint": correction.fingerprint},
    )
    return correction
