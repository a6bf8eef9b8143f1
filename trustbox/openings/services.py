"""The opening ceremony (cl. 3.1–3.3): open the box, check the seal, take appeals out.

The gathering of the quorum is in `openings.gathering`, the renewal of the box key in
`openings.renewal`.
"""

from __future__ import annotations

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
from trustbox.box.services import appeal_submit, box_for
from trustbox.commission.models import Commission
from trustbox.openings.actions import OpeningAction
from trustbox.openings.checkpoint import Checkpoint, checkpoint_of, opening_vouched
from trustbox.openings.gathering import box_private_gather, gathering_check, gathering_wipe
from trustbox.openings.models import Opening, Participant
from trustbox.openings.takeout import Taken, take_out
from trustbox.registry.keys import registry_key_prepare
from trustbox.seal import crypto
from trustbox.seal.models import BoxKey


@transaction.atomic
def paper_appeal_add(*, opening: Opening, by: User, envelope: Envelope) -> SealedAppeal:
    """Seal a paper appeal from the foyer box into the digital one, to be opened with the rest."""
    gathering_check(opening)
    sealed = appeal_submit(school=opening.school, envelope=envelope, paper=True).sealed
    audit_write(
        school=opening.school,
        actor=by,
        action=OpeningAction.PAPER_ADD,
        target=opening,
        details={"seq": sealed.seq},
    )
    return sealed


def _private_keys(box_key: BoxKey, box_private: bytes) -> dict[int, bytes]:
    """The private halves of this key and of every key it replaced, in memory only."""
    keys = {box_key.pk: box_private}
    while box_key.previous_id is not None and box_key.previous_private_sealed is not None:
        box_private = crypto.open_with_box_key(box_private, bytes(box_key.previous_private_sealed))
        box_key = BoxKey.objects.get(pk=box_key.previous_id)
        keys[box_key.pk] = box_private
    return keys


@transaction.atomic
def opening_open(
    *, opening: Opening, by: User, browser_key: bytes, box_note: str = "", copies: int = 2
) -> Opening:
    """Open the box with the members' shares, check the chain, move the appeals to the registry.

    The box private key exists only in this call. Appeals received today (but the urgent and
    paper ones) and those that arrive after this moment wait for the next opening.
    """
    opening = Opening.objects.select_for_update().get(pk=opening.pk)
    gathering_check(opening)
    if opening.is_renewal:
        raise ValidationError(_("This gathering is for renewing the box key."))
    participants = list(opening.participants.select_related("member"))
    box_private = box_private_gather(opening, participants, browser_key)

    school = opening.school
    box = Box.objects.select_for_update().get(pk=box_for(school).pk)
    checkpoint = checkpoint_of(school)
    commission = Commission.objects.current(school)
    if commission is None:
        raise ValidationError(_("No commission is appointed yet."))
    # Before any appeal is taken out: a new commission gets a new registry key first.
    registry_key, _registry_private = registry_key_prepare(
        school=school,
        box_key=opening.box_key,
        box_private=box_private,
        commission=commission,
        by=by,
    )
    taken, damage = take_out(
        opening, box, checkpoint, _private_keys(opening.box_key, box_private), registry_key
    )
    _opening_record(opening, checkpoint, damage, taken, box_note, copies)
    # The log vouches for the row: its place in the box, its counts and its damage list.
    audit_write(
        school=school,
        actor=by,
        action=OpeningAction.OPEN,
        target=opening,
        details={**opening_vouched(opening), "present": [p.member_id for p in participants]},
    )
    return opening


def _opening_record(
    opening: Opening,
    checkpoint: Checkpoint,
    damage: list[dict[str, object]],
    taken: Taken,
    box_note: str,
    copies: int,
) -> None:
    """Write the opening's journal line and wipe what the gathering held."""
    opening.status = Opening.Status.OPENED
    opening.opened_at = timezone.now()
    opening.journal_number = (
        Opening.objects.for_school(opening.school).aggregate(n=Max("journal_number"))["n"] or 0
    ) + 1
    opening.box_note = box_note
    opening.copies = copies
    opening.from_seq, opening.from_head = checkpoint.seq, checkpoint.head
    opening.damage = damage
    opening.online_count, opening.paper_count = taken.online, taken.paper
    gathering_wipe(opening)
    opening.save()


def seal_code(opening: Opening) -> str:
    return crypto.chain_code(bytes(opening.new_head)) if opening.new_head is not None else ""


@transaction.atomic
def opening_confirm_seal(*, opening: Opening, member: User, screen_of: User | None = None) -> None:
    """A member present confirms the new seal code written in the journal (cl. 3.3).

    screen_of: the person signed in on the shared screen where the member confirmed (having
    proved their own password and authenticator code), if not on the member's own device.
    """
    if not opening.is_opened or opening.is_renewal:
        raise ValidationError(_("Only members present at the opening confirm its seal."))
    participant = Participant.objects.filter(opening=opening, member=member).first()
    if participant is None:
        raise ValidationError(_("Only members present at the opening confirm its seal."))
    if participant.confirmed_seal:
        raise ValidationError(
            _("%(name)s has already confirmed the seal code.") % {"name": member.full_name}
        )
    participant.confirmed_seal = True
    participant.save(update_fields=["confirmed_seal"])
    audit_write(
        school=opening.school,
        actor=member,
        action=OpeningAction.CONFIRM_SEAL,
        target=opening,
        details={"screen_of": screen_of.pk} if screen_of and screen_of != member else {},
    )


# What the check of the digital seal found, in plain words; № counts the appeals in the
# order the box received them.
DAMAGE = {
    "altered": gettext_noop("Appeal № %(seq)s was changed after it was put in the box."),
    "missing": gettext_noop("Appeal № %(seq)s is missing from the box."),
    "inserted or reordered": gettext_noop(
        "At № %(seq)s an appeal was added to the box, or the order of the appeals was changed."
    ),
    "head": gettext_noop(
        "The box's record of its last appeal (№ %(seq)s) does not match the appeals in it."
    ),
    "unreadable": gettext_noop(
        "Appeal № %(seq)s could not be opened with the box key; it is kept aside as evidence."
    ),
    "hidden": gettext_noop(
        "Appeal № %(seq)s was marked in the database as taken out or set aside, though no "
        "opening had done so; this opening accounted for it."
    ),
    "returned": gettext_noop(
        "Appeal № %(seq)s, taken out at an earlier opening, was marked in the database as "
        "still in the box; it was not taken out again."
    ),
    "withdrawal unrecorded": gettext_noop(
        "Appeal № %(seq)s was marked in the database as taken back by its writer, though the "
        "audit log holds no such request; it was opened with the others."
    ),
    "erased": gettext_noop(
        "Appeal № %(seq)s was erased in the database while it was still in the box; it could "
        "not be taken out."
    ),
    "checkpoint": gettext_noop(
        "The journal's record of the last opening (up to № %(seq)s) does not match the audit "
        "log; the check started where the audit log says that opening ended."
    ),
}


def damage_lines(opening: Opening) -> list[str]:
    """What the check of the digital seal found wrong, one sentence each, in the active language."""
    return [
        _(DAMAGE.get(str(item["what"]), str(item["what"]))) % {"seq": item["seq"]}
        for item in opening.damage
    ]


def seal_finding(opening: Opening) -> str:
    """Whether the check of the digital seal found the box whole, in plain words."""
    if opening.damage:
        return _("The digital seal is broken. The check found:")
    return _(
        "The digital seal is whole: since the last opening no appeal was taken out of the box, "
        "changed, added or put out of order."
    )
