"""The registry's plain fields under the audit chain: a change outside the application shows.

Status, assignee, kind, category, urgency, deadlines, outcome… stay in plain columns for lists
and statistics, so whoever can write the database could change them. Every service that
changes them writes a hash of the appeal's fields (its *state*) into its audit entry, and an
opening writes the state of every appeal it takes in (16 hex digits each, in the order of its
act) into one entry. Every check of the chains (the log page, the daily full check) compares
each appeal's fields now with the last state the chain recorded for it, and names the appeal
that differs or is gone.

The writer's message is audited in the writers' chain, by the day, and records no state (a
hash of the fields at her moment would place her among the staff's actions of that day); it
changes no field (issue 21: the responsible person decides, registry.answers). Until then it
moved an answered appeal back under consideration; so an appeal whose only difference from
its last recorded state is "under consideration" instead of "answered" still holds if a
writer's message on it is recorded on that entry's day or later.
"""

from __future__ import annotations

import datetime
import hashlib
from collections.abc import Mapping
from typing import Any

from django.db import transaction
from django.utils import timezone

from trustbox.accounts.models import User
from trustbox.audit.models import AuditEntry, WriterEntry
from trustbox.audit.services import ChainBreak, audit_write
from trustbox.audit.targets import target_split
from trustbox.registry.actions import AppealAction, RegistryAction
from trustbox.registry.models import Appeal, Status

# The fields a state covers: everything of an appeal's row that people read or decide by
# (the keys and the sealed content are not: a changed one opens nothing).
STATE_FIELDS = (
    "status",
    "kind",
    "category",
    "urgent",
    "signed",
    "source",
    "received_on",
    "opening_id",
    "number_in_act",
    "register_by",
    "year",
    "serial",
    "registered_on",
    "registered_by_id",
    "assignee_id",
    "due_on",
    "outcome",
    "answered_on",
    "closed_on",
    "writer_public_key",
)
# Fields a state covers only once they are set (added later: states recorded before they
# existed hash as they did). A destroyed appeal's day of destruction (registry/destruction.py).
LATER_FIELDS = ("destroyed_on",)
CHECKED_FIELDS = (*STATE_FIELDS, *LATER_FIELDS)
# Hex digits of an appeal's state kept for each appeal in an opening's entry (64 bits).
INTAKE_DIGITS = 16
# The actions whose entries record an appeal's state.
STATE_ACTIONS = (
    AppealAction.REGISTER,
    AppealAction.ASSIGN,
    AppealAction.REPLY,
    AppealAction.DECIDE,
    AppealAction.CLOSE,
    AppealAction.BACKDATE,
    AppealAction.UNREACHED,
    AppealAction.WRITE_BACK_CLOSE,
    AppealAction.NEW_REQUEST,
    AppealAction.WRITE_BACK_RESTORE,
    AppealAction.WITHDRAWN_CLOSE,
    AppealAction.CLOSE_DECLINE,
    AppealAction.DESTROY,
)


def _text(value: Any) -> str:
    """One field as the state hashes it: the same for a row read back and for values saved."""
    if value is None or value == "":
        return "\x00"
    if isinstance(value, bool):
        return "1" if value else "0"
    if isinstance(value, datetime.date):
        return value.isoformat()
    if isinstance(value, bytes | memoryview):
        return bytes(value).hex()
    return str(value)


def state_hash(fields: Mapping[str, Any]) -> str:
    """The hash of an appeal's state, from its fields (a row, or values about to be stored)."""
    body = "\x1f".join(_text(fields.get(name)) for name in STATE_FIELDS)
    for name in LATER_FIELDS:
        if fields.get(name) is not None:
            body += f"\x1f{name}={_text(fields[name])}"
    return hashlib.sha256(f"appeal-state|{body}".encode()).hexdigest()


def state_of(appeal: Appeal) -> dict[str, str]:
    """An audit entry's details recording the appeal's fields as they are now saved."""
    return {"state": state_hash({name: getattr(appeal, name) for name in CHECKED_FIELDS})}


def intake_record(*, school: Any, opening: Any, states: list[str]) -> None:
    """Record the state of each appeal an opening took in, in the order of its act."""
    audit_write(
        school=school,
        actor=None,
        action=RegistryAction.TAKE_IN,
        target=opening,
        details={
            "appeals": len(states),
            "states": "".join(state[:INTAKE_DIGITS] for state in states),
        },
    )


@transaction.atomic
def appeal_backdate(*, appeal: Appeal, by: User | None, **fields: Any) -> Appeal:
    """Set dates and status of an appeal's history (the demonstration school's), audited."""
    appeal = Appeal.objects.select_for_update().get(pk=appeal.pk)
    for name, value in fields.items():
        setattr(appeal, name, value)
    appeal.save(update_fields=list(fields))
    audit_write(
        school=appeal.school,
        actor=by,
        action=AppealAction.BACKDATE,
        target=appeal,
        details=state_of(appeal),
    )
    return appeal


