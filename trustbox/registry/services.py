"""The registry (cl. 3.2, 5.1): appeals at rest after an opening, their registration and file."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import F
from django.utils import timezone
from django.utils.translation import gettext as _

from trustbox.accounts.models import User
from trustbox.audit.services import audit_write
from trustbox.box.envelope import Envelope
from trustbox.commission.models import Commission
from trustbox.commission.selectors import member_in_force
from trustbox.registry import case_keys, deadlines, notify
from trustbox.registry.actions import AppealAction, RegistryAction
from trustbox.registry.integrity import state_of
from trustbox.registry.models import (
    IN_PROGRESS,
    Appeal,
    CaseGrant,
    ContentFormat,
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


def _registry_key_make(
    *,
    school: School,
    box_key: BoxKey,
    commission: Commission,
    previous: RegistryKey | None = None,
    previous_private: bytes | None = None,
) -> tuple[RegistryKey, bytes]:
    pair = crypto.box_keypair_generate()
    registry_key = RegistryKey.objects.create(
        school=school,
        public_key=pair.public,
        box_key=box_key,
        sealed_for_box=crypto.seal_for_box(bytes(box_key.public_key), pair.private),
        commission=commission,
        previous=previous,
        previous_private_sealed=crypto.seal_for_box(pair.public, previous_private)
        if previous_private is not None
        else None,
    )
    return registry_key, pair.private


def registry_key_prepare(
    *, school: School, box_key: BoxKey, box_private: bytes, commission: Commission, by: User
) -> tuple[RegistryKey, bytes]:
    """With the box open, get the registry key of the commission in force; wrap it for members.

    The key is made at the first opening. When the commission in force changed since, it is
    replaced by a new key (the old one sealed to it), so that appeals taken out from now on
    are sealed to a key the members who left never held. Return the key and its private
    half, for this call's memory only.
    """
    registry_key = registry_key_current(school)
    if registry_key is None:
        registry_key, private = _registry_key_make(
            school=school, box_key=box_key, commission=commission
        )
    else:
        private = crypto.open_with_box_key(box_private, bytes(registry_key.sealed_for_box))
        if registry_key.commission_id != commission.pk:
            registry_key, private = _registry_key_rotate(
                old=registry_key,
                old_private=private,
                box_key=box_key,
                commission=commission,
                by=by,
            )
    if registry_key.box_key_id != box_key.pk:
        registry_key.box_key = box_key
        registry_key.sealed_for_box = crypto.seal_for_box(bytes(box_key.public_key), private)
        registry_key.save(update_fields=["box_key", "sealed_for_box"])
    wrapped = set(
        RegistryKeyWrap.objects.filter(registry_key=registry_key).values_list(
            "holder_id", flat=True
        )
    )
    for member_key in MemberKey.objects.filter(user__in=commission.members.all()).exclude(
        user_id__in=wrapped
    ):
        RegistryKeyWrap.objects.create(
            registry_key=registry_key,
            holder_id=member_key.user_id,
            sealed_private_key=crypto.seal_for_member(bytes(member_key.public_key), private),
        )
    return registry_key, private


def _registry_key_rotate(
    *, old: RegistryKey, old_private: bytes, box_key: BoxKey, commission: Commission, by: User
) -> tuple[RegistryKey, bytes]:
    """Replace the registry key for a new commission: the old key opens only through the new."""
    school = old.school
    registry_key, private = _registry_key_make(
        school=school,
        box_key=box_key,
        commission=commission,
        previous=old,
        previous_private=old_private,
    )
    RegistryKeyWrap.objects.filter(registry_key__school=school).exclude(
        registry_key=registry_key
    ).delete()
    RegistryKey.objects.filter(pk=old.pk).update(sealed_for_box=b"")
    granted = _grants_for_assignees(school=school, registry_private=private)
    audit_write(
        school=school,
        actor=by,
        action=RegistryAction.KEY_ROTATE,
        target=commission,
        details={"grants": granted},
    )
    return registry_key, private


def _grants_for_assignees(*, school: School, registry_private: bytes) -> int:
    """Give each official with an appeal in progress its case key, if they lack it.

    An official keeps the appeals still assigned to them when the registry key changes (a
    member who left the commission, say), and nothing else.
    """
    count = 0
    appeals = (
        Appeal.objects.for_school(school)
        .filter(status__in=IN_PROGRESS, assignee__isnull=False, case_private_sealed__isnull=False)
        .exclude(grants__holder_id=F("assignee_id"))
        .select_related("registry_key", "assignee")
    )
    for appeal in appeals:
        member_key = MemberKey.objects.filter(user=appeal.assignee).first()
        if appeal.assignee is None or member_key is None:
            continue
        CaseGrant.objects.create(
            appeal=appeal,
            holder=appeal.assignee,
            sealed_case_private=crypto.seal_for_member(
                bytes(member_key.public_key),
                _case_private_through_registry(appeal, registry_private),
            ),
        )
        count += 1
    return count


def registry_access_end(*, school: School, keep: list[User], by: User | None) -> int:
    """Remove the registry key's wraps of everyone not in `keep` (the commission now in force).

    Needs no key: a removed wrap simply no longer exists. Return how many people lost it.
    """
    wraps = RegistryKeyWrap.objects.filter(registry_key__school=school).exclude(holder__in=keep)
    people = sorted(set(wraps.values_list("holder_id", flat=True)))
    if people:
        wraps.delete()
        audit_write(
            school=school,
            actor=by,
            action=RegistryAction.ACCESS_END,
            details={"people": people},
        )
    return len(people)


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


def _wrap(school: School, user: User) -> RegistryKeyWrap | None:
    """The person's wrap of the registry key in force, if they sit on the commission in force."""
    if not member_in_force(school=school, user=user):
        return None
    return RegistryKeyWrap.objects.filter(
        registry_key=registry_key_current(school), holder=user
    ).first()


