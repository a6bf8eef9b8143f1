"""The registry (cl. 3.2, 5.1): appeals at rest after an opening, their registration and file."""

from __future__ import annotations

from dataclasses import dataclass, field

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from trustbox.accounts.models import User
from trustbox.audit.services import audit_write
from trustbox.box.envelope import Envelope
from trustbox.registry import deadlines, notify
from trustbox.registry.actions import AppealAction
from trustbox.registry.models import (
    IN_PROGRESS,
    Appeal,
    CaseGrant,
    Entry,
    Outcome,
    RegistrationCounter,
    RegistryKey,
    RegistryKeyWrap,
    Status,
)
from trustbox.schools.models import Membership, School
from trustbox.seal import crypto
from trustbox.seal.models import BoxKey, MemberKey
from trustbox.seal.services import member_key_unlock


def registry_key_current(school: School) -> RegistryKey | None:
    return RegistryKey.objects.filter(school=school).order_by("-id").first()


def registry_key_prepare(
    *, school: School, box_key: BoxKey, box_private: bytes, holders: list[User]
) -> tuple[RegistryKey, bytes]:
    """With the box open, get the registry key (made at the first opening); wrap it for holders.

    Return the key and its private half, for this opening's memory only.
    """
    registry_key = registry_key_current(school)
    if registry_key is None:
        pair = crypto.box_keypair_generate()
        registry_key = RegistryKey.objects.create(
            school=school,
            public_key=pair.public,
            box_key=box_key,
            sealed_for_box=crypto.seal_for_box(bytes(box_key.public_key), pair.private),
        )
        private = pair.private
    else:
        private = crypto.open_with_box_key(box_private, bytes(registry_key.sealed_for_box))
    if registry_key.box_key_id != box_key.pk:
        registry_key.box_key = box_key
        registry_key.sealed_for_box = crypto.seal_for_box(bytes(box_key.public_key), private)
        registry_key.save(update_fields=["box_key", "sealed_for_box"])
    wrapped = set(
        RegistryKeyWrap.objects.filter(registry_key=registry_key).values_list(
            "holder_id", flat=True
        )
    )
    for member_key in MemberKey.objects.filter(user__in=holders).exclude(user_id__in=wrapped):
        RegistryKeyWrap.objects.create(
            registry_key=registry_key,
            holder_id=member_key.user_id,
            sealed_private_key=crypto.seal_for_member(bytes(member_key.public_key), private),
        )
    return registry_key, private


def registry_unlock(*, school: School, user: User, password: str) -> bytes:
    """The registry private key, opened with the official's password, in memory only."""
    if not registry_holds(school=school, user=user):
        raise ValidationError(_("You have no access to the registry of this school."))
    return registry_private_from_personal(
        school=school, user=user, personal=personal_key_unlock(user=user, password=password)
    )


def personal_key_unlock(*, user: User, password: str) -> bytes:
    """The official's personal private key, opened with their password, in memory only."""
    try:
        return member_key_unlock(user=user, password=password)
    except (crypto.SealError, MemberKey.DoesNotExist) as error:
        raise ValidationError(_("This is not your password.")) from error


def _wrap(registry_key: RegistryKey | None, user: User) -> RegistryKeyWrap | None:
    return RegistryKeyWrap.objects.filter(registry_key=registry_key, holder=user).first()


def registry_holds(*, school: School, user: User) -> bool:
    """Whether the person holds the school's registry key (the commission does)."""
    return RegistryKeyWrap.objects.filter(
        registry_key=registry_key_current(school), holder=user
    ).exists()


def registry_private_from_personal(*, school: School, user: User, personal: bytes) -> bytes:
    """Open the registry key with the official's unlocked personal key."""
    wrap = _wrap(registry_key_current(school), user)
    if wrap is None:
        raise ValidationError(_("You have no access to the registry of this school."))
    return crypto.open_with_member_key(personal, bytes(wrap.sealed_private_key))


def _case_private_through_registry(appeal: Appeal, registry_private: bytes) -> bytes:
    if appeal.case_private_sealed is None:
        raise ValidationError(_("This appeal is not registered yet."))
    return crypto.open_with_box_key(registry_private, bytes(appeal.case_private_sealed))


