"""The member's keyring: her personal key (shares of box keys) and her signing key (Ed25519).

Protocols (meetings) and the quarterly reports (reports) sign with the one signing key; both
keys are locked under the member's password and re-locked together when it changes
(keyring_relock, from seal.receivers).
"""

from __future__ import annotations

from django.core.exceptions import ValidationError
from django.utils import timezone
from django.utils.translation import gettext as _

from trustbox.accounts.models import User
from trustbox.audit.services import audit_write
from trustbox.schools.models import School
from trustbox.seal import crypto
from trustbox.seal.actions import SealAction
from trustbox.seal.models import SigningKey
from trustbox.seal.services import key_relock, member_key_relock


def signing_key_unlock(*, user: User, password: str, school: School) -> tuple[bytes, bytes]:
    """The member's signing key (private, public), made the first time they sign.

    One key per member for everything they sign: protocols and reports (the apps above).
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
        action=SealAction.SIGNING_KEY_SET,
        target=user,
        details={"key": crypto.key_fingerprint(pair.public)},
    )
    return pair.private, pair.public


def _signing_key_relock(*, user: User, old_password: str, new_password: str) -> bool:
    """Re-lock the signing key under a new password; False if the old one did not open it."""
    key = SigningKey.objects.select_for_update().filter(user=user, retired_at__isnull=True).first()
    return key is None or key_relock(key, old_password=old_password, new_password=new_password)


def keyring_relock(*, user: User, old_password: str, new_password: str) -> bool:
    """Re-lock the personal key and the signing key under a new password, together.

    Return False if either could not be opened with the old password (locked under an earlier
    password that was reset); both are tried either way.
    """
    personal = member_key_relock(user=user, old_password=old_password, new_password=new_password)
    signing = _signing_key_relock(user=user, old_password=old_password, new_password=new_password)
    return personal and signing