def registry_holds(*, school: School, user: User) -> bool:
    """Whether the person reads the whole registry: a member in force who holds its key.

    Checked on every page and every unlock: a member dropped by a new order loses it at once.
    """
    return _wrap(school, user) is not None


def registry_access(*, school: School, user: User) -> bool:
    """Whether anything of the registry opens to the person: all of it, or an appeal assigned."""
    return (
        registry_holds(school=school, user=user)
        or CaseGrant.objects.filter(
            appeal__school=school, appeal__assignee=user, holder=user
        ).exists()
    )


def registry_private_from_personal(*, school: School, user: User, personal: bytes) -> bytes:
    """Open the registry key in force with the official's unlocked personal key."""
    wrap = _wrap(school, user)
    if wrap is None:
        raise ValidationError(_("You have no access to the registry of this school."))
    return crypto.open_with_member_key(personal, bytes(wrap.sealed_private_key))


def registry_private_of(registry_key: RegistryKey, private: bytes) -> bytes:
    """The private half of a registry key, from its own or from that of a key that replaced it.

    Appeals keep the key they were sealed to; the key in force opens each earlier key in turn.
    """
    public = crypto.box_public_from_private(private)
    replaced: list[RegistryKey] = []
    key = registry_key
    while bytes(key.public_key) != public:
        replaced.append(key)
        newer = RegistryKey.objects.filter(previous=key).first()
        if newer is None:
            raise crypto.SealError("this registry key does not open that one")
        key = newer
    while replaced:
        assert key.previous_private_sealed is not None
        private = crypto.open_with_box_key(private, bytes(key.previous_private_sealed))
        key = replaced.pop()
    return private


def _case_private_through_registry(appeal: Appeal, registry_private: bytes) -> bytes:
    if appeal.case_private_sealed is None:
        raise ValidationError(_("This appeal is not registered yet."))
    return crypto.open_with_box_key(
        registry_private_of(appeal.registry_key, registry_private),
        bytes(appeal.case_private_sealed),
    )


def case_private_from_personal(*, appeal: Appeal, user: User, personal: bytes) -> bytes:
    """Open one appeal's case key: through the registry key, or through a grant to this person."""
    keys = appeal_keys(appeal=appeal, user=user, personal=personal)
    if keys.registry_private is not None:
        return _case_private_through_registry(appeal, keys.registry_private)
    assert keys.case_private is not None
    return keys.case_private


def _later_through_registry(appeal: Appeal, registry_private: bytes) -> dict[int, bytes]:
    return case_keys.later_keys_through_registry(
        appeal, lambda key: registry_private_of(key, registry_private)
    )


def case_later_from_personal(*, appeal: Appeal, user: User, personal: bytes) -> dict[int, bytes]:
    """Open the appeal's newer case keys (made after rotations) that this person may open."""
    keys = appeal_keys(appeal=appeal, user=user, personal=personal)
    if keys.registry_private is not None:
        return _later_through_registry(appeal, keys.registry_private)
    return dict(keys.later)


@dataclass(frozen=True)
class AppealKeys:
    """What opens one appeal for one official: the registry key, or that appeal's case key."""

    registry_private: bytes | None = field(default=None, repr=False)
    case_private: bytes | None = field(default=None, repr=False)
    # The appeal's newer case keys shared with an official outside the commission.
    later: Mapping[int, bytes] = field(default_factory=dict, repr=False)


def appeal_keys(*, appeal: Appeal, user: User, personal: bytes) -> AppealKeys:
    """Open the key that reads this appeal, with the official's unlocked personal key.

    A holder of the registry key reads every appeal; anyone else only an appeal whose case
    key was shared with them. Raises ValidationError or crypto.SealError otherwise.
    """
    wrap = _wrap(appeal.school, user)
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
        case_private=crypto.open_with_member_key(personal, bytes(grant.sealed_case_private)),
        later=case_keys.later_keys_granted(appeal=appeal, user=user, personal=personal),
    )


def _content_plaintext(
    appeal: Appeal, *, registry_private: bytes | None, case_private: bytes | None
) -> bytes:
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
        case_private = _case_private_through_registry(appeal, registry_private)
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
    case_key, case_public = case_keys.case_key_for_writing(appeal)
    return Entry.objects.create(
        appeal=appeal,
        kind=kind,
        channel=channel,
        author=author,
        created_on=timezone.localdate(),
        case_key=case_key,
        notified=kind != Entry.Kind.WRITER,
        sealed_for_case=crypto.seal_for_case(case_public, plaintext),
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
        details={"channel": channel, **state_of(appeal)},
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
        details={"outcome": outcome, **state_of(appeal)},
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
    audit_write(
        school=appeal.school,
        actor=by,
        action=AppealAction.CLOSE,
        target=appeal,
        details=state_of(appeal),
    )
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
        case_private = _case_private_through_registry(appeal, registry_private)
    if registry_private is not None and appeal.case_private_sealed is not None:
        later = _later_through_registry(appeal, registry_private)
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
