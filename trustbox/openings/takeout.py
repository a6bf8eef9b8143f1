"""Taking the appeals out of the box at an opening: one pass, the chain checked on the way."""

from __future__ import annotations

import datetime
from collections.abc import Iterator
from dataclasses import dataclass, field

from django.conf import settings
from django.utils import timezone

from trustbox.box.chain import SealedRow
from trustbox.box.envelope import envelope_holds
from trustbox.box.models import Box
from trustbox.box.services import OpeningOutcome, OpeningPass, sealed_mark_opened
from trustbox.box.withdrawal import withdrawals_vouched, withdrawn_in_box
from trustbox.openings.checkpoint import Checkpoint
from trustbox.openings.models import Opening
from trustbox.registry.deadlines import register_by
from trustbox.registry.intake import TakenOut, appeals_take_in
from trustbox.registry.models import Appeal, RegistryKey
from trustbox.seal import crypto

_BROWSER = bytes([crypto.BROWSER_VERSION])


@dataclass
class Taken:
    """How many appeals an opening took out, by the way they came."""

    online: int = 0
    paper: int = 0


def _today() -> datetime.date | None:
    """The day whose appeals stay in the box for the next opening (None: they are taken)."""
    return None if settings.OPENING_TAKES_ITS_OWN_DAY else timezone.localdate()


def _taken_before(row: SealedRow, checkpoint: Checkpoint) -> bool:
    """Is this appeal, which the box's flags or place say was already handled, in the registry?

    Only for the few appeals an opening should not meet: one already marked (hidden in the
    database), or one before the checkpoint still in the box (put back).
    """
    if row.in_box and row.seq > checkpoint.seq:
        return False
    return Appeal.objects.filter(sealed_appeal_id=row.pk).exists()


@dataclass
class _Pass:
    """What one opening's pass did, besides taking appeals out."""

    unreadable: list[int] = field(default_factory=list)  # places
    set_aside: list[int] = field(default_factory=list)  # their ids
    returned: list[int] = field(default_factory=list)  # places
    beyond: list[int] = field(default_factory=list)  # places past the cut-off taken out
    erased: list[int] = field(default_factory=list)  # places erased while still in the box
    # Appeals their writers took back, set aside unread: their places and days, for the act.
    withdrawn: list[dict[str, object]] = field(default_factory=list)
    # Appeals their writers took back (ids), whose withdrawal the writers' audit chain holds.
    vouched: set[int] = field(default_factory=set)
    # Places marked withdrawn in the database without the audit chain holding it.
    unvouched: list[int] = field(default_factory=list)


def _withdrawn(row: SealedRow, did: _Pass) -> bool:
    """Is this appeal one its writer took back (set it aside unread), as the log vouches?

    An appeal marked withdrawn without its entry in the writers' chain was marked in the
    database: it is named as damage and opened all the same, so that nobody can hide an
    appeal from the commission by marking it withdrawn.
    """
    if row.pk not in did.vouched:
        return False
    did.withdrawn.append({"seq": row.seq, "day": row.received_on.isoformat()})
    did.set_aside.append(row.pk)
    return True


def _opened(
    box_pass: OpeningPass,
    checkpoint: Checkpoint,
    openers: dict[int, crypto.BoxOpener],
    taken: Taken,
    did: _Pass,
) -> Iterator[TakenOut]:
    """Open every appeal the pass hands on, in order, one at a time, for the registry."""
    number = 0
    for row in box_pass.waiting():
        if _withdrawn(row, did):  # never tried, its ciphertext erased or not
            continue
        if row.erased:  # its ciphertext is gone for good: never tried (box/erasure.py)
            if row.in_box:
                did.erased.append(row.seq)
            continue
        if _taken_before(row, checkpoint):
            if row.in_box:
                did.returned.append(row.seq)
            continue
        if box_pass.cut is not None and row.seq > box_pass.cut[0]:
            did.beyond.append(row.seq)
        try:
            plaintext = openers[row.box_key_id].open(row.ciphertext)
            # One sealed in a browser was made by code the server could not check: its form is.
            if row.ciphertext[:1] == _BROWSER and not envelope_holds(plaintext):
                raise crypto.SealError("a browser's envelope that is not one")
        except (crypto.SealError, KeyError):
            did.unreadable.append(row.seq)
            did.set_aside.append(row.pk)
            continue
        number += 1
        if row.paper:
            taken.paper += 1
        else:
            taken.online += 1
        yield TakenOut(
            sealed_id=row.pk,
            paper=row.paper,
            received_on=row.received_on,
            number_in_act=number,
            plaintext=plaintext,
        )


def take_out(
    opening: Opening,
    box: Box,
    checkpoint: Checkpoint,
    privates: dict[int, bytes],
    registry_key: RegistryKey,
) -> tuple[Taken, list[dict[str, object]]]:
    """Check the chain and move the appeals in the box into the registry, in one pass.

    Each appeal is opened with the key it was sealed to and handed to the registry at once:
    no plaintext waits for the others. An appeal that does not open is named in this
    opening's damage, then set aside with its evidence, so that later openings do not report
    it again; the box marks all the others taken out with one statement at the end. An
    appeal hidden in the database is named and taken out all the same (OpeningPass); one
    already in the registry (the checkpoint moved back, or the flag put back) is not taken
    out twice. Today's appeals stay in the box (OpeningPass.stays); the opening's place in
    the box, its head and the places past it taken out all the same go into its row.
    """
    school = opening.school
    box_pass = OpeningPass(
        school=school,
        box=box,
        since=(checkpoint.seq, checkpoint.head),
        today=_today(),
        beyond=checkpoint.beyond,
    )
    taken, did = Taken(), _Pass()
    marked = withdrawn_in_box(school=school)
    if marked:
        vouched = withdrawals_vouched(school=school)
        did.vouched = {pk for pk in marked if pk in vouched}
        did.unvouched = sorted(seq for pk, seq in marked.items() if pk not in vouched)
    openers = {key: crypto.opener_with_box_key(private) for key, private in privates.items()}
    appeals_take_in(
        school=school,
        opening=opening,
        registry_key=registry_key,
        register_by=register_by(timezone.localdate()),
        taken_out=_opened(box_pass, checkpoint, openers, taken, did),
    )
    damage = list(checkpoint.damage)
    damage.extend({"seq": d.seq, "what": d.what} for d in box_pass.damage())
    damage.extend({"seq": seq, "what": "unreadable"} for seq in did.unreadable)
    damage.extend({"seq": seq, "what": "returned"} for seq in did.returned)
    damage.extend({"seq": seq, "what": "erased"} for seq in did.erased)
    damage.extend({"seq": seq, "what": "withdrawal unrecorded"} for seq in did.unvouched)
    outcome = OpeningOutcome(
        after_seq=checkpoint.seq,
        up_to_seq=box_pass.cut_seq,
        set_aside=did.set_aside,
        beyond=did.beyond,
    )
    sealed_mark_opened(school=school, outcome=outcome)
    opening.to_seq, opening.new_head = box_pass.cut_seq, box_pass.cut_head
    opening.beyond = did.beyond
    opening.withdrawn = did.withdrawn
    return taken, damage
