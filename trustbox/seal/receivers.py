"""How the seal reacts to what happens to staff accounts below it."""

from __future__ import annotations

from typing import Any

from trustbox.accounts.models import User
from trustbox.seal.keyring import keyring_relock


def personal_key_follows_password(
    sender: Any, *, user: User, old_password: str, new_password: str, **kwargs: Any
) -> bool:
    """Re-lock the keyring (personal and signing keys) under the new password.

    False if the old password did not open one of them.
    """
    return keyring_relock(user=user, old_password=old_password, new_password=new_password)
