"""What goes into the act of removal and the journal of openings, built from the records."""

from __future__ import annotations

import datetime

from django.utils import timezone, translation
from django.utils.translation import gettext as _

from trustbox.accounts.models import User
from trustbox.audit.digests import log_head_at
from trustbox.audit.selectors import entry_about
from trustbox.audit.services import audit_check
from trustbox.commission.models import Commission
from trustbox.lib.dates import long_date
from trustbox.openings.actions import OpeningAction
from trustbox.openings.documents import ActData, ActRow, JournalEntry
from trustbox.openings.findings import Heads
from trustbox.openings.models import Opening
from trustbox.openings.services import damage_lines, seal_code
from trustbox.registry.actions import ReadPurpose
from trustbox.registry.models import Appeal, Source
from trustbox.registry.services import appeal_read
from trustbox.schools.models import Membership


def _director_name(opening: Opening) -> str:
    director = (
        Membership.objects.filter(school=opening.school, kind=Membership.Kind.DIRECTOR)
        .select_related("user")
        .first()
    )
    return director.user.full_name if director else ""


def opening_heads(opening: Opening, *, log_whole: bool | None = None) -> Heads:
    """The heads of the box and of the audit log as the opening left them.

    The log's head is its entry of the opening (with the writers' chain as it stood when
    that day began): printed in the act and the journal, it leaves the database. Whether the
    log is whole is checked now (the audit log page's check), unless log_whole says it.
    """
    entry = entry_about(school=opening.school, action=OpeningAction.OPEN, target=opening)
    log = log_head_at(entry) if entry is not None else None
    if log_whole is None:
        log_whole = audit_check(school=opening.school).whole
    return Heads(
        box_count=opening.to_seq,
        box_code=seal_code(opening),
        log_count=log.count if log is not None else None,
        log_code=log.code if log is not None else "",
        box_fingerprint=bytes(opening.new_head).hex() if opening.new_head is not None else "",
        log_fingerprint=log.head if log is not None else "",
        log_whole=log_whole,
    )


def _members_but_the_chair(opening: Opening, commission: Commission | None) -> list[str]:
    """The members present who sign as members: the chair signs once, as chair."""
    chair_id = commission.chair_id if commission else None
    return [
        p.member.full_name
        for p in opening.participants.select_related("member")
        if p.member and p.member_id != chair_id
    ]


def _destroyed_row(appeal: Appeal) -> ActRow:
    note = _("destroyed by the act %(act)s") % {"act": appeal.destruction_act}
    return ActRow(number=appeal.number_in_act, from_whom="", return_address="", note=note)


def act_data(*, opening: Opening, registry_private: bytes, by: User, language: str) -> ActData:
    """The act of removal (Annex 1): the appeals' senders are decrypted, never their text."""
    commission = Commission.objects.current(opening.school)
    rows = []
    with translation.override(language):
        for appeal in Appeal.objects.filter(opening=opening).order_by("number_in_act"):
            if appeal.destroyed_on is not None:  # its sender went with it (registry.destruction)
                rows.append(_destroyed_row(appeal))
                continue
            envelope = appeal_read(
                appeal=appeal, registry_private=registry_private, by=by, purpose=ReadPurpose.ACT
            )
            notes = [_("paper") if appeal.source == Source.PAPER else _("online")]
            if appeal.urgent:
                notes.append(_("urgent"))
            if envelope.attachments:
                notes.append(_("attachments: %(count)d") % {"count": len(envelope.attachments)})
            writer = envelope.writer
            rows.append(
                ActRow(
                    number=appeal.number_in_act,
                    from_whom=", ".join(filter(None, [writer.name, writer.class_or_role]))
                    if writer
                    else "",
                    return_address=writer.contact if writer else "",
                    note=", ".join(notes),
                )
            )
        damage = damage_lines(opening)
    assert opening.opened_at is not None
    return ActData(
        school_name=opening.school.name,
        opened_at=opening.opened_at,
        damage=damage,
        online=opening.online_count,
        paper=opening.paper_count,
        box_note=opening.box_note,
        rows=rows,
        copies=opening.copies,
        members=_members_but_the_chair(opening, commission),
        chair=commission.chair.full_name if commission and commission.chair else "",
        director=_director_name(opening),
        heads=opening_heads(opening),
        withdrawn=withdrawn_places(opening),
    )


def withdrawn_places(opening: Opening) -> list[tuple[int, datetime.date]]:
    """The appeals its writers took back before the opening: (place in the box, day)."""
    return [
        (int(str(item["seq"])), datetime.date.fromisoformat(str(item["day"])))
        for item in opening.withdrawn
    ]


def journal_entries(openings: list[Opening], language: str) -> list[JournalEntry]:
    entries = []
    # The log is checked once for the whole journal, as the audit log page checks it.
    log_whole = audit_check(school=openings[0].school).whole if openings else True
    commission = Commission.objects.current(openings[0].school) if openings else None
    chair = commission.chair.full_name if commission and commission.chair else ""
    with translation.override(language):
        for opening in openings:
            assert opening.opened_at is not None and opening.journal_number is not None
            entries.append(
                JournalEntry(
                    number=opening.journal_number,
                    held_on=timezone.localtime(opening.opened_at).date(),
                    actions=_(
                        "The box was opened by the commission and the appeals were taken out; "
                        "an act was drawn up."
                    ),
                    damage=damage_lines(opening),
                    appeals=_journal_appeals(opening),
                    seal_code=seal_code(opening),
                    signers=[
                        p.member.full_name
                        for p in opening.participants.select_related("member")
                        if p.member
                    ],
                    heads=opening_heads(opening, log_whole=log_whole),
                    chair=chair,
                )
            )
    return entries


def _journal_appeals(opening: Opening) -> str:
    """The journal's count of appeals taken out; those taken back by their writers after it."""
    taken = _("%(total)d (online: %(online)d, paper: %(paper)d)") % {
        "total": opening.appeal_count,
        "online": opening.online_count,
        "paper": opening.paper_count,
    }
    if not opening.withdrawn:
        return taken
    return _("%(taken)s; withdrawn by their writers, set aside unread: %(count)d") % {
        "taken": taken,
        "count": len(opening.withdrawn),
    }


def journal_period(start: datetime.date | None, end: datetime.date | None, language: str) -> str:
    """The period printed under the journal's title, or nothing for the whole journal."""
    with translation.override(language):
        if start and end:
            return _("From %(start)s to %(end)s") % {
                "start": long_date(start, language),
                "end": long_date(end, language),
            }
        if start:
            return _("From %(start)s") % {"start": long_date(start, language)}
        if end:
            return _("To %(end)s") % {"end": long_date(end, language)}
    return ""
