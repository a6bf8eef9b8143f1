"""A writer takes her appeal back before the box is opened (issue 24, point 4).

Anyone holding the receipt code may do it, as anyone holding it reads the appeal's status.
The appeal keeps its place in the box and its chain link; the day of the withdrawal goes into
the writers' audit chain (the day only, no writer), which is what vouches for it: the next
opening sets aside unread only the appeals whose withdrawal that chain holds, and lists them
in its act as withdrawn by their writers. The ciphertext is erased at once when the box can
erase it (`box.erasure`), so that no later quorum can read what the writer took back.
"""

from __future__ import annotations

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from trustbox.audit.actions import AuditAction, audit_actions
from trustbox.audit.models import WriterEntry
from trustbox.audit.services import audit_write
from trustbox.box.erasure import sealed_appeal_erase
from trustbox.box.models import Box, SealedAppeal
from trustbox.schools.models import School


@audit_actions(group=gettext_lazy("every withdrawal of an appeal by its writer"))
class WithdrawalAction(AuditAction):
    WITHDRAW = (
        "withdrawal.withdraw",
        gettext_lazy("a writer took her appeal back before the box was opened"),
    )


def withdrawable(sealed_appeal: SealedAppeal, box: Box | None) -> bool:
    """Is the appeal still in the box, with no opening past its place, and not taken back?"""
    return (
        sealed_appeal.withdrawn_on is None
        and not sealed_appeal.opened
        and not sealed_appeal.set_aside
        and (box is None or box.opened_to < sealed_appeal.seq)
    )


@transaction.atomic
def sealed_appeal_withdraw(*, sealed_appeal: SealedAppeal) -> SealedAppeal:
    """Mark the appeal taken back by its writer; erase its ciphertext; an audit row of the day.

    The box's row is locked first, as an opening locks it: a withdrawal and an opening of the
    same box wait for each other, so that an appeal is either taken out or set aside unread.
    """
    box = Box.objects.select_for_update().filter(school_id=sealed_appeal.school_id).first()
    row = SealedAppeal.objects.select_for_update().get(pk=sealed_appeal.pk)
    if not withdrawable(row, box):
        raise ValidationError(
            _("This appeal can no longer be taken back: the commission has opened the box.")
        )
    row.withdrawn_on = timezone.localdate()
    row.save(update_fields=["withdrawn_on"])
    audit_write(
        school=row.school,
        actor=None,
        action=WithdrawalAction.WITHDRAW,
        target=row,
        details={"seq": row.seq},
        by_writer=True,
    )
    _erase(sealed_appeal)
    sealed_appeal.withdrawn_on = row.withdrawn_on
    return sealed_appeal


def _erase(sealed_appeal: SealedAppeal) -> None:
    """Delete the ciphertext (and the writer's reply key) at once; the chain stays checkable."""
    sealed_appeal_erase(sealed_appeal=sealed_appeal, reason="withdrawn by its writer")


def withdrawals_vouched(*, school: School) -> set[int]:
    """The sealed appeals (ids) whose withdrawal the writers' audit chain holds."""
    prefix = f"{SealedAppeal._meta.label_lower}:"
    targets = WriterEntry.objects.filter(
        school=school, action=WithdrawalAction.WITHDRAW.value
    ).values_list("target", flat=True)
    return {
        int(target[len(prefix) :])
        for target in targets
        if target.startswith(prefix) and target[len(prefix) :].isdigit()
    }


def withdrawn_in_box(*, school: School) -> dict[int, int]:
    """The appeals marked withdrawn and still in the box: {id: place}."""
    return dict(
        SealedAppeal.objects.filter(school=school, withdrawn_on__isnull=False)
        .in_box()
        .values_list("pk", "seq")
    )
