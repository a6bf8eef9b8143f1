"""Sealing appeals into the box, finding them by receipt, the opening's pass over the chain."""

from __future__ import annotations

import base64
import dataclasses
import datetime
import hashlib
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass

from django.db import IntegrityError, transaction
from django.db.models import Q
from django.utils import timezone

from trustbox.audit.digests import Head
from trustbox.box.chain import ChainCheck, ChainDamage, SealedRow, sealed_rows
from trustbox.box.envelope import Envelope
from trustbox.box.models import Box, SealedAppeal, SpentForm
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
    appeal = SealedAppeal(
        school=school,
        box_key_id=box_key_id,
        urgent=envelope.urgent,
        paper=paper,
        ciphertext=ciphertext,
        receipt_lookup=receipt.lookup if receipt else None,
        writer_key_locked=writer_key_locked,
    )
    return Receipt(sealed=sealed_chain_in(appeal, form_token=form_token), code=code)


def sealed_chain_in(appeal: SealedAppeal, *, form_token: str = "") -> SealedAppeal:
    """Spend the form, link a sealed appeal into its school's chain and store it, in one
    transaction (appeal_submit; box.sealed_intake for envelopes sealed in a browser)."""
    school = appeal.school
    with transaction.atomic():
        if form_token:
            form_spend(form_token)
        count, head = (
            Box.objects.select_for_update().filter(school=school).values_list("count", "head").get()
        )
        appeal.seq = count + 1
        appeal.received_on = timezone.localdate()
        appeal.prev_hash = bytes(head)
        appeal.chain_hash = crypto.chain_link(
            bytes(head), bytes(appeal.ciphertext), appeal.chain_metadata()
        )
        appeal.save(force_insert=True)
        Box.objects.filter(school=school).update(count=appeal.seq, head=appeal.chain_hash)
        appeal_sealing.send(sender=SealedAppeal, appeal=appeal)
        if appeal.urgent:
            transaction.on_commit(lambda: urgent_appeal_notify(school=school))
    return appeal


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
    salt = bytes(box.receipt_salt)
    secrets = crypto.receipt_derive(normal, salt)
    sealed = SealedAppeal.objects.filter(school=school, receipt_lookup=secrets.lookup).first()
    if sealed is not None:
        return Found(sealed=sealed, reply_key=secrets.reply_key)
    if sum(ch.isdigit() for ch in normal) != crypto.RECEIPT_DIGITS:
        return None
    # Not a code made on the server: one made in the writer's browser (seal.js), perhaps.
    lookup, reply_key = crypto.browser_receipt_derive(normal, salt)
    sealed = SealedAppeal.objects.filter(school=school, receipt_lookup=lookup).first()
    return Found(sealed=sealed, reply_key=reply_key) if sealed else None


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
        yield from sealed_rows(self.school, after=0, up_to=before)
        for row in sealed_rows(self.school, after=self.since_seq):
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
