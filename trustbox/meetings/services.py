"""Changes of state of meetings and protocols, each with its audit row."""

from __future__ import annotations

import datetime
import hashlib
from collections.abc import Collection, Sequence
from dataclasses import dataclass

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Max
from django.utils import timezone
from django.utils.translation import gettext as _

from trustbox.accounts.access import Role, roles_in
from trustbox.accounts.models import User
from trustbox.audit.services import audit_write
from trustbox.box.attachments import AttachmentError, clean_attachment
from trustbox.commission.models import Commission, Election
from trustbox.commission.rules import has_majority, quorum_missing
from trustbox.meetings import agenda, notify, rules
from trustbox.meetings.actions import MeetingAction
from trustbox.meetings.content import content_fingerprint, content_message, meeting_content
from trustbox.meetings.models import (
    AgendaItem,
    Attendance,
    Decision,
    Meeting,
    Protocol,
    ProtocolScan,
    Signature,
    SigningKey,
)
from trustbox.meetings.sealing import record_seal, record_sealer
from trustbox.meetings.selectors import (
    meeting_present_count,
    meeting_signed,
    protocol_in_force,
    protocol_signers,
)
from trustbox.schools.models import School
from trustbox.seal import crypto


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


def _locked(meeting: Meeting) -> Meeting:
    return (
        Meeting.objects.select_for_update()
        .select_related("school", "commission")
        .get(pk=meeting.pk)
    )


def _refuse_if_signed(meeting: Meeting) -> None:
    if meeting_signed(meeting):
        raise ValidationError(
            _(
                "The protocol of this meeting is signed, so the meeting's record cannot change. "
                "Correct the protocol with a new one."
            )
        )


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
    meeting = _locked(meeting)
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
    meeting = _locked(meeting)
    if meeting.status == Meeting.Status.CANCELLED:
        raise ValidationError(_("This meeting is cancelled."))
    _refuse_if_signed(meeting)
    position = (meeting.agenda.aggregate(last=Max("position"))["last"] or 0) + 1
    item = _agenda_item_add(meeting, entry, position, by=by)
    audit_write(
        school=meeting.school,
        actor=by,
        action=MeetingAction.AGENDA_ADD,
        target=meeting,
        details={"agenda_kind": item.kind, "position": position},
    )
    _draft_follow(meeting)
    return item


@transaction.atomic
def meeting_attendance_record(*, meeting: Meeting, by: User, present: Collection[User]) -> Meeting:
    """Record which members of the commission came; the meeting is then held."""
    meeting = _locked(meeting)
    if meeting.status == Meeting.Status.CANCELLED:
        raise ValidationError(_("This meeting is cancelled."))
    if meeting.held_on > timezone.localdate():
        raise ValidationError(_("Attendance is recorded on the day of the meeting or later."))
    _refuse_if_signed(meeting)
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
    _draft_follow(meeting)
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
    meeting = _locked(meeting)
    if meeting.status != Meeting.Status.HELD:
        raise ValidationError(_("Record who was present before the decisions."))
    _refuse_if_signed(meeting)
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
    _draft_follow(meeting)
    return decision


# --- protocols -----------------------------------------------------------------------------


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


def _draft_follow(meeting: Meeting) -> None:
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
    meeting = _locked(meeting)
    if meeting.status != Meeting.Status.HELD:
        raise ValidationError(_("Record who was present before drafting the protocol."))
    _refuse_if_signed(meeting)
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


def signing_problem(protocol: Protocol, member: User) -> str | None:
    """Why the member cannot sign the protocol now, or None if they can."""
    corrected = Protocol.objects.filter(corrects=protocol).first()
    if corrected is not None:
        return _("This protocol was corrected by protocol № %(number)s: sign that one.") % {
            "number": corrected.number
        }
    if member not in protocol_signers(protocol):
        return _("Only the members of the commission that held the meeting sign its protocol.")
    if Role.MEMBER not in roles_in(member, protocol.school):
        return _("%(name)s has left the commission and can no longer sign.") % {
            "name": member.full_name
        }
    if protocol.signatures.filter(member=member).exists():
        return _("%(name)s has already signed this protocol.") % {"name": member.full_name}
    if content_fingerprint(protocol.content) != protocol.fingerprint:
        return _("The protocol's content does not match its fingerprint: it cannot be signed.")
    return None


