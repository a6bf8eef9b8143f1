"""Changes of state for staff accounts; the audit log records them from their signals."""

from __future__ import annotations

from django.db import transaction
from django_otp.plugins.otp_totp.models import TOTPDevice

from trustbox.accounts.models import User
from trustbox.accounts.signals import (
    language_chosen,
    password_changed,
    password_changing,
    password_reset,
    second_factor_confirmed,
)


@transaction.atomic
def second_factor_confirm(*, user: User, device: TOTPDevice) -> None:
    """Make the device the account's second factor, replacing any earlier one."""
    TOTPDevice.objects.filter(user=user).exclude(pk=device.pk).delete()
    device.confirmed = True
    device.save(update_fields=["confirmed"])
    second_factor_confirmed.send(sender=User, user=user)


@transaction.atomic
def password_record(*, user: User, old_password: str, new_password: str) -> bool:
    """Record that the person chose their own password; move what it locks along with it.

    Return whether everything locked under the old password (the personal key, and with it
    the person's shares of box keys) moved to the new one.
    """
    answers = password_changing.send(
        sender=User, user=user, old_password=old_password, new_password=new_password
    )
    keeps_key = all(answer is not False for _receiver, answer in answers)
    if user.must_change_password:
        user.must_change_password = False
        user.save(update_fields=["must_change_password"])
    password_changed.send(sender=User, user=user, keeps_key=keeps_key)
    return keeps_key


@transaction.atomic
def password_reset_record(*, user: User, terminal_user: str) -> None:
    """Record that an operator set the person's password at the terminal.

    The operator knows that password: the person must choose their own at the next sign-in.
    """
    user.must_change_password = True
    user.save(update_fields=["must_change_password"])
    password_reset.send(sender=User, user=user, terminal_user=terminal_user)


@transaction.atomic
def language_choose(*, user: User, language: str) -> None:
    """Record the language the person reads their email in (ky, ru or en)."""
    if language not in dict(User._meta.get_field("language").choices or []):
        raise ValueError(f"unknown language: {language!r}")
    user.language = language
    user.save(update_fields=["language"])
    language_chosen.send(sender=User, user=user, language=language)
