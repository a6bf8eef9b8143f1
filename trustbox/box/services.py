"""Sealing appeals into the box, finding them by receipt, checking the chain."""

from __future__ import annotations

import base64
import dataclasses
import datetime
import hashlib
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass

from django.db import IntegrityError, connection, transaction
from django.db.models import Q
from django.utils import timezone

from trustbox.audit.digests import Head
from trustbox.box.envelope import Envelope
from trustbox.box.models import Box, SealedAppeal, SpentForm, chain_metadata
from trustbox.box.notify import urgent_appeal_notify
from trustbox.box.selectors import WriterBox
from trustbox.box.signals import appeal_sealing
from trustbox.schools.models import School
from trustbox.seal import crypto
from trustbox.seal.models import BoxKey


class BoxNotReady(Exception):
    """The school's commission has not made its box key yet."""


class AlreadyInTheBox(Exception):
    """The form's token was spent: its appeal went into the box when it was first sent."""


# A signed form token lives a day; a day more covers a form served just before midnight.
SPENT_FORMS_KEPT_DAYS = 2


def form_spend(token: str) -> None:
    """Mark the form spent, inside the caller's transaction; AlreadyInTheBox if it was.

    No savepoint: AlreadyInTheBox leaves the caller's transaction, which is rolled back whole.
    On PostgreSQL a second sending waits here until the first one commits or rolls back.
    """
    digest = hashlib.sha256(token.encode()).hexdigest()
    try:
        SpentForm.objects.create(digest=digest, spent_on=timezone.localdate())
    except IntegrityError as error:
        raise AlreadyInTheBox from error


def spent_forms_forget(*, today: datetime.date) -> int:
    """Delete the marks of forms too old to be sent again; return how many."""
    oldest_kept = today - datetime.timedelta(days=SPENT_FORMS_KEPT_DAYS)
    deleted, _counts = SpentForm.objects.filter(spent_on__lt=oldest_kept).delete()
    return deleted


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


def _box_key_of(school: School, into: WriterBox | None) -> tuple[int, bytes]:
    """The box key's id and public half, as the writer's form read them, or read here."""
    if into is not None and into.box_key_id is not None and into.box_public is not None:
        return into.box_key_id, into.box_public
    box_key = BoxKey.objects.current(school)
    if box_key is None:
        raise BoxNotReady
    return box_key.pk, bytes(box_key.public_key)


def appeal_submit(
    *,
    school: School,
    envelope: Envelope,
    paper: bool = False,
    into: WriterBox | None = None,
    form_token: str = "",
) -> Receipt:
    """Seal the envelope to the box key, link it into the chain and store it; return the receipt.

    The plaintext exists only in this call's memory. No audit row is written: its time of day
    would say more than the day the box keeps. `into` is the box as the writer's form read it
    with the school (box key and salt, in one query); without it they are read here. The
    receipt is derived before the transaction: the box's lock is held for the insert only.
    A form's token is spent in the same transaction: AlreadyInTheBox if it was before.
    """
    box_key_id, box_public = _box_key_of(school, into)
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
        if form_token:
            form_spend(form_token)
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


def _rows(school: School, *, after: int, up_to: int | None = None) -> Iterator[SealedRow]:
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
    for row in _rows(school, after=since_seq):
        check.add(row)
    return check.finish()


