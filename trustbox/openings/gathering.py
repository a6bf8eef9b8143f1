"""Gathering the commission (cl. 3.1): start, join, reserve parts, cancel, expiry.

Both an opening of the box and a renewal of its key gather a quorum this way; the box key
is put together from the parts gathered only in memory (`box_private_gather`).
"""

from __future__ import annotations

import datetime
from dataclasses import dataclass

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import get_language, ngettext
from django.utils.translation import gettext as _

from trustbox.accounts.models import User
from trustbox.audit.services import audit_write
from trustbox.commission.models import Commission
from trustbox.commission.selectors import member_in_force
from trustbox.lib.dates import Case, long_date
from trustbox.openings import notify
from trustbox.openings.actions import OpeningAction
from trustbox.openings.models import Opening, Participant
from trustbox.schools.models import School
from trustbox.seal import crypto
from trustbox.seal.models import BoxKey, KeyShare
from trustbox.seal.services import box_key_replaced_by_share, share_unlock


def expires_before(now: datetime.datetime | None = None) -> datetime.datetime:
    """Openings started before this moment have expired."""
    return (now or timezone.now()) - datetime.timedelta(hours=settings.OPENING_HOURS)


def gathering_check(opening: Opening) -> None:
    """Refuse unless the opening is still gathering and has not run out of time."""
    if opening.is_expired or (opening.is_gathering and opening.started_at < expires_before()):
        raise ValidationError(
            ngettext(
                "This gathering was not finished within %(hours)d hour and has expired: "
                "the parts gathered for it are wiped. Start a new one.",
                "This gathering was not finished within %(hours)d hours and has expired: "
                "the parts gathered for it are wiped. Start a new one.",
                settings.OPENING_HOURS,
            )
            % {"hours": settings.OPENING_HOURS}
        )
    if not opening.is_gathering:
        raise ValidationError(
            _("This gathering is already over.")
            if opening.is_renewal
            else _("This opening is already over.")
        )


def gathering_wipe(opening: Opening) -> None:
    """Forget the session key's locked half and every part sealed to it."""
    opening.session_private_locked = b""
    Participant.objects.filter(opening=opening).update(sealed_share=b"")


@transaction.atomic
def openings_expire(*, school: School | None = None, now: datetime.datetime | None = None) -> int:
    """Expire the gatherings not finished in time and wipe their parts; return how many.

    Run whenever an opening is looked at or started, and by the daily command.
    """
    stale = Opening.objects.select_for_update().filter(
        status=Opening.Status.GATHERING, started_at__lt=expires_before(now)
    )
    if school is not None:
        stale = stale.filter(school=school)
    count = 0
    for opening in stale:
        opening.status = Opening.Status.EXPIRED
        gathering_wipe(opening)
        opening.save(update_fields=["status", "session_private_locked"])
        audit_write(
            school=opening.school,
            actor=None,
            action=OpeningAction.EXPIRE,
            target=opening,
            details={"hours": settings.OPENING_HOURS},
        )
        count += 1
    return count


def opening_code(opening: Opening) -> str:
    """The code of the key the members' parts are sealed to, as the database holds it."""
    return crypto.key_code(bytes(opening.session_public_key))


def screen_code(opening: Opening, browser_key: bytes | None) -> str | None:
    """The code of the key the starting screen holds (its cookie opens it); None if it does not.

    Worked out from the private half the screen unlocks, not from the database's public half:
    if someone put a key of their own in the database, the two codes differ.
    """
    if browser_key is None or not opening.session_private_locked:
        return None
    try:
        private = crypto.unlock_from_browser(browser_key, bytes(opening.session_private_locked))
    except crypto.SealError:
        return None
    return crypto.key_code(crypto.box_public_from_private(private))


