"""Sealing appeals into the box, finding them by receipt, checking the chain."""

from __future__ import annotations

import base64
import dataclasses
import datetime
from collections.abc import Iterable
from dataclasses import dataclass

from django.db import transaction
from django.db.models import QuerySet
from django.utils import timezone

from trustbox.audit.digests import Head
from trustbox.box.envelope import Envelope
from trustbox.box.models import Box, SealedAppeal
from trustbox.box.notify import urgent_appeal_notify
from trustbox.box.selectors import WriterBox
from trustbox.box.signals import appeal_sealing
from trustbox.schools.models import School
from trustbox.seal import crypto
from trustbox.seal.models import BoxKey


class BoxNotReady(Exception):
    """The school's commission has not made its box key yet."""


def box_for(school: School) -> Box:
    box, _created = Box.objects.get_or_create(
        school=school, defaults={"receipt_salt": crypto.receipt_salt_generate()}
    )
    return box


def box_is_ready(school: School) -> bool:
    return BoxKey.objects.current(school) is not None


@dataclass(frozen=True)
class Receipt:
    """What the writer takes away (the code; empty for a paper appeal) and what was stored."""

    sealed: SealedAppeal
    code: str = dataclasses.field(repr=False)

    @property
    def received_on(self) -> datetime.date:
        return self.sealed.received_on


def appeal_submit(
    *, school: School, envelope: Envelope, paper: bool = False, into: WriterBox | None = None
) -> Receipt:
    """Seal the envelope to the box key, link it into the chain and store it; return the receipt.

    The plaintext exists only in this call's memory. No audit row is written: its time of day
    would say more than the day the box keeps. `into` is the box as the writer's form read it
    with the school (box key and salt, in one query); without it they are read here. The
    receipt is derived before the transaction: the box's lock is held for the insert only.
    """
    if into is not None and into.box_key_id is not None and into.box_public is not None:
        box_key_id, box_public = into.box_key_id, into.box_public
    else:
        box_key = BoxKey.objects.current(school)
        if box_key is None:
            raise BoxNotReady
        box_key_id, box_public = box_key.pk, bytes(box_key.public_key)
    salt = into.receipt_salt if into is not None else None
    if salt is None:
        salt = bytes(box_for(school).receipt_salt)
    code = "" if paper else crypto.receipt_code_generate()
    receipt = crypto.receipt_derive(code, salt) if code else None
    writer_key_locked = None
    if receipt is not None:
        writer_public, writer_key_locked = crypto.writer_key_make(receipt.reply_key)
        envelope = dataclasses.replace(
            envelope, reply_public=base64.b64encode(writer_public).decode()
        )
    ciphertext = crypto.seal_for_box(box_public, envelope.to_bytes())

    with transaction.atomic():
        count, head = (
            Box.objects.select_for_update().filter(school=school).values_list("count", "head").get()
        )
        appeal = SealedAppeal(
            school=school,
            box_key_id=box_key_id,
            seq=count + 1,
            received_on=timezone.localdate(),
            urgent=envelope.urgent,
            paper=paper,
            ciphertext=ciphertext,
            receipt_lookup=receipt.lookup if receipt else None,
            writer_key_locked=writer_key_locked,
            prev_hash=bytes(head),
        )
        appeal.chain_hash = crypto.chain_link(bytes(head), ciphertext, appeal.chain_metadata())
        appeal.save(force_insert=True)
        Box.objects.filter(school=school).update(count=appeal.seq, head=appeal.chain_hash)
        appeal_sealing.send(sender=SealedAppeal, appeal=appeal)
        if envelope.urgent:
            transaction.on_commit(lambda: urgent_appeal_notify(school=school))
    return Receipt(sealed=appeal, code=code)


@dataclass(frozen=True)
class Found:
    """An appeal found by its receipt, with the key that opens what is written to its writer."""

    sealed: SealedAppeal
    reply_key: bytes = dataclasses.field(repr=False)

    def writer_private(self) -> bytes | None:
        locked = self.sealed.writer_key_locked
        return crypto.writer_key_unlock(self.reply_key, bytes(locked)) if locked else None


def appeal_find_by_receipt(*, school: School, code: str) -> Found | None:
    """The appeal a receipt code belongs to, or None; the code is never stored."""
    normal = crypto.receipt_code_normalise(code)
    if normal is None:
        return None
    box = Box.objects.filter(school=school).first()
    if box is None:
        return None
    secrets = crypto.receipt_derive(normal, bytes(box.receipt_salt))
    sealed = SealedAppeal.objects.filter(school=school, receipt_lookup=secrets.lookup).first()
    return Found(sealed=sealed, reply_key=secrets.reply_key) if sealed else None


