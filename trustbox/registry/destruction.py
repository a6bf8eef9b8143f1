"""Destroying a closed case by the commission's act of destruction: crypto-shredding.

An appeal's words live in four places, each sealed: the sealed appeal in the box (to the box
key, which a quorum of members reconstructs), the registry row's content (to the registry key
before registration, to the case key after it), the entries of its file (to the case keys, and
a reply or the writer's message also to the writer's key), and the case keys' private halves
(sealed to the registry key and to the officials the case was assigned to). Attachments are
inside the content and the sealed appeal; nothing of a case is kept in a file on disk.

Destruction deletes every one of them: the ciphertexts (the sealed appeal through
box/erasure.py, the content, every entry's texts), the case keys and every wrap of them
(the first key on the row, CaseKey rows, CaseGrant rows) and the writer's public key. Without
the keys no copy made before (a backup within its maximum age, a database copy) opens the
entries either, and the restore of an older backup re-applies the destruction (core's ledger).

What stays on the row is what the journal and the statistics need: the number, the dates,
kind, category, urgency, whether signed, source, status and outcome, who registered it, the
opening and its line, plus the day of destruction and the act's reference; each entry keeps
its kind, channel, author and date. The frozen quarters (reports.freeze) count those fields
only, so the figures do not change. The protocols of the commission's meetings are not part of
a case: their sealed words are the commission's record, with their own period of retention.
"""

from __future__ import annotations

import logging
from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any

from django.core.exceptions import ValidationError
from django.db import DatabaseError, connection, transaction
from django.dispatch import Signal
from django.utils import timezone
from django.utils.translation import gettext as _

from trustbox.audit.services import audit_write
from trustbox.box.erasure import sealed_appeal_erase
from trustbox.box.models import SealedAppeal
from trustbox.registry.actions import AppealAction
from trustbox.registry.integrity import state_of
from trustbox.registry.models import Appeal, CaseGrant, CaseKey, Entry, Status

log = logging.getLogger(__name__)


@dataclass(frozen=True)
class Destroyed:
    """What the ledger of destructions keeps of one (core/destructions.py): no content."""

    school: str  # the school's slug
    number: str  # the registration number, e.g. 2026/014 ("" if never registered)
    seq: int  # the sealed appeal's place in the box
    act: str  # the act of destruction's reference
    day: str  # ISO date


# Sent once the destruction is committed, with record=Destroyed: core keeps the ledger that
# a restore of an older backup re-applies.
appeal_destroyed = Signal()


class DestructionRefused(ValidationError):
    """This appeal cannot be destroyed; the message says why."""


def _refusal(appeal: Appeal) -> str | None:
    if appeal.destroyed_on is not None:
        return _("This appeal was destroyed already.")
    sealed = appeal.sealed_appeal
    if not (sealed.opened or sealed.set_aside):
        return _("This appeal is still in the box: it cannot be destroyed.")
    if appeal.status != Status.CLOSED:
        return _("Only a closed appeal can be destroyed.")
    return None


def _scrub() -> None:
    """SQLite: write the log back and empty it, so that no old page of the case stays there.

    secure_delete (settings) zeroes what a statement deletes in the database file itself.
    """
    if connection.vendor != "sqlite":
        return
    try:
        with connection.cursor() as cursor:
            cursor.execute("PRAGMA wal_checkpoint(TRUNCATE)")
    except DatabaseError:
        # Busy (another reader, or still inside a transaction): SQLite's next checkpoint
        # writes the pages back all the same; only the log's old frames wait for it.
        log.info("the write-ahead log was not emptied after a destruction")


def _shred(appeal: Appeal, *, by: Any, act_reference: str, reapplied: bool) -> Destroyed:
    """Delete the case's keys and ciphertexts, keep its plain fields; the row is locked."""
    today = timezone.localdate()
    Entry.objects.filter(appeal=appeal).update(
        sealed_for_case=b"", sealed_for_writer=None, case_key=None
    )
    CaseGrant.objects.filter(appeal=appeal).delete()
    CaseKey.objects.filter(appeal=appeal).delete()
    appeal.sealed_content = b""
    appeal.case_public_key = appeal.case_private_sealed = appeal.writer_public_key = None
    appeal.assignee = None
    appeal.destroyed_on, appeal.destruction_act = today, act_reference
    appeal.save(
        update_fields=[
            "sealed_content",
            "case_public_key",
            "case_private_sealed",
            "writer_public_key",
            "assignee",
            "destroyed_on",
            "destruction_act",
        ]
    )
    sealed = appeal.sealed_appeal
    if not sealed.erased:
        sealed_appeal_erase(sealed_appeal=sealed, reason=f"destroyed: {act_reference}", by=by)
    details: dict[str, Any] = {"act": act_reference, **state_of(appeal)}
    if reapplied:
        details["reapplied"] = True
    audit_write(
        school=appeal.school, actor=by, action=AppealAction.DESTROY, target=appeal, details=details
    )
    record = Destroyed(
        school=appeal.school.slug,
        number=appeal.number,
        seq=sealed.seq,
        act=act_reference,
        day=today.isoformat(),
    )
    if not reapplied:
        transaction.on_commit(lambda: appeal_destroyed.send(sender=Appeal, record=record))
    transaction.on_commit(_scrub)
    return record


def _locked(appeal: Appeal) -> Appeal:
    return (
        Appeal.objects.select_for_update()
        .select_related("school", "sealed_appeal")
        .get(pk=appeal.pk)
    )


def appeal_destroy(*, appeal: Appeal, by: Any, act_reference: str) -> None:
    """Destroy one closed case by the act `act_reference` (DestructionRefused: why not).

    Refused for an appeal still in the box, not closed, or destroyed before. One audit entry
    (the act's reference and the row's new state, no text), and one line in the ledger.
    """
    appeals_destroy(appeals=[appeal], by=by, act_reference=act_reference)


@transaction.atomic
def appeals_destroy(*, appeals: Iterable[Appeal], by: Any, act_reference: str) -> int:
    """Destroy every case an act lists, all or none; return how many."""
    act_reference = act_reference.strip()
    if not act_reference:
        raise DestructionRefused(_("Name the act of destruction."))
    done = 0
    for appeal in appeals:
        row = _locked(appeal)
        refusal = _refusal(row)
        if refusal is not None:
            raise DestructionRefused(
                _("Appeal %(number)s: %(reason)s") % {"number": str(row), "reason": refusal}
            )
        _shred(row, by=by, act_reference=act_reference, reapplied=False)
        done += 1
    return done


@transaction.atomic
def destruction_reapply(*, record: Destroyed) -> str:
    """Destroy again, after a restore of an older backup, a case the ledger lists.

    The act decided it: no check of the status. "done", "already" (destroyed in this
    database), "no school", "not in the registry" (the backup is older than its opening: the
    sealed appeal is still in the box here, and is left for the operator to see) or "absent".
    """
    sealed = (
        SealedAppeal.objects.filter(school__slug=record.school, seq=record.seq)
        .select_related("school")
        .first()
    )
    if sealed is None:
        return "absent"
    appeal = Appeal.objects.filter(sealed_appeal=sealed).first()
    if appeal is None:
        return "not in the registry"
    row = _locked(appeal)
    if row.destroyed_on is not None:
        return "already"
    _shred(row, by=None, act_reference=record.act, reapplied=True)
    return "done"