@transaction.atomic
def opening_start(
    *, school: School, by: User, purpose: str = Opening.Purpose.OPEN, place: str = ""
) -> tuple[Opening, bytes]:
    """Start gathering the commission; return the opening and the key for the starter's browser.

    place: where the starter says the shared screen is. Every member is emailed who started
    the gathering, where and its code (the page that calls this has asked the starter's
    password and authenticator code again).
    """
    commission = Commission.objects.current(school)
    box_key = BoxKey.objects.current(school)
    if box_key is None or commission is None:
        raise ValidationError(_("The box is not sealed yet: there is nothing to open."))
    openings_expire(school=school)
    if Opening.objects.for_school(school).gathering().exists():
        raise ValidationError(_("An opening is already gathering the commission: join it."))
    pair = crypto.box_keypair_generate()
    browser_key, session_private_locked = crypto.lock_for_browser(pair.private)
    opening = Opening.objects.create(
        school=school,
        purpose=purpose,
        box_key=box_key,
        started_by=by,
        place=place.strip(),
        session_public_key=pair.public,
        session_private_locked=session_private_locked,
    )
    audit_write(
        school=school,
        actor=by,
        action=OpeningAction.START,
        target=opening,
        details={"purpose": purpose, "place": opening.place},
    )
    transaction.on_commit(lambda: notify.opening_started_notify(opening=opening))
    return opening, browser_key


def _may_join(opening: Opening, member: User) -> None:
    """Only the commission in force gathers, except to hand a replaced commission's key on.

    A renewal for a new commission needs a quorum of the key being replaced, whose holders
    may all have left the commission: they may join that renewal (they learn nothing by it),
    never an opening of the box.
    """
    if member_in_force(school=opening.school, user=member):
        return
    handing_over = (
        opening.is_renewal
        and opening.box_key.commission.members.filter(pk=member.pk).exists()
        and Commission.objects.current(opening.school) != opening.box_key.commission
    )
    if not handing_over:
        raise ValidationError(
            _("%(name)s is not a member of the commission in force.") % {"name": member.full_name}
        )


@transaction.atomic
def opening_join(
    *, opening: Opening, member: User, password: str, session_code: str
) -> Participant:
    """Unlock the member's share with their password and seal it to this opening's session key.

    session_code is the code the member read on the screen that started the opening: the
    share is sealed only if it is the code of the key in the database, so that a key put
    there by someone else never receives a share.
    """
    opening = Opening.objects.select_for_update().select_related("box_key").get(pk=opening.pk)
    gathering_check(opening)
    _may_join(opening, member)
    if not KeyShare.objects.filter(box_key=opening.box_key, holder=member).exists():
        raise ValidationError(
            _("%(name)s holds no part of this box key.") % {"name": member.full_name}
        )
    if Participant.objects.filter(opening=opening, member=member).exists():
        raise ValidationError(_("%(name)s has already joined.") % {"name": member.full_name})
    if crypto.key_code_normalise(session_code) != opening_code(opening):
        # Never the right code: it must be read on the starting screen, not learnt here.
        raise ValidationError(
            (
                _(
                    "The code %(typed)s is not the code of this gathering. Read the code again "
                    "on the screen where the gathering was started. If you typed what that "
                    "screen shows, do not join: someone may have changed the gathering. Tell "
                    "the others and cancel it."
                )
                if opening.is_renewal
                else _(
                    "The code %(typed)s is not the code of this opening. Read the code again on "
                    "the screen where the opening was started. If you typed what that screen "
                    "shows, do not join: someone may have changed the opening. Tell the others "
                    "and cancel it."
                )
            )
            % {"typed": crypto.key_code_normalise(session_code) or "—"},
            code="wrong_session_code",
        )
    try:
        share = share_unlock(box_key=opening.box_key, user=member, password=password)
    except crypto.SealError as error:
        raise ValidationError(_("The password is not right.")) from error
    participant = Participant.objects.create(
        opening=opening,
        member=member,
        sealed_share=crypto.seal_for_box(bytes(opening.session_public_key), share.encode()),
    )
    audit_write(school=opening.school, actor=member, action=OpeningAction.JOIN, target=opening)
    return participant


