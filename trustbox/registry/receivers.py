"""How the registry reacts to what happens to keys below it."""

from __future__ import annotations

from typing import Any

from trustbox.accounts.models import User
from trustbox.registry.models import CaseGrant, RegistryKeyWrap


def access_dropped_with_old_key(sender: Any, *, user: User, **kwargs: Any) -> None:
    """A replaced personal key opens nothing: drop what was sealed to it (a quorum re-issues)."""
    RegistryKeyWrap.objects.filter(holder=user).delete()
    CaseGrant.objects.filter(holder=user).delete()
