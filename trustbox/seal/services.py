"""Key ceremony: members' personal keys and the school's box key, each step audited."""

from __future__ import annotations

from dataclasses import dataclass

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from trustbox.accounts.models import User
from trustbox.audit.services import audit_write
from trustbox.commission.models import Commission
from trustbox.schools.models import School
from trustbox.seal import crypto
from trustbox.seal.actions import SealAction
from trustbox.seal.models import BoxKey, KeyShare, MemberKey, SigningKey
from trustbox.seal.signals import member_key_replaced


def threshold_for(members: int) -> int:
    """A majority of the commission opens the box."""
    return members // 2 + 1


def reserve_for(members: int, wanted: int | None = None) -> int:
    """How many reserve parts to print: as many as wanted, but always fewer than the threshold.

    Reserve parts alone must never open the box: at least one member is always needed.
    """
    wanted = settings.RESERVE_SHARES if wanted is None else wanted
    return max(0, min(wanted, threshold_for(members) - 1))


def _member_key_make(user: User, password: str) -> MemberKey:
    """A new personal key pair for the person, its private half locked by their password."""
    pair = crypto.member_keypair_generate()
    return MemberKey.objects.create(
        user=user,
        public_key=pair.public,
        locked_private_key=crypto.lock_with_password(pair.private, password),
    )


@transaction.atomic
def member_key_set(*, user: User, password: str, school: School) -> MemberKey:
    """Create the member's personal key, locked by their login password."""
    if not user.check_password(password):
        raise ValidationError(_("This is not your password."))
    if MemberKey.objects.filter(user=user).exists():
        raise ValidationError(_("Your personal key is already set."))
    key = _member_key_make(user, password)
    audit_write(school=school, actor=user, action=SealAction.MEMBER_KEY_SET, target=user)
    return key


def member_key_unlock(*, user: User, password: str) -> bytes:
    """Return the member's private key, in memory only; raise SealError on a wrong password."""
    key = MemberKey.objects.get(user=user)
    return crypto.unlock_with_password(bytes(key.locked_private_key), password)


def member_key_relock(*, user: User, old_password: str, new_password: str) -> bool:
    """Re-lock the member's key under a new password, so the member keeps their shares.

    Return False if the key could not be unlocked with the old password (it was set under an
    earlier password that was reset): the shares sealed to it must then be re-issued.
    """
    key = MemberKey.objects.select_for_update().filter(user=user).first()
    return key is None or key_relock(key, old_password=old_password, new_password=new_password)


def key_relock(key: MemberKey | SigningKey, *, old_password: str, new_password: str) -> bool:
    """Lock a password-locked key under the new password; False if the old one does not open it."""
    try:
        private = crypto.unlock_with_password(bytes(key.locked_private_key), old_password)
    except crypto.SealError:
        return False
    key.locked_private_key = crypto.lock_with_password(private, new_password)
    key.save(update_fields=["locked_private_key"])
    return True


@dataclass(frozen=True)
class CeremonyState:
    commission: Commission | None
    box_key: BoxKey | None
    with_key: list[User]
    without_key: list[User]

    without_share: list[User]

    @property
    def ready_for_box_key(self) -> bool:
        return bool(self.commission and not self.without_key and self.box_key is None)

    @property
    def needs_renewal(self) -> bool:
        """A new commission, or members without a share: a quorum must renew the key."""
        return bool(self.box_key and (not self.box_key_is_current or self.without_share))

    @property
    def box_key_is_current(self) -> bool:
        return bool(
            self.box_key and self.commission and self.box_key.commission_id == self.commission.pk
        )


def ceremony_state(school: School) -> CeremonyState:
    commission = Commission.objects.current(school)
    members = list(commission.members.all()) if commission else []
    keyed = set(MemberKey.objects.filter(user__in=members).values_list("user_id", flat=True))
    box_key = BoxKey.objects.current(school)
    holders = (
        set(KeyShare.objects.filter(box_key=box_key).values_list("holder_id", flat=True))
        if box_key
        else set()
    )
    return CeremonyState(
        commission=commission,
        box_key=box_key,
        with_key=[m for m in members if m.pk in keyed],
        without_key=[m for m in members if m.pk not in keyed],
        without_share=[m for m in members if box_key and m.pk not in holders],
    )


def _seal_shares(box_key: BoxKey, members: list[User], mnemonics: list[str]) -> None:
    """Seal one share to each member's personal key; the rest are the reserve."""
    keys = {k.user_id: bytes(k.public_key) for k in MemberKey.objects.filter(user__in=members)}
    KeyShare.objects.bulk_create(
        KeyShare(
            box_key=box_key,
            holder=member,
            sealed_share=crypto.seal_for_member(keys[member.pk], mnemonic.encode()),
        )
        for member, mnemonic in zip(members, mnemonics, strict=False)
    )


