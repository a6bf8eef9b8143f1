"""Renewing the box key (cl. 3.1): a quorum of the key in force hands the box to a new key."""

from __future__ import annotations

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from trustbox.accounts.models import User
from trustbox.audit.services import audit_write
from trustbox.openings.actions import OpeningAction
from trustbox.openings.gathering import box_private_gather, gathering_check, gathering_wipe
from trustbox.openings.models import Opening
from trustbox.registry.keys import registry_key_prepare
from trustbox.seal.models import BoxKey
from trustbox.seal.services import box_key_renew


@transaction.atomic
def rekey_finish(*, opening: Opening, by: User, browser_key: bytes) -> tuple[BoxKey, list[str]]:
    """With a quorum gathered, renew the box key for the commission in force; return the reserve."""
    opening = Opening.objects.select_for_update().get(pk=opening.pk)
    gathering_check(opening)
    if not opening.is_renewal:
        raise ValidationError(_("This gathering is for opening the box."))
    participants = list(opening.participants.select_related("member"))
    old_private = box_private_gather(opening, participants, browser_key)
    new_key, reserve = box_key_renew(
        school=opening.school, by=by, old_key=opening.box_key, old_private=old_private
    )
    registry_key_prepare(
        school=opening.school,
        box_key=new_key,
        box_private=old_private,
        commission=new_key.commission,
        by=by,
    )
    opening.status = Opening.Status.OPENED
    opening.opened_at = timezone.now()
    gathering_wipe(opening)
    opening.save(update_fields=["status", "opened_at", "session_private_locked"])
    audit_write(
        school=opening.school,
        actor=by,
        action=OpeningAction.REKEY,
        target=opening,
        details={
            "present": [p.member_id for p in participants if p.member_id],
            "reserve_parts": sum(1 for p in participants if p.reserve),
            "new_key": new_key.pk,
        },
    )
    return new_key, reserve
