"""The opening ceremony (cl. 3.1–3.3): gather a quorum, check the seal, take appeals out."""

from __future__ import annotations

import base64
from dataclasses import dataclass

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Max
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_noop

from trustbox.accounts.models import User
from trustbox.audit.services import audit_write
from trustbox.box.envelope import Envelope
from trustbox.box.models import Box, SealedAppeal
from trustbox.box.services import appeal_submit, box_for, chain_verify
from trustbox.commission.models import Commission
from trustbox.openings.models import Opening, Participant
from trustbox.registry.deadlines import register_by
from trustbox.registry.models import Appeal, Source
from trustbox.registry.services import registry_key_prepare
from trustbox.schools.models import School
from trustbox.seal import crypto
from trustbox.seal.models import BoxKey, KeyShare
from trustbox.seal.services import box_key_renew, share_unlock


def _gathering(opening: Opening) -> None:
    if opening.status != Opening.Status.GATHERING:
        raise ValidationError(_("This opening is already over."))


@transaction.atomic
def opening_start(
    *, school: School, by: User, purpose: str = Opening.Purpose.OPEN
) -> tuple[Opening, bytes]:
    """Start gathering the commission; return the opening and the key for the starter's browser."""
    commission = Commission.objects.current(school)
    box_key = BoxKey.objects.current(school)
    if box_key is None or commission is None:
        raise ValidationError(_("The box is not sealed yet: there is nothing to open."))
    if Opening.objects.for_school(school).filter(status=Opening.Status.GATHERING).exists():
        raise ValidationError(_("An opening is already gathering the commission: join it."))
    pair = crypto.box_keypair_generate()
    browser_key, session_private_locked = crypto.lock_for_browser(pair.private)
    opening = Opening.objects.create(
        school=school,
        purpose=purpose,
        box_key=box_key,
        started_by=by,
        session_public_key=pair.public,
        session_private_locked=session_private_locked,
    )
    audit_write(
        school=school,
        actor=by,
        action="opening.start",
        target=opening,
        details={"purpose": purpose},
    )
    return opening, browser_key


@transaction.atomic
def opening_join(*, opening: Opening, member: User, password: str) -> Participant:
    """Unlock the member's share with their password and seal it to this opening's session key."""
    _gathering(opening)
    if not KeyShare.objects.filter(box_key=opening.box_key, holder=member).exists():
        raise ValidationError(
            _("%(name)s holds no part of this box key.") % {"name": member.full_name}
        )
    if Participant.objects.filter(opening=opening, member=member).exists():
        raise ValidationError(_("%(name)s has already joined.") % {"name": member.full_name})
    try:
        share = share_unlock(box_key=opening.box_key, user=member, password=password)
    except crypto.SealError as error:
        raise ValidationError(_("The password is not right.")) from error
    participant = Participant.objects.create(
        opening=opening,
        member=member,
        sealed_share=crypto.seal_for_box(bytes(opening.session_public_key), share.encode()),
    )
    audit_write(school=opening.school, actor=member, action="opening.join", target=opening)
    return participant


@dataclass(frozen=True)
class Progress:
    present: list[User]
    reserve: int
    threshold: int

    @property
    def still_needed(self) -> int:
        return max(0, self.threshold - len(self.present) - self.reserve)


def opening_progress(opening: Opening) -> Progress:
    participants = list(opening.participants.select_related("member"))
    return Progress(
        present=[p.member for p in participants if p.member is not None],
        reserve=sum(1 for p in participants if p.reserve),
        threshold=opening.box_key.threshold,
    )


def paper_appeal_add(*, opening: Opening, by: User, envelope: Envelope) -> SealedAppeal:
    """Seal a paper appeal from the foyer box into the digital one, to be opened with the rest."""
    _gathering(opening)
    appeal_submit(school=opening.school, envelope=envelope, paper=True)
    sealed = SealedAppeal.objects.filter(school=opening.school).order_by("-seq").first()
    assert sealed is not None
    audit_write(
        school=opening.school,
        actor=by,
        action="opening.paper_add",
        target=opening,
        details={"seq": sealed.seq},
    )
    return sealed


