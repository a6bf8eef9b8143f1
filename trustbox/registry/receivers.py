"""How the registry reacts to what happens to keys below it."""

from __future__ import annotations

from typing import Any

from trustbox.accounts.models import User
from trustbox.commission.models import Commission
from trustbox.registry.keys import registry_access_end
from trustbox.registry.models import CaseGrant, RegistryKeyWrap
from trustbox.schools.models import School


def access_dropped_with_old_key(sender: Any, *, user: User, **kwargs: Any) -> None:
    """A replaced personal key opens nothing: drop what was sealed to it (a quorum re-issues)."""
    RegistryKeyWrap.objects.filter(holder=user).delete()
    CaseGrant.objects.filter(holder=user).delete()


def access_follows_the_commission(
    sender: Any,
    *,
    school: School,
    commission: Commission,
    by: User | None = None,
    **kwargs: Any,
) -> None:
    """A new order: whoever is not on the commission now loses the registry key at once."""
    registry_access_end(school=school, keep=list(commission.members.all()), by=by)