@dataclass(frozen=True)
class ChainDamage:
    """One place where the chain of sealed appeals does not hold."""

    seq: int
    what: str  # "altered", "missing", "inserted or reordered", "head"


# A gap longer than this is named by its first and last places only.
_MISSING_NAMED = 1000


def _missing(first: int, last: int) -> list[ChainDamage]:
    """The places first..last, none of which is in the box."""
    if last < first:
        return []
    if last - first + 1 > _MISSING_NAMED:
        return [ChainDamage(first, "missing"), ChainDamage(last, "missing")]
    return [ChainDamage(seq, "missing") for seq in range(first, last + 1)]


def chain_verify(
    *, school: School, since_seq: int = 0, since_head: bytes = crypto.GENESIS
) -> list[ChainDamage]:
    """Recompute the chain from a checkpoint; name every place where it breaks.

    Each appeal must follow the one at the place before it. An appeal whose predecessor is
    missing is not blamed for it: the missing place is named, once. Places beyond the box's
    count were never sealed by the box.
    """
    damage: list[ChainDamage] = []
    box = Box.objects.filter(school=school).first()
    sealed = box.count if box is not None else None
    last_seq, last_hash = since_seq, since_head
    for appeal in (
        SealedAppeal.objects.filter(school=school, seq__gt=since_seq).order_by("seq").iterator()
    ):
        if sealed is not None and appeal.seq > sealed:
            damage.append(ChainDamage(appeal.seq, "inserted or reordered"))
            continue
        damage.extend(_missing(last_seq + 1, appeal.seq - 1))
        if appeal.seq == last_seq + 1 and bytes(appeal.prev_hash) != last_hash:
            damage.append(ChainDamage(appeal.seq, "inserted or reordered"))
        recomputed = crypto.chain_link(
            bytes(appeal.prev_hash), bytes(appeal.ciphertext), appeal.chain_metadata()
        )
        if recomputed != bytes(appeal.chain_hash):
            damage.append(ChainDamage(appeal.seq, "altered"))
        last_seq, last_hash = appeal.seq, bytes(appeal.chain_hash)
    if box is not None:
        if box.count < since_seq:
            damage.append(ChainDamage(box.count, "head"))
        else:
            damage.extend(_missing(last_seq + 1, box.count))
            if last_seq == box.count and bytes(box.head) != last_hash:
                damage.append(ChainDamage(box.count, "head"))
    return damage


def box_head(school: School, day: datetime.date | None = None) -> Head:
    """The head of the school's box: now, or as it stood when a day began (for the digest)."""
    if day is None:
        box = Box.objects.filter(school=school).first()
        if box is None:
            return Head(count=0, head=crypto.GENESIS.hex())
        return Head(count=box.count, head=bytes(box.head).hex())
    last = (
        SealedAppeal.objects.filter(school=school, received_on__lt=day)
        .order_by("-seq")
        .values_list("seq", "chain_hash")
        .first()
    )
    if last is None:
        return Head(count=0, head=crypto.GENESIS.hex())
    return Head(count=last[0], head=bytes(last[1]).hex())


def box_head_holds(school: School, recorded: Head) -> bool:
    """Is a head recorded earlier still the appeal at its place in the box's chain?"""
    if recorded.count == 0:
        return True
    return SealedAppeal.objects.filter(
        school=school, seq=recorded.count, chain_hash=bytes.fromhex(recorded.head)
    ).exists()


def sealed_waiting(*, school: School, up_to_seq: int) -> QuerySet[SealedAppeal]:
    """The sealed appeals still in the box, up to a place in the chain, in order."""
    return SealedAppeal.objects.filter(school=school, seq__lte=up_to_seq).in_box().order_by("seq")


def sealed_mark_opened(*, pks: Iterable[int]) -> None:
    """Note that these appeals were taken out of the box (at an opening)."""
    SealedAppeal.objects.filter(pk__in=list(pks)).update(opened=True)


def sealed_set_aside(*, pks: Iterable[int]) -> None:
    """Keep these appeals, which did not open, as they are: evidence, never tried again."""
    SealedAppeal.objects.filter(pk__in=list(pks)).update(set_aside=True)
