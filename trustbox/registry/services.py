"""The registry key: appeals at rest after an opening, readable by authorised officials only."""

from __future__ import annotations

from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _

from trustbox.accounts.models import User
from trustbox.audit.services import audit_write
from trustbox.box.envelope import Envelope
from trustbox.registry.models import Appeal, RegistryKey, RegistryKeyWrap
from trustbox.schools.models import School
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
    registry_key = registry_key_current(school)
    wrap = (
        RegistryKeyWrap.objects.filter(registry_key=registry_key, holder=user).first()
        if registry_key
        else None
    )
    if wrap is None:
        raise ValidationError(_("You have no access to the registry of this school."))
    try:
        personal = member_key_unlock(user=user, password=password)
    except (crypto.SealError, MemberKey.DoesNotExist) as error:
        raise ValidationError(_("This is not your password.")) from error
    return crypto.open_with_member_key(personal, bytes(wrap.sealed_private_key))


def appeal_read(*, appeal: Appeal, registry_private: bytes, by: User, purpose: str) -> Envelope:
    """Decrypt one appeal for an official; every such read is written in the audit log."""
    envelope = Envelope.from_bytes(
        crypto.open_with_box_key(registry_private, bytes(appeal.sealed_content))
    )
    audit_write(
        school=appeal.school,
        actor=by,
        action="appeal.read",
        target=appeal,
        details={"purpose": purpose},
    )
    return envelope
