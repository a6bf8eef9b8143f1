"""The registry (cl. 3.2, 5.1): registering a taken-out appeal, assigning it, reading it.

The keys are in `registry.keys`; the consideration of an appeal (notes, replies, the
decision, closing) in `registry.consideration`.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from trustbox.accounts.models import User
from trustbox.audit.services import audit_write
from trustbox.box.envelope import Envelope
from trustbox.registry import case_keys, deadlines, notify
from trustbox.registry.actions import AppealAction
from trustbox.registry.integrity import state_of
from trustbox.registry.keys import (
    case_private_through_registry,
    later_through_registry,
    registry_key_current,
    registry_private_of,
)
from trustbox.registry.models import (
    IN_PROGRESS,
    Appeal,
    CaseGrant,
    ContentFormat,
    Entry,
    RegistrationCounter,
    Status,
)
from trustbox.schools.models import Membership, School
from trustbox.seal import crypto
from trustbox.seal.models import MemberKey


def _content_plaintext(
    appeal: Appeal, *, registry_private: bytes | None, case_private: bytes | None
) -> bytes:
    if appeal.destroyed_on is not None:
        raise ValidationError(_("This appeal was destroyed by an act of destruction."))
    sealed = bytes(appeal.sealed_content)
    if appeal.case_private_sealed is None:
        if registry_private is None:
            raise ValidationError(_("This appeal is not registered yet."))
        private = registry_private_of(appeal.registry_key, registry_private)
        if appeal.content_format == ContentFormat.OPENING_SEALER:
            return crypto.open_with_registry_key(private, sealed)
        return crypto.open_with_box_key(private, sealed)
    if case_private is None:
        if registry_private is None:
            raise ValidationError(_("This appeal is not assigned to you."))
        case_private = case_private_through_registry(appeal, registry_private)
    return crypto.open_with_case_key(case_private, sealed)


def appeal_read(
    *,
    appeal: Appeal,
    by: User,
    purpose: str,
    registry_private: bytes | None = None,
    case_private: bytes | None = None,
    later: Mapping[int, bytes] | None = None,
) -> Envelope:
    """Decrypt one appeal for an official; every such read is written in the audit log."""
    envelope = Envelope.from_bytes(
        _content_plaintext(appeal, registry_private=registry_private, case_private=case_private)
    )
    audit_write(
        school=appeal.school,
        actor=by,
        action=AppealAction.READ,
        target=appeal,
        details={"purpose": purpose},
    )
    return envelope


def _next_serial(school: School, year: int) -> int:
    counter, _created = RegistrationCounter.objects.select_for_update().get_or_create(
        school=school, year=year
    )
    counter.last += 1
    counter.save(update_fields=["last"])
    return counter.last


@transaction.atomic
def appeal_register(
    *,
    appeal: Appeal,
    by: User,
    registry_private: bytes,
    kind: str,
    category: str,
    urgent: bool,
) -> Appeal:
    """Give a taken-out appeal its number (2026/014), its answer date and its own case key.

    Kind, category and urgency may be corrected; the corrections are in the audit entry.
    """
    appeal = Appeal.objects.select_for_update().get(pk=appeal.pk)
    if appeal.status != Status.TAKEN_OUT:
        raise ValidationError(_("This appeal is already registered."))
    plaintext = _content_plaintext(appeal, registry_private=registry_private, case_private=None)
    case = crypto.case_keypair_generate()
    today = timezone.localdate()
    corrections = {
        name: [getattr(appeal, name), value]
        for name, value in (("kind", kind), ("category", category), ("urgent", urgent))
        if getattr(appeal, name) != value
    }
    appeal.kind, appeal.category, appeal.urgent = kind, category, urgent
    appeal.sealed_content = crypto.seal_for_case(case.public, plaintext)
    appeal.content_format = ContentFormat.SEALED_BOX
    appeal.case_public_key = case.public
    # The case key is sealed to the registry key in force, whatever key took the appeal in.
    in_force = registry_key_current(appeal.school)
    assert in_force is not None
    appeal.registry_key = in_force
    appeal.case_private_sealed = crypto.seal_for_box(bytes(in_force.public_key), case.private)
    appeal.year = today.year
    appeal.serial = _next_serial(appeal.school, today.year)
    appeal.registered_on = today
    appeal.registered_by = by
    appeal.due_on = deadlines.answer_by(today, urgent=urgent)
    appeal.status = Status.REGISTERED
    appeal.save()
    audit_write(
        school=appeal.school,
        actor=by,
        action=AppealAction.REGISTER,
        target=appeal,
        details={
            "number": appeal.number,
            "due_on": str(appeal.due_on),
            "corrected": corrections,
            **state_of(appeal),
        },
    )
    return appeal


@transaction.atomic
def appeal_assign(
    *,
    appeal: Appeal,
    to: User,
    by: User,
    case_private: bytes,
    later: Mapping[int, bytes] | None = None,
) -> Appeal:
    """Hand the appeal to an official for consideration; share its case keys with them only.

    case_private is the appeal's first case key, later its newer ones (case_later_from_personal).
    """
    appeal = Appeal.objects.select_for_update().get(pk=appeal.pk)
    if appeal.status not in IN_PROGRESS:
        raise ValidationError(_("Only a registered appeal that is not closed can be assigned."))
    if not Membership.objects.filter(school=appeal.school, user=to).exists():
        raise ValidationError(_("This person does not work at this school."))
    member_key = MemberKey.objects.filter(user=to).first()
    if member_key is None:
        raise ValidationError(
            _(
                "%(name)s has no personal key yet: they set it on the page "
                "“Digital seal”, then the appeal can be assigned to them."
            )
            % {"name": to.full_name}
        )
    if appeal.assignee_id and appeal.assignee_id != to.pk:
        CaseGrant.objects.filter(appeal=appeal, holder_id=appeal.assignee_id).delete()
    # The case key is shared even with a member of the commission: whoever is assigned an
    # appeal keeps it (and only it) if they leave the commission.
    CaseGrant.objects.update_or_create(
        appeal=appeal,
        holder=to,
        case_key=None,
        defaults={
            "sealed_case_private": crypto.seal_for_member(
                bytes(member_key.public_key), case_private
            )
        },
    )
    case_keys.later_keys_grant(
        appeal=appeal, to=to, member_public=bytes(member_key.public_key), later=later or {}
    )
    appeal.assignee = to
    if appeal.status == Status.REGISTERED:
        appeal.status = Status.CONSIDERING
    appeal.save(update_fields=["assignee", "status"])
    audit_write(
        school=appeal.school,
        actor=by,
        action=AppealAction.ASSIGN,
        target=appeal,
        details={"to": to.pk, **state_of(appeal)},
    )
    transaction.on_commit(lambda: notify.appeal_assigned_notify(appeal=appeal))
    return appeal


@dataclass(frozen=True)
class AppealFile:
    """An appeal and everything written about it, decrypted for one official's page."""

    envelope: Envelope
    entries: list[tuple[Entry, str]]


def appeal_file_read(
    *,
    appeal: Appeal,
    by: User,
    purpose: str,
    registry_private: bytes | None = None,
    case_private: bytes | None = None,
    later: Mapping[int, bytes] | None = None,
) -> AppealFile:
    """Decrypt the appeal and its file for an official: one audit entry for the reading."""
    if appeal.case_private_sealed is not None and case_private is None:
        if registry_private is None:
            raise ValidationError(_("This appeal is not assigned to you."))
        case_private = case_private_through_registry(appeal, registry_private)
    if registry_private is not None and appeal.case_private_sealed is not None:
        later = later_through_registry(appeal, registry_private)
    envelope = appeal_read(
        appeal=appeal,
        by=by,
        purpose=purpose,
        registry_private=registry_private,
        case_private=case_private,
    )
    if case_private is None:
        return AppealFile(envelope=envelope, entries=[])
    entries = case_keys.entries_open(appeal, first=case_private, later=later or {})
    return AppealFile(envelope=envelope, entries=entries)
