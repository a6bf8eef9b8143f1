"""Withdrawing an act of destruction that cannot be completed.

An act waits for every member of the commission that held the meeting to sign it (cl. 4.3).
If one of them has left the commission before signing, the act can never be completed, and its
cases, which an act lists once, would wait for ever. The secretary or the chair withdraws it:
only while no case of it is destroyed; its lines are deleted (the signed content keeps the list,
so its page and its documents still say what it listed), its cases become past their period
again for another meeting's decision and another act, and the audit log records who, when and
why. The act keeps its number; it is never signed or carried out again.
"""

from __future__ import annotations

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from trustbox.accounts.models import User
from trustbox.audit.services import audit_write
from trustbox.registry.models import Appeal
from trustbox.retention.actions import RetentionAction
from trustbox.retention.models import DestructionAct

REASON_MAX = 300


def withdrawal_problem(act: DestructionAct) -> str | None:
    """Why the act cannot be withdrawn now, or None if it can."""
    if act.withdrawn_at is not None:
        return _("This act of destruction is withdrawn already.")
    if act.destroyed_at is not None or act.lines.filter(destroyed_at__isnull=False).exists():
        return _("A case of this act is destroyed already: the act can no longer be withdrawn.")
    return None


@transaction.atomic
def act_withdraw(*, act: DestructionAct, by: User, reason: str) -> DestructionAct:
    """Withdraw an unfinished act: it destroys nothing and its cases may go into another act."""
    reason = reason.strip()
    if not reason:
        raise ValidationError(_("Write the reason first."))
    if len(reason) > REASON_MAX:
        raise ValidationError(
            _("The text is too long: at most %(max)d characters.") % {"max": REASON_MAX}
        )
    act = DestructionAct.objects.select_for_update().select_related("school").get(pk=act.pk)
    # The cases' rows too, as the destruction locks them: none is destroyed meanwhile.
    cases = Appeal.objects.select_for_update(of=("self",)).filter(destruction_line__act=act)
    if any(appeal.destroyed_on is not None for appeal in cases.only("pk", "destroyed_on")):
        raise ValidationError(
            _("A case of this act is destroyed already: the act can no longer be withdrawn.")
        )
    problem = withdrawal_problem(act)
    if problem:
        raise ValidationError(problem)
    count = act.lines.count()
    act.lines.all().delete()
    act.withdrawn_at, act.withdrawn_by, act.withdrawal_reason = timezone.now(), by, reason
    act.save(update_fields=["withdrawn_at", "withdrawn_by", "withdrawal_reason"])
    audit_write(
        school=act.school,
        actor=by,
        action=RetentionAction.WITHDRAW,
        target=act,
        details={"fingerprint": act.fingerprint, "cases": count, "reason": reason},
    )
    return act
