"""Reads about meetings and protocols: who signed, who is missing, and whether it verifies."""

from __future__ import annotations

import datetime
from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any

from trustbox.accounts.access import Role, roles_in
from trustbox.accounts.models import User
from trustbox.meetings.content import (
    content_as_signed_in_clear,
    content_fingerprint,
    content_has_sealed,
    content_message,
)
from trustbox.meetings.models import Meeting, Protocol, Signature
from trustbox.schools.models import School
from trustbox.seal import crypto


def protocol_in_force(meeting: Meeting) -> Protocol | None:
    """The meeting's protocol that stands: the last correction, if it was corrected."""
    return meeting.protocols.in_force().order_by("-id").first()


def meeting_signed(meeting: Meeting) -> bool:
    """Whether any protocol of the meeting has a signature: its record is then fixed."""
    return Signature.objects.filter(protocol__meeting=meeting).exists()


def meeting_present_count(meeting: Meeting) -> int:
    return meeting.attendance.filter(present=True).count()


def protocol_signers(protocol: Protocol) -> list[User]:
    """Everyone who must sign: all members of the commission that held the meeting (cl. 4.3)."""
    return list(
        User.objects.filter(seats__commission_id=protocol.meeting.commission_id).order_by(
            "full_name", "pk"
        )
    )


@dataclass(frozen=True)
class SignatureCheck:
    signature: Signature
    valid: bool  # digital: the signature verifies over today's content; paper: same fingerprint
    # Made over the clear text before the protocol was sealed: checked in full (Ed25519 over
    # that text) only by someone who opens it; without it, only that the sealed content is the
    # one sealed from that text.
    before_sealing: bool = False


@dataclass(frozen=True)
class MissingSigner:
    member: User
    can_sign: bool  # False for a member who has left the commission


@dataclass(frozen=True)
class ProtocolCheck:
    """A protocol's signatures checked against its content as it is stored today."""

    protocol: Protocol
    fingerprint: str  # of the content as stored today
    checks: list[SignatureCheck]
    missing: list[MissingSigner] = field(default_factory=list)
    required: int = 0

    @property
    def unchanged(self) -> bool:
        """Nothing changed since it was signed (and since it was drafted, if none signed yet)."""
        return self.fingerprint == self.protocol.fingerprint and all(c.valid for c in self.checks)

    @property
    def complete(self) -> bool:
        return not self.missing

    @property
    def signed(self) -> int:
        return len(self.checks)

    @property
    def blocked(self) -> bool:
        """Someone who must sign never can: they left the commission."""
        return any(not m.can_sign for m in self.missing)


def _signature_valid(signature: Signature, fingerprint: str, message: bytes) -> bool:
    if signature.fingerprint != fingerprint:
        return False
    if signature.method != Signature.Method.DIGITAL:
        return True
    return crypto.signature_verify(
        bytes(signature.public_key or b""), message, bytes(signature.value or b"")
    )


def _clear_content(protocol: Protocol, opened: Mapping[str, Any] | None) -> Any:
    """The clear content earlier signatures cover, if it can be had: opened, or nothing sealed."""
    if opened is None and not content_has_sealed(protocol.content):
        opened = protocol.content
    return content_as_signed_in_clear(opened) if opened is not None else None


def protocol_check(protocol: Protocol, opened: Mapping[str, Any] | None = None) -> ProtocolCheck:
    """Check every signature against the content as stored now; list who has not signed.

    Nothing is opened: signatures cover the sealed text. A signature made before the text was
    sealed covers the clear text: it is checked in full against `opened` (the content opened
    by a member, sealing.RecordOpener.content), else only against the fingerprints kept.
    """
    message = content_message(protocol.content)
    fingerprint = content_fingerprint(protocol.content)
    clear = _clear_content(protocol, opened) if protocol.legacy_fingerprint else None
    checks = []
    for signature in protocol.signatures.select_related("member"):
        if not protocol.legacy_fingerprint or signature.fingerprint != protocol.legacy_fingerprint:
            valid = _signature_valid(signature, fingerprint, message)
            checks.append(SignatureCheck(signature=signature, valid=valid))
            continue
        if clear is not None:
            valid = content_fingerprint(clear) == protocol.legacy_fingerprint and (
                _signature_valid(signature, protocol.legacy_fingerprint, content_message(clear))
            )
        else:
            valid = fingerprint == protocol.fingerprint
        checks.append(
            SignatureCheck(signature=signature, valid=valid, before_sealing=clear is None)
        )
    signed = {check.signature.member_id for check in checks}
    signers = protocol_signers(protocol)
    missing = [
        MissingSigner(member=member, can_sign=Role.MEMBER in roles_in(member, protocol.school))
        for member in signers
        if member.pk not in signed
    ]
    return ProtocolCheck(
        protocol=protocol,
        fingerprint=fingerprint,
        checks=checks,
        missing=missing,
        required=len(signers),
    )


def protocol_by_code(code: str) -> Protocol | None:
    normal = crypto.verification_code_normalise(code)
    if normal is None:
        return None
    return Protocol.objects.select_related("school").filter(verify_code=normal).first()


def meetings_upcoming(school: School, today: datetime.date) -> list[Meeting]:
    return list(
        Meeting.objects.for_school(school)
        .upcoming()
        .filter(held_on__gte=today)
        .order_by("held_on", "starts_at")
    )


def protocols_awaiting(school: School) -> list[ProtocolCheck]:
    """Protocols in force that not every member has signed yet, oldest first."""
    return [
        protocol_check(protocol)
        for protocol in Protocol.objects.for_school(school)
        .in_force()
        .filter(completed_at__isnull=True)
        .select_related("school", "meeting")
        .order_by("year", "number")
    ]


def meetings_held_between(
    school: School, start: datetime.date, end: datetime.date
) -> list[Meeting]:
    """Meetings the school held in a period, whatever commission held them."""
    return list(
        Meeting.objects.for_school(school)
        .held()
        .filter(held_on__gte=start, held_on__lte=end)
        .order_by("held_on", "id")
    )