@dataclass(frozen=True)
class Progress:
    present: list[User]
    reserve: int
    threshold: int

    @property
    def still_needed(self) -> int:
        """Members still to join; reserve parts alone never open the box: one member at least."""
        return max(0 if self.present else 1, self.threshold - len(self.present) - self.reserve)


def opening_progress(opening: Opening) -> Progress:
    participants = list(opening.participants.select_related("member"))
    return Progress(
        present=[p.member for p in participants if p.member is not None],
        reserve=sum(1 for p in participants if p.reserve),
        threshold=opening.box_key.threshold,
    )


def box_private_gather(
    opening: Opening, participants: list[Participant], browser_key: bytes
) -> bytes:
    """Put the box key together from the shares gathered, in memory only."""
    if not any(p.member_id for p in participants):
        raise ValidationError(
            _("At least one member must join: reserve parts alone never open the box.")
        )
    needed = opening.box_key.threshold - len(participants)
    if needed > 0:
        message = (
            ngettext(
                "%(needed)d more member must join before the box key can be renewed.",
                "%(needed)d more members must join before the box key can be renewed.",
                needed,
            )
            if opening.is_renewal
            else ngettext(
                "%(needed)d more member must join before the box can be opened.",
                "%(needed)d more members must join before the box can be opened.",
                needed,
            )
        )
        raise ValidationError(message % {"needed": needed})
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


@transaction.atomic
def opening_cancel(*, opening: Opening, by: User) -> None:
    if not opening.is_gathering:
        raise ValidationError(
            _("This gathering is already over.")
            if opening.is_renewal
            else _("This opening is already over.")
        )
    opening.status = Opening.Status.CANCELLED
    gathering_wipe(opening)
    opening.save(update_fields=["status", "session_private_locked"])
    audit_write(school=opening.school, actor=by, action=OpeningAction.CANCEL, target=opening)


def _reserve_number(opening: Opening, mnemonic: str) -> int:
    """Which reserve part of this box key the words are (1, 2 …), or a ValidationError."""
    facts = crypto.share_facts(mnemonic)
    if facts is None:
        raise ValidationError(
            _("These words are not a reserve part: check every word and try again.")
        )
    box_key = opening.box_key
    if box_key.share_identifier is not None and facts.identifier != box_key.share_identifier:
        replaced = box_key_replaced_by_share(school=opening.school, mnemonic=mnemonic)
        if replaced is not None and replaced.retired_at is not None:
            raise ValidationError(
                _(
                    "These parts belong to a key that was replaced on %(date)s: they open "
                    "nothing any more. Use the reserve parts printed that day."
                )
                % {
                    "date": long_date(
                        timezone.localtime(replaced.retired_at).date(),
                        get_language() or "ky",
                        Case.LOCATIVE,
                    )
                }
            )
        raise ValidationError(_("These words are not a part of this box's key."))
    number = facts.index - box_key.member_shares + 1
    if not 1 <= number <= box_key.reserve_shares:
        raise ValidationError(_("These words are not a part of this box's key."))
    return number


@transaction.atomic
def reserve_share_add(*, opening: Opening, by: User, words: str) -> Participant:
    """Count a reserve part from the school safe, typed in, as one more share of the quorum.

    Each use is audited and announced to every member of the commission by email.
    """
    opening = Opening.objects.select_for_update().select_related("box_key").get(pk=opening.pk)
    gathering_check(opening)
    mnemonic = " ".join(words.lower().split())
    number = _reserve_number(opening, mnemonic)
    if Participant.objects.filter(opening=opening, reserve_number=number).exists():
        raise ValidationError(_("This reserve part is already counted."))
    participant = Participant.objects.create(
        opening=opening,
        member=None,
        reserve=True,
        reserve_number=number,
        sealed_share=crypto.seal_for_box(bytes(opening.session_public_key), mnemonic.encode()),
    )
    audit_write(
        school=opening.school,
        actor=by,
        action=OpeningAction.RESERVE_ADD,
        target=opening,
        details={"part": number},
    )
    school = opening.school
    transaction.on_commit(lambda: notify.reserve_used_notify(school=school))
    return participant