def signing_key_unlock(*, user: User, password: str, school: School) -> tuple[bytes, bytes]:
    """The member's signing key (private, public), made the first time they sign.

    One key per member for everything they sign: protocols here, reports in the app above.
    Call inside a transaction: the key's row is locked.
    """
    if not user.check_password(password):
        raise ValidationError(_("This is not your password."))
    key = SigningKey.objects.select_for_update().filter(user=user, retired_at__isnull=True).first()
    if key is not None:
        try:
            private = crypto.unlock_with_password(bytes(key.locked_private_key), password)
        except crypto.SealError:
            # Locked under an earlier password that was reset: its signatures stay valid (each
            # keeps its public key), and the member gets a new key under today's password.
            key.retired_at = timezone.now()
            key.locked_private_key = b""
            key.save(update_fields=["retired_at", "locked_private_key"])
        else:
            return private, bytes(key.public_key)
    pair = crypto.signing_keypair_generate()
    SigningKey.objects.create(
        user=user,
        public_key=pair.public,
        locked_private_key=crypto.lock_with_password(pair.private, password),
    )
    audit_write(
        school=school,
        actor=user,
        action=MeetingAction.SIGNING_KEY_SET,
        target=user,
        details={"key": crypto.key_fingerprint(pair.public)},
    )
    return pair.private, pair.public


def _complete_if_signed_by_all(protocol: Protocol) -> None:
    signed = set(protocol.signatures.values_list("member_id", flat=True))
    if {member.pk for member in protocol_signers(protocol)} <= signed:
        protocol.completed_at = timezone.now()
        protocol.save(update_fields=["completed_at"])


@transaction.atomic
def protocol_sign(*, protocol: Protocol, member: User, password: str) -> Signature:
    """Sign the protocol's canonical content with the member's own key (Ed25519)."""
    protocol = (
        Protocol.objects.select_for_update().select_related("school", "meeting").get(pk=protocol.pk)
    )
    problem = signing_problem(protocol, member)
    if problem:
        raise ValidationError(problem)
    private, public = signing_key_unlock(user=member, password=password, school=protocol.school)
    signature = Signature.objects.create(
        protocol=protocol,
        member=member,
        method=Signature.Method.DIGITAL,
        fingerprint=protocol.fingerprint,
        public_key=public,
        value=crypto.sign_with_signing_key(private, content_message(protocol.content)),
    )
    _complete_if_signed_by_all(protocol)
    audit_write(
        school=protocol.school,
        actor=member,
        action=MeetingAction.SIGN,
        target=protocol,
        details={"fingerprint": protocol.fingerprint, "key": crypto.key_fingerprint(public)},
    )
    return signature


@transaction.atomic
def protocol_scan_attach(
    *, protocol: Protocol, member: User, by: User, name: str, data: bytes
) -> Signature:
    """Count a member's signature on the printed protocol, with the scan of the signed sheet."""
    protocol = (
        Protocol.objects.select_for_update().select_related("school", "meeting").get(pk=protocol.pk)
    )
    if by != member and not rules.may_attach_scan_for_others(roles_in(by, protocol.school)):
        raise ValidationError(
            _("Only the secretary or the chair attaches a sheet signed by another.")
        )
    problem = signing_problem(protocol, member)
    if problem:
        raise ValidationError(problem)
    try:
        attachment = clean_attachment(name, data)
    except AttachmentError as error:
        raise ValidationError(str(error)) from error
    digest = hashlib.sha256(attachment.data).hexdigest()
    scan = ProtocolScan.objects.create(
        protocol=protocol,
        name=attachment.name,
        content_type=attachment.content_type,
        data=attachment.data,
        sha256=digest,
        attached_by=by,
    )
    signature = Signature.objects.create(
        protocol=protocol,
        member=member,
        method=Signature.Method.PAPER,
        fingerprint=protocol.fingerprint,
        scan=scan,
    )
    _complete_if_signed_by_all(protocol)
    audit_write(
        school=protocol.school,
        actor=by,
        action=MeetingAction.SCAN,
        target=protocol,
        details={"fingerprint": protocol.fingerprint, "member": member.pk, "sha256": digest},
    )
    return signature


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


# --- the signing key follows the password --------------------------------------------------


def signing_key_relock(*, user: User, old_password: str, new_password: str) -> bool:
    """Re-lock the signing key under a new password; False if the old one did not open it."""
    key = SigningKey.objects.select_for_update().filter(user=user, retired_at__isnull=True).first()
    if key is None:
        return True
    try:
        private = crypto.unlock_with_password(bytes(key.locked_private_key), old_password)
    except crypto.SealError:
        return False
    key.locked_private_key = crypto.lock_with_password(private, new_password)
    key.save(update_fields=["locked_private_key"])
    return True
