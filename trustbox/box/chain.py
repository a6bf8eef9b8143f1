"""The box's chain: every sealed appeal checked against the one before it, and named where
it breaks (an appeal altered, inserted, reordered or missing; an erased one by its digest)."""

from __future__ import annotations

import dataclasses
import datetime
from collections.abc import Iterator
from dataclasses import dataclass

from django.db import connection

from trustbox.box.models import Box, chain_metadata
from trustbox.schools.models import School
from trustbox.seal import crypto


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


class ChainCheck:
    """Check the chain one appeal at a time, in the order of the places; name where it breaks.

    Each appeal must follow the one at the place before it. An appeal whose predecessor is
    missing is not blamed for it: the missing place is named, once. Places beyond the box's
    count were never sealed by the box.
    """

    def __init__(self, *, box: Box | None, since_seq: int, since_head: bytes) -> None:
        self.box = box
        self.since_seq = since_seq
        self.sealed = box.count if box is not None else None
        self.last_seq, self.last_hash = since_seq, since_head
        self.damage: list[ChainDamage] = []

    def add(self, row: SealedRow) -> None:
        """Check the next appeal after the checkpoint."""
        if self.sealed is not None and row.seq > self.sealed:
            self.damage.append(ChainDamage(row.seq, "inserted or reordered"))
            return
        self.damage.extend(_missing(self.last_seq + 1, row.seq - 1))
        if row.seq == self.last_seq + 1 and row.prev_hash != self.last_hash:
            self.damage.append(ChainDamage(row.seq, "inserted or reordered"))
        if row.link() != row.chain_hash:
            self.damage.append(ChainDamage(row.seq, "altered"))
        self.last_seq, self.last_hash = row.seq, row.chain_hash

    def finish(self) -> list[ChainDamage]:
        """The damage found, with the box's head checked against the last appeal."""
        box = self.box
        if box is not None:
            if box.count < self.since_seq:
                self.damage.append(ChainDamage(box.count, "head"))
            else:
                self.damage.extend(_missing(self.last_seq + 1, box.count))
                if self.last_seq == box.count and bytes(box.head) != self.last_hash:
                    self.damage.append(ChainDamage(box.count, "head"))
        return self.damage


@dataclass(slots=True)
class SealedRow:
    """A sealed appeal as an opening reads it: only the columns the chain and the opening need.

    Not frozen: an opening makes one for every appeal, and a frozen dataclass is slower to make.
    """

    pk: int
    seq: int
    box_key_id: int
    paper: bool
    received_on: datetime.date
    in_box: bool
    metadata: list[str | int]
    prev_hash: bytes
    chain_hash: bytes
    ciphertext: bytes = dataclasses.field(repr=False)
    urgent: bool = False
    # An erased appeal's: its ciphertext is gone (empty), its SHA-256 stays for the chain.
    ciphertext_digest: bytes | None = None

    @property
    def erased(self) -> bool:
        """Erased for good (box/erasure.py): intact if its link holds, never to be opened."""
        return self.ciphertext_digest is not None

    def link(self) -> bytes | None:
        """The chain link its columns make (None: an erased appeal that still has a ciphertext)."""
        if self.ciphertext_digest is None:
            return crypto.chain_link(self.prev_hash, self.ciphertext, self.metadata)
        if self.ciphertext:
            return None
        return crypto.chain_link_from_digest(self.prev_hash, self.ciphertext_digest, self.metadata)


# Rows are read this many at a time: memory stays bounded however many appeals wait.
ROWS_AT_ONCE = 500
# Plain statements, a batch at a time from a place on (the index on school and place serves
# them): the ORM's per-row conversions cost as much as checking the chain.
_ROWS_AFTER = """
SELECT id, seq, box_key_id, received_on, urgent, paper, receipt_lookup, prev_hash, chain_hash,
       ciphertext, opened, set_aside, ciphertext_digest
FROM box_sealedappeal WHERE school_id = %s AND seq > %s ORDER BY seq LIMIT %s
"""
_ROWS_IN_BOX_AFTER = """
SELECT id, seq, box_key_id, received_on, urgent, paper, receipt_lookup, prev_hash, chain_hash,
       ciphertext, opened, set_aside, ciphertext_digest
FROM box_sealedappeal WHERE school_id = %s AND seq > %s AND seq <= %s
AND opened = %s AND set_aside = %s ORDER BY seq LIMIT %s
"""


def _day(value: datetime.date | str) -> datetime.date:
    """A date as the database gives it (SQLite: text)."""
    return datetime.date.fromisoformat(value) if isinstance(value, str) else value


def sealed_rows(school: School, *, after: int, up_to: int | None = None) -> Iterator[SealedRow]:
    """The school's sealed appeals after a place, in order, a batch at a time.

    With up_to, only those still in the box up to that place.
    """
    school_id = school.pk
    days: dict[datetime.date | str, datetime.date] = {}
    while True:
        with connection.cursor() as cursor:
            if up_to is None:
                cursor.execute(_ROWS_AFTER, [school_id, after, ROWS_AT_ONCE])
            else:
                cursor.execute(
                    _ROWS_IN_BOX_AFTER, [school_id, after, up_to, False, False, ROWS_AT_ONCE]
                )
            batch = cursor.fetchall()
        for row in batch:
            pk, seq, key, day, urgent, paper, lookup, prev, link, ciphertext, opened, aside = row[
                :12
            ]
            digest = row[12]
            if day not in days:
                days[day] = _day(day)
            received_on = days[day]
            paper = bool(paper)
            yield SealedRow(
                pk,
                seq,
                key,
                paper,
                received_on,
                not (opened or aside),
                chain_metadata(
                    school_id=school_id,
                    seq=seq,
                    received_on=received_on,
                    urgent=bool(urgent),
                    paper=paper,
                    box_key_id=key,
                    receipt_lookup=lookup,
                ),
                bytes(prev),
                bytes(link),
                bytes(ciphertext),
                bool(urgent),
                bytes(digest) if digest is not None else None,
            )
        if len(batch) < ROWS_AT_ONCE:
            return
        after = batch[-1][1]


def chain_verify(
    *, school: School, since_seq: int = 0, since_head: bytes = crypto.GENESIS
) -> list[ChainDamage]:
    """Recompute the chain from a checkpoint; name every place where it breaks (ChainCheck)."""
    box = Box.objects.filter(school=school).first()
    check = ChainCheck(box=box, since_seq=since_seq, since_head=since_head)
    for row in sealed_rows(school, after=since_seq):
        check.add(row)
    return check.finish()