def case_private_from_personal(*, appeal: Appeal, user: User, personal: bytes) -> bytes:
    """Open one appeal's case key: through the registry key, or through a grant to this person."""
    keys = appeal_keys(appeal=appeal, user=user, personal=personal)
    if keys.registry_private is not None:
        return _case_private_through_registry(appeal, keys.registry_private)
    assert keys.case_private is not None
    return keys.case_private


@dataclass(frozen=True)
class AppealKeys:
    """What opens one appeal for one official: the registry key, or that appeal's case key."""

    registry_private: bytes | None = field(default=None, repr=False)
    case_private: bytes | None = field(default=None, repr=False)


def appeal_keys(*, appeal: Appeal, user: User, personal: bytes) -> AppealKeys:
    """Open the key that reads this appeal, with the official's unlocked personal key.

    A holder of the registry key reads every appeal; anyone else only an appeal whose case
    key was shared with them. Raises ValidationError or crypto.SealError otherwise.
    """
    wrap = _wrap(appeal.registry_key, user)
    if wrap is not None:
        return AppealKeys(
            registry_private=crypto.open_with_member_key(personal, bytes(wrap.sealed_private_key))
        )
    if appeal.case_private_sealed is None:
        raise ValidationError(_("This appeal is not registered yet."))
    grant = CaseGrant.objects.filter(appeal=appeal, holder=user).first()
    if grant is None:
        raise ValidationError(_("This appeal is not assigned to you."))
    return AppealKeys(
        case_private=crypto.open_with_member_key(personal, bytes(grant.sealed_case_private))
    )


def _content_plaintext(
    appeal: Appeal, *, registry_private: bytes | None, case_private: bytes | None
) -> bytes:
    sealed = bytes(appeal.sealed_content)
    if appeal.case_private_sealed is None:
        if registry_private is None:
            raise ValidationError(_("This appeal is not registered yet."))
        return crypto.open_with_box_key(registry_private, sealed)
    if case_private is None:
        if registry_private is None:
            raise ValidationError(_("This appeal is not assigned to you."))
        case_private = _case_private_through_registry(appeal, registry_private)
    return crypto.open_with_case_key(case_private, sealed)


def appeal_read(
    *,
    appeal: Appeal,
    by: User,
    purpose: str,
    registry_private: bytes | None = None,
    case_private: bytes | None = None,
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
    appeal.case_public_key = case.public
    appeal.case_private_sealed = crypto.seal_for_box(
        bytes(appeal.registry_key.public_key), case.private
    )
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
        details={"number": appeal.number, "due_on": str(appeal.due_on), "corrected": corrections},
    )
    return appeal


@transaction.atomic
def appeal_assign(*, appeal: Appeal, to: User, by: User, case_private: bytes) -> Appeal:
    """Hand the appeal to an official for consideration; share its case key with them only."""
    appeal = Appeal.objects.select_for_update().get(pk=appeal.pk)
    if appeal.status not in IN_PROGRESS:
        raise ValidationError(_("Only a registered appeal that is not closed can be assigned."))
    if not Membership.objects.filter(school=appeal.school, user=to).exists():
        raise ValidationError(_("This person does not work at this school."))
    if appeal.assignee_id and appeal.assignee_id != to.pk:
        CaseGrant.objects.filter(appeal=appeal, holder_id=appeal.assignee_id).delete()
    holds_registry = RegistryKeyWrap.objects.filter(
        registry_key=appeal.registry_key, holder=to
    ).exists()
    if not holds_registry:
        member_key = MemberKey.objects.filter(user=to).first()
        if member_key is None:
            raise ValidationError(
                _(
                    "%(name)s has no personal key yet: they set it on the page "
                    "“Digital seal”, then the appeal can be assigned to them."
                )
                % {"name": to.full_name}
            )
        CaseGrant.objects.update_or_create(
            appeal=appeal,
            holder=to,
            defaults={
                "sealed_case_private": crypto.seal_for_member(
                    bytes(member_key.public_key), case_private
                )
            },
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
        details={"to": to.pk},
    )
    transaction.on_commit(lambda: notify.appeal_assigned_notify(appeal=appeal))
    return appeal