@transaction.atomic
def box_key_create(
    *, school: School, by: User, reserve: int | None = None
) -> tuple[BoxKey, list[str]]:
    """Generate the box key of the commission in force and split it; return the reserve shares.

    The private key exists only inside this function. Each member's share is sealed to the
    member's personal key; the reserve shares are returned once, to be printed, and never stored.
    """
    state = ceremony_state(school)
    commission = state.commission
    if commission is None:
        raise ValidationError(_("No commission is appointed yet."))
    if state.without_key:
        raise ValidationError(_("Every member must set their personal key first."))
    if state.box_key_is_current:
        raise ValidationError(_("The box key of this commission is already made."))
    if state.box_key:
        raise ValidationError(
            _(
                "The box already has a key: a new commission renews it with a quorum of the "
                "previous commission or the reserve parts."
            )
        )
    members = state.with_key
    reserve = reserve_for(len(members), reserve)
    count = len(members) + reserve
    if count > crypto.MAX_SHARES:
        raise ValidationError(_("Too many shares: at most 16 members and reserve shares together."))
    threshold = threshold_for(len(members))

    pair = crypto.box_keypair_generate()
    mnemonics = crypto.split_box_key(pair.private, threshold=threshold, count=count)

    box_key = BoxKey.objects.create(
        school=school,
        commission=commission,
        public_key=pair.public,
        threshold=threshold,
        member_shares=len(members),
        reserve_shares=reserve,
        share_identifier=_identifier(mnemonics),
        created_by=by,
    )
    _seal_shares(box_key, members, mnemonics)
    audit_write(
        school=school,
        actor=by,
        action=SealAction.BOX_KEY_CREATE,
        target=box_key,
        details={"threshold": threshold, "members": len(members), "reserve": reserve},
    )
    return box_key, mnemonics[len(members) :]


def _identifier(mnemonics: list[str]) -> int | None:
    facts = crypto.share_facts(mnemonics[0]) if mnemonics else None
    return facts.identifier if facts else None


def box_key_replaced_by_share(*, school: School, mnemonic: str) -> BoxKey | None:
    """The retired box key of the school this share belongs to, if it belongs to one."""
    facts = crypto.share_facts(mnemonic)
    if facts is None:
        return None
    return (
        BoxKey.objects.filter(
            school=school, share_identifier=facts.identifier, retired_at__isnull=False
        )
        .order_by("-retired_at")
        .first()
    )


def share_unlock(*, box_key: BoxKey, user: User, password: str) -> str:
    """Open the member's share of the box key with their password (in memory only)."""
    share = KeyShare.objects.get(box_key=box_key, holder=user)
    private = member_key_unlock(user=user, password=password)
    return crypto.open_with_member_key(private, bytes(share.sealed_share)).decode()


@transaction.atomic
def member_key_reset(*, user: User, password: str, school: School) -> MemberKey:
    """Make a new personal key for a member who cannot unlock the old one (a forgotten password).

    The shares and registry access sealed to the old key are lost with it; a quorum re-issues
    them when the box key is renewed.
    """
    if not user.check_password(password):
        raise ValidationError(_("This is not your password."))
    KeyShare.objects.filter(holder=user, box_key__retired_at__isnull=True).delete()
    MemberKey.objects.filter(user=user).delete()
    member_key_replaced.send(sender=MemberKey, user=user)
    key = _member_key_make(user, password)
    audit_write(school=school, actor=user, action=SealAction.MEMBER_KEY_RESET, target=user)
    return key


@transaction.atomic
def box_key_renew(
    *, school: School, by: User, old_key: BoxKey, old_private: bytes, reserve: int | None = None
) -> tuple[BoxKey, list[str]]:
    """With the old box key in memory, give the commission in force a new box key.

    Every renewal makes a new key pair, so that the parts of the old key (members' and the
    reserve) open nothing that arrives afterwards. The old private key is sealed to the new
    key, so appeals still sealed under it open at the next opening; the old key's shares are
    wiped. New reserve parts are returned once.
    """
    state = ceremony_state(school)
    commission = state.commission
    if commission is None:
        raise ValidationError(_("No commission is appointed yet."))
    if state.without_key:
        raise ValidationError(
            _("Every member must set their personal key first: %(names)s.")
            % {"names": ", ".join(m.full_name for m in state.without_key)}
        )
    members = state.with_key
    reserve = reserve_for(len(members), reserve)
    if len(members) + reserve > crypto.MAX_SHARES:
        raise ValidationError(_("Too many shares: at most 16 members and reserve shares together."))
    pair = crypto.box_keypair_generate()
    threshold = threshold_for(len(members))
    mnemonics = crypto.split_box_key(
        pair.private, threshold=threshold, count=len(members) + reserve
    )

    old_key.retired_at = timezone.now()
    old_key.save(update_fields=["retired_at"])
    KeyShare.objects.filter(box_key=old_key).delete()
    box_key = BoxKey.objects.create(
        school=school,
        commission=commission,
        public_key=pair.public,
        threshold=threshold,
        member_shares=len(members),
        reserve_shares=reserve,
        share_identifier=_identifier(mnemonics),
        created_by=by,
        previous=old_key,
        previous_private_sealed=crypto.seal_for_box(pair.public, old_private),
    )
    _seal_shares(box_key, members, mnemonics)
    audit_write(
        school=school,
        actor=by,
        action=SealAction.BOX_KEY_RENEW,
        target=box_key,
        details={"threshold": threshold, "members": len(members), "reserve": reserve},
    )
    return box_key, mnemonics[len(members) :]
