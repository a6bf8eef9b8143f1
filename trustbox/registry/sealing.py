"""The registry key as the commission's key, for the apps above that seal their words to it.

The meetings app seals a meeting's discussion and decisions to the registry key in force, so
that exactly the officials who read the registry read them. Sealing needs only the key's public
half. A school that has made its box key but not yet opened the box has no registry key: one is
made here from public halves alone (the private half sealed to the box key and wrapped for each
member of the commission in force, then forgotten), as the first opening would have made it.
"""

from __future__ import annotations

from django.db import transaction

from trustbox.accounts.models import User
from trustbox.audit.services import audit_write
from trustbox.commission.models import Commission
from trustbox.registry.actions import RegistryAction
from trustbox.registry.keys import (
    registry_key_current,
    registry_key_make,
    registry_key_wrap_for_members,
    registry_private_of,
)
from trustbox.registry.models import RegistryKey
from trustbox.schools.models import School
from trustbox.seal import crypto
from trustbox.seal.models import BoxKey


@transaction.atomic
def registry_key_for_sealing(*, school: School, by: User | None) -> RegistryKey | None:
    """The registry key in force; made now if the school has a box key but no registry key.

    None when the school has no box key yet (nothing can be sealed to the commission then).
    """
    registry_key = registry_key_current(school)
    if registry_key is not None:
        return registry_key
    box_key = BoxKey.objects.current(school)
    commission = Commission.objects.current(school)
    if box_key is None or commission is None:
        return None
    registry_key, private = registry_key_make(school=school, box_key=box_key, commission=commission)
    holders = registry_key_wrap_for_members(
        registry_key=registry_key, private=private, commission=commission
    )
    audit_write(
        school=school,
        actor=by,
        action=RegistryAction.KEY_MAKE,
        target=commission,
        details={"key": crypto.key_fingerprint(bytes(registry_key.public_key)), "holders": holders},
    )
    return registry_key


def commission_private_for(*, school: School, public: bytes, registry_private: bytes) -> bytes:
    """The private half of the school's registry key `public`, from the key in force.

    Raises crypto.SealError when the key is not the school's or does not open through it.
    """
    registry_key = RegistryKey.objects.filter(school=school, public_key=public).first()
    if registry_key is None:
        raise crypto.SealError("no registry key of this school has this public half")
    return registry_private_of(registry_key, registry_private)
