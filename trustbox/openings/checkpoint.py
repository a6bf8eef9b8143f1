"""What the audit log vouches for an opening: how far it went in the box, and what it found.

An opening's row says up to which place of the box it went (`to_seq`, `new_head`), what
damage it found and how many appeals it took out; the act prints them, and the next opening
starts from that place. Whoever can write the database could move the place on, to hide the
appeals after it from the next opening, or rewrite the damage list. The opening's entry in
the audit log holds the same values under the log's chain: the next opening starts from the
place the log holds (naming the difference as damage), and the chain check names every
opening whose row no longer matches its entry (`audit.services.row_check_register`).
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass, field
from typing import Any

from django.conf import settings
from django.core.checks import CheckMessage, Warning

from trustbox.audit.models import AuditEntry
from trustbox.audit.services import ChainBreak
from trustbox.openings.actions import OpeningAction
from trustbox.openings.models import Opening
from trustbox.schools.models import School
from trustbox.seal import crypto


def opening_vouched(opening: Opening) -> dict[str, Any]:
    """What the opening's entry in the log holds of its row, as the row holds it."""
    head = bytes(opening.new_head) if opening.new_head is not None else crypto.GENESIS
    return {
        "journal_number": opening.journal_number,
        "online": opening.online_count,
        "paper": opening.paper_count,
        "damage": opening.damage,
        "beyond": opening.beyond,
        "withdrawn": opening.withdrawn,
        "seal": crypto.chain_code(head),
        "from_seq": opening.from_seq,
        "to_seq": opening.to_seq,
        "head": head.hex(),
    }


def _disagrees(opening: Opening, details: dict[str, Any]) -> bool:
    """Does the row say otherwise than its entry? Entries of older openings hold fewer keys."""
    vouched = opening_vouched(opening)
    return any(details[key] != value for key, value in vouched.items() if key in details)


def _open_entries(school: School | None) -> dict[int, tuple[int, dict[str, Any]]]:
    """The log's entries of openings, by the opening's id: (entry id, details); the first each."""
    entries: dict[int, tuple[int, dict[str, Any]]] = {}
    prefix = f"{Opening._meta.label_lower}:"
    rows = (
        AuditEntry.objects.filter(school=school, action=OpeningAction.OPEN.value)
        .order_by("id")
        .values_list("id", "target", "details")
    )
    for pk, target, details in rows:
        if target.startswith(prefix) and target[len(prefix) :].isdigit():
            entries.setdefault(int(target[len(prefix) :]), (pk, details))
    return entries


def openings_disagreeing(school: School | None) -> Iterator[int]:
    """The entries of openings whose rows were changed since (0: a held opening with none).

    An opening held without an entry was put into the database; one whose entry stands but
    which is no longer held (or gone) was taken out of the journal: both move the checkpoint.
    """
    entries = _open_entries(school)
    held = {o.pk: o for o in Opening.objects.filter(school=school).done()}
    for pk, opening in held.items():
        entry = entries.get(pk)
        if entry is None:
            yield 0
        elif _disagrees(opening, entry[1]):
            yield entry[0]
    for pk, (entry_id, _details) in entries.items():
        if pk not in held:
            yield entry_id


def opening_records_check(school: School) -> list[ChainBreak]:
    """The chain check's breaks for openings changed outside the application (row check)."""
    return [ChainBreak(pk, "record") for pk in sorted(set(openings_disagreeing(school)))]


@dataclass
class Checkpoint:
    """Where the next opening starts: the place and head the last opening left, as the log
    holds them; and what was wrong with the journal's row of it."""

    seq: int = 0
    head: bytes = crypto.GENESIS
    damage: list[dict[str, object]] = field(default_factory=list)
    beyond: list[int] = field(default_factory=list)  # places past it taken out all the same


def checkpoint_of(school: School) -> Checkpoint:
    """The last opening's place in the box, as its entry in the log holds it.

    Openings held without an entry in the log are passed over (they were put into the
    database), and a row that says otherwise than its entry is named ("checkpoint"); the
    place and head of the entry are used, so that appeals after it are not hidden; so are
    the places past it that it took out all the same (urgent and paper appeals of its day).
    """
    checkpoint = Checkpoint()
    entries = _open_entries(school)
    for opening in Opening.objects.for_school(school).done().order_by("-journal_number"):
        entry = entries.get(opening.pk)
        if entry is None:
            checkpoint.damage.append({"seq": opening.to_seq, "what": "checkpoint"})
            continue
        details = entry[1]
        seq = opening.to_seq
        head = bytes(opening.new_head) if opening.new_head is not None else crypto.GENESIS
        if "to_seq" in details and "head" in details:
            logged = (int(details["to_seq"]), bytes.fromhex(str(details["head"])))
            if logged != (seq, head):
                checkpoint.damage.append({"seq": seq, "what": "checkpoint"})
                seq, head = logged
        checkpoint.seq, checkpoint.head = seq, head
        checkpoint.beyond = [int(place) for place in details.get("beyond", opening.beyond)]
        return checkpoint
    return checkpoint


def check_cut_off_is_a_day(**kwargs: Any) -> list[CheckMessage]:
    """Warn when openings take the appeals of their own day (the demo's and the tests' way)."""
    if not settings.OPENING_TAKES_ITS_OWN_DAY:
        return []
    return [
        Warning(
            "TRUSTBOX_OPENING_TAKES_ITS_OWN_DAY is on: an opening takes the appeals of its own "
            "day too, and the database then tells whether each of that day's writers wrote "
            "before or after it.",
            hint="For the demo only; a school's install leaves it off (docs/security-chain.md).",
            id="trustbox.W011",
        )
    ]
