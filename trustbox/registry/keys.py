"""The registry's keys (cl. 5.1): the registry key, its rotation and wraps, case keys.

The registry key is made at the first opening and replaced for a new commission; each member
in force holds it wrapped to their personal key. What opens one appeal for one official
(`appeal_keys`) is decided here; an appeal's newer case keys are in `registry.case_keys`.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field

from django.core.exceptions import ValidationError
from django.db.models import F
from django.utils.translation import gettext as _

from trustbox.accounts.models import User
from trustbox.audit.services import audit_write
from trustbox.commission.models import Commission
from trustbox.commission.selectors import member_in_force
from trustbox.registry import case_keys
from trustbox.registry.actions import RegistryAction
from trustbox.registry.models import IN_PROGRESS, Appeal, CaseGrant, RegistryKey, RegistryKeyWrap
from trustbox.schools.models import School
from trustbox.seal import crypto
from trustbox.seal.models import BoxKey, MemberKey
from trustbox.seal.services import member_key_unlock


def registry_key_current(school: School) -> RegistryKey | None:
    return RegistryKey.objects.filter(school=school).order_by("-id").first()


def registry_key_make(
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
        registry_key, private = registry_key_make(
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
    registry_key_wrap_for_members(registry_key=registry_key, private=private, commission=commission)
    return registry_key, private


def registry_key_wrap_for_members(
    *, registry_key: RegistryKey, private: bytes, commission: Commission
) -> int:
    """Wrap the key for each member of the commission who has a personal key and no wrap yet."""
    wrapped = RegistryKeyWrap.objects.filter(registry_key=registry_key).values_list(
        "holder_id", flat=True
    )
    members = MemberKey.objects.filter(user__in=commission.members.all()).exclude(
        user_id__in=list(wrapped)
    )
    made = RegistryKeyWrap.objects.bulk_create(
        RegistryKeyWrap(
            registry_key=registry_key,
            holder_id=member_key.user_id,
            sealed_private_key=crypto.seal_for_member(bytes(member_key.public_key), private),
        )
        for member_key in members
    )
    return len(made)


def _registry_key_rotate(
    *, old: RegistryKey, old_private: bytes, box_key: BoxKey, commission: Commission, by: User
) -> tuple[RegistryKey, bytes]:
    """Replace the registry key for a new commission: the old key opens only through the new."""
    school = old.school
    registry_key, private = registry_key_make(
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
                case_private_through_registry(appeal, registry_private),
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


def case_private_through_registry(appeal: Appeal, registry_private: bytes) -> bytes:
    """The appeal's first case key, opened through the registry key (in memory only)."""
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
        return case_private_through_registry(appeal, keys.registry_private)
    assert keys.case_private is not None
    return keys.case_private


def later_through_registry(appeal: Appeal, registry_private: bytes) -> dict[int, bytes]:
    """The appeal's newer case keys, opened through the registry key (in memory only)."""
    return case_keys.later_keys_through_registry(
        appeal, lambda key: registry_private_of(key, registry_private)
    )


def case_later_from_personal(*, appeal: Appeal, user: User, personal: bytes) -> dict[int, bytes]:
    """Open the appeal's newer case keys (made after rotations) that this person may open."""
    keys = appeal_keys(appeal=appeal, user=user, personal=personal)
    if keys.registry_private is not None:
        return later_through_registry(appeal, keys.registry_private)
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
