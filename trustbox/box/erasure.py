"""Erasing a sealed appeal for good, its place in the chain kept checkable.

When a case is destroyed (registry/destruction.py) its sealed appeal must no longer open with
the box key, whoever gathers the shares. Its ciphertext and the writer's locked reply key are
deleted; what the chain needs stays: the SHA-256 of the ciphertext (the chain link hashes
only that, crypto.chain_link_from_digest), the place, the day, the urgency and the receipt's
lookup (the writer's status page still finds the appeal and says what became of it). Every
check of the chain takes an erased appeal as intact if its link holds, and nothing tries to
open it. Each erasure writes its audit row: an erased appeal without one was erased behind
the application's back, and the check of the chains names it (`erasures_check`).
"""

from __future__ import annotations

from typing import Any

from django.db import transaction
from django.utils import timezone

from trustbox.audit.models import AuditEntry, WriterEntry
from trustbox.audit.services import ChainBreak, audit_write, target_label
from trustbox.box.actions import BoxAction
from trustbox.box.models import SealedAppeal
from trustbox.seal import crypto


class AlreadyErased(Exception):
    """The sealed appeal was erased before."""


class StillInTheBox(Exception):
    """An appeal no opening has taken out or set aside is never erased."""


def sealed_appeal_erase(*, sealed_appeal: SealedAppeal, reason: str, by: Any = None) -> None:
    """Delete the appeal's ciphertext and its writer's locked key for good; keep its link.

    `reason` says why in a word or a reference (e.g. "destroyed: act 2026/1"), never content.
    Refused for an appeal still in the box (StillInTheBox) or erased before (AlreadyErased).
    """
    with transaction.atomic():
        row = (
            SealedAppeal.objects.select_for_update()
            .select_related("school")
            .get(pk=sealed_appeal.pk)
        )
        if row.erased:
            raise AlreadyErased
        # Taken back by its writer (box.withdrawal): erased at once, audited by the day only.
        withdrawn = row.withdrawn_on is not None and not row.opened
        if not (row.opened or row.set_aside or withdrawn):
            raise StillInTheBox
        digest = crypto.ciphertext_digest(bytes(row.ciphertext))
        today = timezone.localdate()
        SealedAppeal.objects.filter(pk=row.pk).update(
            ciphertext=b"", writer_key_locked=None, ciphertext_digest=digest, erased_on=today
        )
        audit_write(
            school=row.school,
            actor=None if withdrawn else by,
            action=BoxAction.ERASE,
            target=row,
            details={"seq": row.seq, "reason": reason},
            by_writer=withdrawn,
        )
    sealed_appeal.ciphertext, sealed_appeal.writer_key_locked = b"", None
    sealed_appeal.ciphertext_digest, sealed_appeal.erased_on = digest, today


def erasures_check(school: Any) -> list[ChainBreak]:
    """Every erased appeal of the school without an erasure in the log (erased outside it)."""
    logged = set(
        AuditEntry.objects.filter(school=school, action=BoxAction.ERASE.value).values_list(
            "target", flat=True
        )
    ) | set(
        WriterEntry.objects.filter(school=school, action=BoxAction.ERASE.value).values_list(
            "target", flat=True
        )
    )
    erased = SealedAppeal.objects.filter(school=school, ciphertext_digest__isnull=False)
    return [
        ChainBreak(0, "record", target=target_label(row))
        for row in erased.only("pk")
        if target_label(row) not in logged
    ]
