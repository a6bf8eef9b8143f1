"""Changes of state for staff accounts, each with its audit row."""

from __future__ import annotations

from django.db import transaction
from django_otp.plugins.otp_totp.models import TOTPDevice

from trustbox.accounts.models import User
from trustbox.audit.services import audit_write


@transaction.atomic
def second_factor_confirm(*, user: User, device: TOTPDevice) -> None:
    """Make the device the account's second factor, replacing any earlier one."""
    TOTPDevice.objects.filter(user=user).exclude(pk=device.pk).delete()
    device.confirmed = True
    device.save(update_fields=["confirmed"])
    audit_write(school=None, actor=user, action="account.second_factor_set", target=user)


@transaction.atomic
def password_changed(*, user: User, old_password: str, new_password: str) -> bool:
    """Record that the person chose their own password; move their personal key to it.

    Return whether the personal key (and so the person's shares of box keys) moved along.
    """
    from trustbox.seal.services import member_key_relock

    keeps_key = member_key_relock(user=user, old_password=old_password, new_password=new_password)
    if user.must_change_password:
        user.must_change_password = False
        user.save(update_fields=["must_change_password"])
    audit_write(
        school=None,
        actor=user,
        action="account.password_changed",
        target=user,
        details={"personal_key_kept": keeps_key},
    )
    return keeps_key