def _box_private(opening: Opening, participants: list[Participant], browser_key: bytes) -> bytes:
    """Put the box key together from the shares gathered, in memory only."""
    if len(participants) < opening.box_key.threshold:
        raise ValidationError(
            _("%(needed)d more members must join before the box can be opened.")
            % {"needed": opening.box_key.threshold - len(participants)}
        )
    try:
        session_private = crypto.unlock_from_browser(
            browser_key, bytes(opening.session_private_locked)
        )
    except crypto.SealError as error:
        raise ValidationError(
            _("Open the box on the device where this opening was started.")
        ) from error
    shares = [
        crypto.open_with_box_key(session_private, bytes(p.sealed_share)).decode()
        for p in participants
    ]
    try:
        box_private = crypto.combine_box_key(shares)
    except crypto.SealError as error:
        raise ValidationError(_("The parts do not make this box's key.")) from error
    if crypto.box_public_from_private(box_private) != bytes(opening.box_key.public_key):
        raise ValidationError(_("The parts do not make this box's key."))
    return box_private


def _private_keys(box_key: BoxKey, box_private: bytes) -> dict[int, bytes]:
    """The private halves of this key and of every key it replaced, in memory only."""
    keys = {box_key.pk: box_private}
    while box_key.previous_id is not None and box_key.previous_private_sealed is not None:
        box_private = crypto.open_with_box_key(box_private, bytes(box_key.previous_private_sealed))
        box_key = BoxKey.objects.get(pk=box_key.previous_id)
        keys[box_key.pk] = box_private
    return keys


def _checkpoint(school: School) -> tuple[int, bytes]:
    last = Opening.objects.for_school(school).done().order_by("-journal_number").first()
    if last is None or last.new_head is None:
        return 0, crypto.GENESIS
    return last.to_seq, bytes(last.new_head)


@transaction.atomic
def opening_open(
    *, opening: Opening, by: User, browser_key: bytes, box_note: str = "", copies: int = 2
) -> Opening:
    """Open the box with the members' shares, check the chain, move the appeals to the registry.

    The box private key exists only in this call. Appeals that arrive after this moment wait
    for the next opening.
    """
    opening = Opening.objects.select_for_update().get(pk=opening.pk)
    _gathering(opening)
    if opening.purpose != Opening.Purpose.OPEN:
        raise ValidationError(_("This gathering is for renewing the box key."))
    participants = list(opening.participants.select_related("member"))
    box_private = _box_private(opening, participants, browser_key)

    school = opening.school
    box = Box.objects.select_for_update().get(pk=box_for(school).pk)
    since_seq, since_head = _checkpoint(school)
    damage = [
        {"seq": d.seq, "what": d.what}
        for d in chain_verify(school=school, since_seq=since_seq, since_head=since_head)
    ]

    commission = Commission.objects.current(school)
    holders = list(commission.members.all()) if commission else []
    registry_key, _registry_private = registry_key_prepare(
        school=school, box_key=opening.box_key, box_private=box_private, holders=holders
    )
    privates = _private_keys(opening.box_key, box_private)
    waiting = SealedAppeal.objects.filter(school=school, opened=False, seq__lte=box.count).order_by(
        "seq"
    )
    online = paper = 0
    to_register_by = register_by(timezone.localdate())
    for number, sealed in enumerate(waiting, start=1):
        try:
            plaintext = crypto.open_with_box_key(
                privates[sealed.box_key_id], bytes(sealed.ciphertext)
            )
        except (crypto.SealError, KeyError):
            damage.append({"seq": sealed.seq, "what": "unreadable"})
            continue
        envelope = Envelope.from_bytes(plaintext)
        Appeal.objects.create(
            school=school,
            opening=opening,
            number_in_act=number,
            source=Source.PAPER if sealed.paper else Source.ONLINE,
            received_on=sealed.received_on,
            kind=envelope.kind,
            category=envelope.category,
            urgent=envelope.urgent,
            signed=envelope.writer is not None,
            register_by=to_register_by,
            writer_public_key=base64.b64decode(envelope.reply_public)
            if envelope.reply_public
            else None,
            registry_key=registry_key,
            sealed_content=crypto.seal_for_box(bytes(registry_key.public_key), plaintext),
            sealed_appeal=sealed,
        )
        sealed.opened = True
        sealed.save(update_fields=["opened"])
        paper, online = (paper + 1, online) if sealed.paper else (paper, online + 1)

    opening.status = Opening.Status.OPENED
    opening.opened_at = timezone.now()
    opening.journal_number = (
        Opening.objects.for_school(school).aggregate(n=Max("journal_number"))["n"] or 0
    ) + 1
    opening.box_note = box_note
    opening.copies = copies
    opening.from_seq, opening.from_head = since_seq, since_head
    opening.to_seq, opening.new_head = box.count, bytes(box.head)
    opening.damage = damage
    opening.online_count, opening.paper_count = online, paper
    opening.session_private_locked = b""
    opening.save()
    Participant.objects.filter(opening=opening).update(sealed_share=b"")
    audit_write(
        school=school,
        actor=by,
        action="opening.open",
        target=opening,
        details={
            "journal_number": opening.journal_number,
            "online": online,
            "paper": paper,
            "damage": damage,
            "seal": crypto.chain_code(bytes(box.head)),
            "present": [p.member_id for p in participants],
        },
    )
    return opening