def entry_add(
    *,
    appeal: Appeal,
    kind: str,
    text: str,
    author: User | None,
    channel: str = "",
    for_writer: bool = False,
) -> Entry:
    """Seal a line of the appeal's file to its case key (and to the writer's key if for them)."""
    if appeal.case_public_key is None:
        raise ValidationError(_("This appeal is not registered yet."))
    text = text.strip()
    if not text:
        raise ValidationError(_("Write the text first."))
    plaintext = text.encode()
    writer_public = appeal.writer_public_key
    return Entry.objects.create(
        appeal=appeal,
        kind=kind,
        channel=channel,
        author=author,
        created_on=timezone.localdate(),
        sealed_for_case=crypto.seal_for_case(bytes(appeal.case_public_key), plaintext),
        sealed_for_writer=crypto.seal_for_writer(bytes(writer_public), plaintext)
        if for_writer and writer_public is not None
        else None,
    )


def _open_appeal(appeal: Appeal) -> Appeal:
    appeal = Appeal.objects.select_for_update().get(pk=appeal.pk)
    if appeal.status not in IN_PROGRESS:
        raise ValidationError(_("This appeal is not under consideration."))
    return appeal


@transaction.atomic
def appeal_note_add(*, appeal: Appeal, by: User, text: str) -> Entry:
    """Add an internal note to the appeal's file; the writer never sees it."""
    appeal = _open_appeal(appeal)
    entry = entry_add(appeal=appeal, kind=Entry.Kind.NOTE, text=text, author=by)
    audit_write(school=appeal.school, actor=by, action=AppealAction.NOTE, target=appeal)
    return entry


@transaction.atomic
def appeal_reply(*, appeal: Appeal, by: User, text: str, channel: str) -> Entry:
    """Answer the writer: through the receipt code, on paper, or by the contact they gave."""
    appeal = _open_appeal(appeal)
    if channel == Entry.Channel.RECEIPT and appeal.writer_public_key is None:
        raise ValidationError(
            _("This writer has no receipt code: answer on paper or by their contact.")
        )
    entry = entry_add(
        appeal=appeal,
        kind=Entry.Kind.REPLY,
        text=text,
        author=by,
        channel=channel,
        for_writer=channel == Entry.Channel.RECEIPT,
    )
    appeal.status = Status.ANSWERED
    appeal.answered_on = timezone.localdate()
    appeal.save(update_fields=["status", "answered_on"])
    audit_write(
        school=appeal.school,
        actor=by,
        action=AppealAction.REPLY,
        target=appeal,
        details={"channel": channel},
    )
    return entry


@transaction.atomic
def appeal_decide(*, appeal: Appeal, by: User, outcome: str, text: str = "") -> Appeal:
    """Record the commission's decision on the appeal, with its reasons if written."""
    appeal = _open_appeal(appeal)
    if outcome not in Outcome.values:
        raise ValidationError(_("Choose an outcome."))
    if text.strip():
        entry_add(appeal=appeal, kind=Entry.Kind.DECISION, text=text, author=by)
    appeal.outcome = outcome
    appeal.save(update_fields=["outcome"])
    audit_write(
        school=appeal.school,
        actor=by,
        action=AppealAction.DECIDE,
        target=appeal,
        details={"outcome": outcome},
    )
    return appeal


@transaction.atomic
def appeal_close(*, appeal: Appeal, by: User) -> Appeal:
    """Close the appeal's file once it has a decision."""
    appeal = _open_appeal(appeal)
    if not appeal.outcome:
        raise ValidationError(_("Record the decision before closing the appeal."))
    appeal.status = Status.CLOSED
    appeal.closed_on = timezone.localdate()
    appeal.save(update_fields=["status", "closed_on"])
    audit_write(school=appeal.school, actor=by, action=AppealAction.CLOSE, target=appeal)
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
) -> AppealFile:
    """Decrypt the appeal and its file for an official: one audit entry for the reading."""
    if appeal.case_private_sealed is not None and case_private is None:
        if registry_private is None:
            raise ValidationError(_("This appeal is not assigned to you."))
        case_private = _case_private_through_registry(appeal, registry_private)
    envelope = appeal_read(
        appeal=appeal,
        by=by,
        purpose=purpose,
        registry_private=registry_private,
        case_private=case_private,
    )
    if case_private is None:
        return AppealFile(envelope=envelope, entries=[])
    entries = [
        (entry, crypto.open_with_case_key(case_private, bytes(entry.sealed_for_case)).decode())
        for entry in appeal.entries.select_related("author")
    ]
    return AppealFile(envelope=envelope, entries=entries)