class OpeningPass:
    """One pass over the box for an opening: the chain checked on the way from the checkpoint,
    and every appeal the opening must account for handed on in order, up to the box's count.

    `box` is the school's box, locked by the opening's transaction. The ciphertexts are read
    a batch at a time and never all held. `damage()` and the cut-off place are complete once
    `waiting()` is done.

    The opening's cut-off is a day, not a moment: the appeals received on `today` stay in the
    box for the next opening (but the urgent and paper ones), and the opening's place in the
    box (`cut_seq`) is the one before the first of them, so that neither which opening took
    an appeal out nor where the opening stopped tells whether its writer wrote before or after
    it. Without `today` (the demo, the tests) the opening takes everything in the box.

    Every place after the checkpoint is handed on whatever its flags say: only an opening
    takes an appeal out or sets it aside, and none has been past the checkpoint but for the
    places the last one took out beyond its cut-off (`beyond`, as the audit log holds them).
    One already marked taken out or set aside was hidden in the database: it is named as
    damage ("hidden") and handed on all the same, so that the opening accounts for it.
    """

    def __init__(
        self,
        *,
        school: School,
        box: Box,
        since: tuple[int, bytes],
        today: datetime.date | None = None,
        beyond: Iterable[int] = (),
    ) -> None:
        self.school, self.box, self.today = school, box, today
        self.since_seq = since[0]
        self.beyond = set(beyond)
        self.check = ChainCheck(box=box, since_seq=since[0], since_head=since[1])
        self.hidden: list[int] = []
        # Where the opening stops: the place before the first appeal that stays, and the
        # chain's head there; None while no appeal stays (then: the box's count and head).
        self.cut: tuple[int, bytes] | None = None

    def stays(self, row: SealedRow) -> bool:
        """Does this appeal stay in the box for the next opening (received today)?

        Not an urgent one (the reason to open early; its alert already went out by mail),
        nor a paper one (typed in by the commission at this opening).
        """
        return row.received_on == self.today and not row.urgent and not row.paper

    @property
    def cut_seq(self) -> int:
        return self.cut[0] if self.cut is not None else self.box.count

    @property
    def cut_head(self) -> bytes:
        return self.cut[1] if self.cut is not None else bytes(self.box.head)

    def waiting(self) -> Iterator[SealedRow]:
        # Appeals before the checkpoint still in the box (none, unless one was put back).
        before = min(self.since_seq, self.box.count)
        yield from _rows(self.school, after=0, up_to=before)
        for row in _rows(self.school, after=self.since_seq):
            self.check.add(row)
            if row.seq > self.box.count:
                continue
            if self.stays(row):
                if self.cut is None:
                    self.cut = (row.seq - 1, row.prev_hash)
                continue
            if not row.in_box:
                if row.seq in self.beyond:
                    continue
                self.hidden.append(row.seq)
            yield row

    def damage(self) -> list[ChainDamage]:
        return [*self.check.finish(), *(ChainDamage(seq, "hidden") for seq in self.hidden)]


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


@dataclass(frozen=True)
class OpeningOutcome:
    """What an opening did with the places it accounted for (see sealed_mark_opened)."""

    after_seq: int  # its checkpoint
    up_to_seq: int  # its cut-off place: the last before the appeals that stay in the box
    set_aside: Sequence[int] = ()  # appeals (ids) that did not open
    beyond: Sequence[int] = ()  # places past the cut-off taken out (urgent, paper)


def sealed_mark_opened(*, school: School, outcome: OpeningOutcome) -> int:
    """Note what an opening did with every place it accounted for.

    After the opening took the appeals out: those that did not open are kept as they are,
    evidence never tried again; every other place since the checkpoint up to the cut-off,
    and those taken out beyond it, are taken out, whatever their flags said; before the
    checkpoint, those set aside stay so. The box keeps how far openings went, so that a
    writer's page never says "in the box" for a place an opening passed. Return how many
    places were marked taken out.
    """
    aside = list(outcome.set_aside)
    appeals = SealedAppeal.objects.filter(school=school)
    appeals.filter(pk__in=aside).update(set_aside=True, opened=False)
    rows = appeals.exclude(pk__in=aside)
    accounted = Q(seq__gt=outcome.after_seq, seq__lte=outcome.up_to_seq) | Q(
        seq__in=list(outcome.beyond)
    )
    marked = rows.filter(accounted).update(opened=True, set_aside=False)
    marked += rows.filter(seq__lte=outcome.after_seq).in_box().update(opened=True)
    Box.objects.filter(school=school).update(opened_to=outcome.up_to_seq)
    return marked