def seal_code(opening: Opening) -> str:
    return crypto.chain_code(bytes(opening.new_head)) if opening.new_head is not None else ""


@transaction.atomic
def opening_confirm_seal(*, opening: Opening, member: User) -> None:
    """A member present confirms the new seal code written in the journal (cl. 3.3)."""
    updated = Participant.objects.filter(opening=opening, member=member).update(confirmed_seal=True)
    if not updated or opening.status != Opening.Status.OPENED:
        raise ValidationError(_("Only members present at the opening confirm its seal."))
    audit_write(school=opening.school, actor=member, action="opening.confirm_seal", target=opening)


@transaction.atomic
def opening_cancel(*, opening: Opening, by: User) -> None:
    _gathering(opening)
    opening.status = Opening.Status.CANCELLED
    opening.session_private_locked = b""
    opening.save(update_fields=["status", "session_private_locked"])
    Participant.objects.filter(opening=opening).update(sealed_share=b"")
    audit_write(school=opening.school, actor=by, action="opening.cancel", target=opening)


DAMAGE = {
    "altered": gettext_noop("an appeal in the box was altered"),
    "missing": gettext_noop("an appeal is missing from the box"),
    "inserted or reordered": gettext_noop("an appeal was inserted or the order was changed"),
    "head": gettext_noop("the seal does not match the last appeal in the box"),
    "unreadable": gettext_noop("an appeal could not be opened with the box key"),
}


def damage_lines(opening: Opening) -> list[str]:
    """The damage of the digital seal, named precisely, in the active language."""
    return [
        _("Place № %(seq)s: %(what)s.")
        % {"seq": item["seq"], "what": _(DAMAGE.get(item["what"], item["what"]))}
        for item in opening.damage
    ]


@transaction.atomic
def reserve_share_add(*, opening: Opening, by: User, words: str) -> Participant:
    """Count a reserve part from the school safe, typed in, as one more share of the quorum."""
    _gathering(opening)
    mnemonic = " ".join(words.lower().split())
    if not crypto.share_is_valid(mnemonic):
        raise ValidationError(
            _("These words are not a reserve part: check every word and try again.")
        )
    participant = Participant.objects.create(
        opening=opening,
        member=None,
        reserve=True,
        sealed_share=crypto.seal_for_box(bytes(opening.session_public_key), mnemonic.encode()),
    )
    audit_write(school=opening.school, actor=by, action="opening.reserve_add", target=opening)
    return participant


@transaction.atomic
def rekey_finish(*, opening: Opening, by: User, browser_key: bytes) -> tuple[BoxKey, list[str]]:
    """With a quorum gathered, renew the box key for the commission in force; return the reserve."""
    opening = Opening.objects.select_for_update().get(pk=opening.pk)
    _gathering(opening)
    if opening.purpose != Opening.Purpose.REKEY:
        raise ValidationError(_("This gathering is for opening the box."))
    participants = list(opening.participants.select_related("member"))
    old_private = _box_private(opening, participants, browser_key)
    new_key, reserve = box_key_renew(
        school=opening.school, by=by, old_key=opening.box_key, old_private=old_private
    )
    commission = Commission.objects.current(opening.school)
    registry_key_prepare(
        school=opening.school,
        box_key=new_key,
        box_private=old_private,
        holders=list(commission.members.all()) if commission else [],
    )
    opening.status = Opening.Status.OPENED
    opening.opened_at = timezone.now()
    opening.session_private_locked = b""
    opening.save(update_fields=["status", "opened_at", "session_private_locked"])
    Participant.objects.filter(opening=opening).update(sealed_share=b"")
    audit_write(
        school=opening.school,
        actor=by,
        action="opening.rekey",
        target=opening,
        details={
            "present": [p.member_id for p in participants if p.member_id],
            "reserve_parts": sum(1 for p in participants if p.reserve),
            "new_key": new_key.pk,
        },
    )
    return new_key, reserve
