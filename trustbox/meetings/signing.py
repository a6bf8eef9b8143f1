"""Signing protocols: a member's own key (Ed25519) or the scan of the signed sheet, audited.

A member signs with her own Ed25519 key from the keyring in seal (seal.keyring), the one she
signs the quarterly reports with too.
"""

from __future__ import annotations

import hashlib

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from trustbox.accounts.access import Role, roles_in
from trustbox.accounts.models import User
from trustbox.audit.services import audit_write
from trustbox.box.attachments import AttachmentError, clean_attachment
from trustbox.meetings import rules
from trustbox.meetings.actions import MeetingAction
from trustbox.meetings.content import content_fingerprint, content_message
from trustbox.meetings.models import Protocol, ProtocolScan, Signature
from trustbox.meetings.selectors import protocol_signers
from trustbox.seal import crypto
from trustbox.seal.keyring import signing_key_unlock


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