def _day(moment: datetime.datetime) -> datetime.date:
    return timezone.localtime(moment).date()


def _recorded(school: Any) -> dict[str, tuple[int, str, datetime.date]]:
    """The last state the staff's chain recorded for each appeal: (entry, state, day)."""
    recorded = {}
    entries = (
        AuditEntry.objects.for_school(school)
        .filter(action__in=[action.value for action in STATE_ACTIONS])
        .order_by("id")
        .values_list("id", "target", "details", "created_at")
    )
    for pk, target, details, created_at in entries.iterator(chunk_size=5000):
        state = details.get("state") if isinstance(details, dict) else None
        if state:
            recorded[target] = (pk, str(state), _day(created_at))
    return recorded


def reopened_by_writers(school: Any) -> list[int]:
    """Appeals a writer's message moved from "answered" back under consideration (before issue
    21): their fields are their last recorded state but for that status."""
    candidates = list(
        Appeal.objects.for_school(school)
        .filter(status=Status.CONSIDERING, answered_on__isnull=False)
        .values_list("pk", *CHECKED_FIELDS)
    )
    if not candidates:
        return []
    recorded = _recorded(school)
    found = []
    for pk, *values in candidates:
        fields = dict(zip(CHECKED_FIELDS, values, strict=True))
        last = recorded.get(f"{Appeal._meta.label_lower}:{pk}")
        if last is not None and state_hash({**fields, "status": Status.ANSWERED.value}) == last[1]:
            found.append(pk)
    return found


def _taken_in(school: Any) -> dict[int, tuple[int, str]]:
    """Each opening's entry of the appeals it took in: (entry, their states)."""
    taken = {}
    entries = AuditEntry.objects.for_school(school).filter(action=RegistryAction.TAKE_IN.value)
    for pk, target, details in entries.values_list("id", "target", "details"):
        split = target_split(target)
        if split is not None and isinstance(details, dict):
            taken[split[1]] = (pk, str(details.get("states", "")))
    return taken


def _written_back(school: Any) -> dict[str, datetime.date]:
    """The last day a writer wrote back on each appeal."""
    days: dict[str, datetime.date] = {}
    entries = WriterEntry.objects.for_school(school).filter(
        action=AppealAction.WRITER_MESSAGE.value
    )
    for target, created_at in entries.values_list("target", "created_at"):
        days[target] = max(days.get(target, datetime.date.min), _day(created_at))
    return days


def _held(
    fields: dict[str, Any], recorded: tuple[int, str, datetime.date], wrote: datetime.date
) -> bool:
    """Whether an appeal's fields are its last recorded state (the writer's move aside)."""
    _entry_id, state, day = recorded
    if state_hash(fields) == state:
        return True
    return (
        fields["status"] == Status.CONSIDERING
        and wrote >= day
        and state_hash({**fields, "status": Status.ANSWERED.value}) == state
    )


def appeal_states_check(school: Any) -> list[ChainBreak]:
    """Every appeal whose fields differ from the last state the chain recorded, or is gone.

    An appeal with a recorded state of its own is held to it; one never acted on since its
    opening, to the state that opening recorded. An appeal removed is named by its target if
    it had an entry of its own, and its opening is named by the count of appeals it took in.
    Appeals of openings before this record (no entry of either kind) are not checked.
    """
    recorded, taken_in, written = _recorded(school), _taken_in(school), _written_back(school)
    breaks, seen, per_opening = [], set(), dict.fromkeys(taken_in, 0)
    rows = Appeal.objects.for_school(school).order_by("pk").values_list("pk", *CHECKED_FIELDS)
    for pk, *values in rows.iterator(chunk_size=5000):
        fields = dict(zip(CHECKED_FIELDS, values, strict=True))
        target = f"{Appeal._meta.label_lower}:{pk}"
        seen.add(target)
        opening_id = fields["opening_id"]
        if opening_id in per_opening:
            per_opening[opening_id] += 1
        if target in recorded:
            if not _held(fields, recorded[target], written.get(target, datetime.date.min)):
                breaks.append(ChainBreak(recorded[target][0], "state", target=target))
        elif opening_id in taken_in:
            entry_id, states = taken_in[opening_id]
            at = (fields["number_in_act"] - 1) * INTAKE_DIGITS
            if states[at : at + INTAKE_DIGITS] != state_hash(fields)[:INTAKE_DIGITS]:
                breaks.append(ChainBreak(entry_id, "state", target=target))
    breaks += [
        ChainBreak(entry_id, "state", target=target)
        for target, (entry_id, _state, _day) in recorded.items()
        if target not in seen
    ]
    breaks += [
        ChainBreak(entry_id, "state", target=f"openings.opening:{opening_id}")
        for opening_id, (entry_id, states) in taken_in.items()
        if per_opening[opening_id] != len(states) // INTAKE_DIGITS
    ]
    return breaks
