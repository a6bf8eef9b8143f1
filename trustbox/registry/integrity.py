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
writer's message on it is recorded on that entry's day or later. Likewise her request to close
(issue 24) sets `close_asked_on` with no state: it holds while her chain records a request that
no decision has answered yet, made on that very day; such a request missing from the row was
wiped, and shows.
"""

from __future__ import annotations

import datetime
import hashlib
from collections.abc import Mapping
from dataclasses import dataclass
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
# Fields a state covers only once they are set (None or False is "not set": added later, so
# states recorded before they existed hash exactly as they did). A destroyed appeal's day of
# destruction (registry/destruction.py); a conversation closed to the writer's new messages and
# the day the writer asked to close her appeal (registry/withdrawal.py).
LATER_FIELDS = ("destroyed_on", "messages_closed", "close_asked_on")
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
    AppealAction.MESSAGES_CLOSE,
    AppealAction.MESSAGES_REOPEN,
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
        if fields.get(name) not in (None, False):
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


def _writers_days(school: Any, action: AppealAction) -> dict[str, datetime.date]:
    """The last day a writer did `action` on each appeal (her chain keeps the day only)."""
    days: dict[str, datetime.date] = {}
    entries = WriterEntry.objects.for_school(school).filter(action=action.value)
    for target, created_at in entries.values_list("target", "created_at"):
        days[target] = max(days.get(target, datetime.date.min), _day(created_at))
    return days


def _pending_requests(school: Any) -> dict[str, datetime.date]:
    """Each appeal's request to close that no decision answered yet: the day she asked.

    Her chain records each request (once per request: asking again while one waits records
    nothing); each decision (closed as withdrawn, or kept open with an answer) is a staff entry
    recording the state, so more requests than decisions means one is waiting.
    """
    asks: dict[str, list[datetime.date]] = {}
    entries = WriterEntry.objects.for_school(school).filter(action=AppealAction.CLOSE_ASK.value)
    for target, created_at in entries.order_by("id").values_list("target", "created_at"):
        asks.setdefault(target, []).append(_day(created_at))
    decided: dict[str, int] = {}
    decisions = AuditEntry.objects.for_school(school).filter(
        action__in=[AppealAction.WITHDRAWN_CLOSE.value, AppealAction.CLOSE_DECLINE.value]
    )
    for target in decisions.values_list("target", flat=True):
        decided[target] = decided.get(target, 0) + 1
    return {target: days[-1] for target, days in asks.items() if len(days) > decided.get(target, 0)}


@dataclass(frozen=True)
class _Writers:
    """What the writers' chain vouches for: her messages (by day) and her waiting requests."""

    wrote: dict[str, datetime.date]
    pending: dict[str, datetime.date]

    @classmethod
    def of(cls, school: Any) -> _Writers:
        return cls(_writers_days(school, AppealAction.WRITER_MESSAGE), _pending_requests(school))


def _variants(fields: dict[str, Any], writers: _Writers, target: str, since: datetime.date):
    """The states the fields may stand for after the writer's own acts, or None if her
    request waiting to be decided is missing from the row (wiped).

    Her request to close sets `close_asked_on` without a state (she acts by the day only): it
    holds while her chain records a request no decision answered, on that very day. Her message
    (before issue 21) moved an answered appeal back under consideration (on or after `since`).
    """
    found = [fields]
    asked = writers.pending.get(target)
    if asked is not None:
        if fields["close_asked_on"] != asked:
            return None
        found.append({**fields, "close_asked_on": None})
    if writers.wrote.get(target, datetime.date.min) >= since and (
        fields["status"] == Status.CONSIDERING
    ):
        found += [{**variant, "status": Status.ANSWERED.value} for variant in list(found)]
    return found


def _held(
    fields: dict[str, Any], recorded: tuple[int, str, datetime.date], writers: _Writers, target: str
) -> bool:
    """Whether an appeal's fields are its last recorded state (the writer's acts aside)."""
    _entry_id, state, day = recorded
    variants = _variants(fields, writers, target, day)
    return variants is not None and any(state_hash(v) == state for v in variants)


def _taken_in_held(fields: dict[str, Any], states: str, writers: _Writers, target: str) -> bool:
    """Whether an appeal no one acted on since its opening is as the opening took it in."""
    at = (fields["number_in_act"] - 1) * INTAKE_DIGITS
    variants = _variants(fields, writers, target, datetime.date.max)
    return variants is not None and any(
        state_hash(v)[:INTAKE_DIGITS] == states[at : at + INTAKE_DIGITS] for v in variants
    )


def appeal_states_check(school: Any) -> list[ChainBreak]:
    """Every appeal whose fields differ from the last state the chain recorded, or is gone.

    An appeal with a recorded state of its own is held to it; one never acted on since its
    opening, to the state that opening recorded. An appeal removed is named by its target if
    it had an entry of its own, and its opening is named by the count of appeals it took in.
    Appeals of openings before this record (no entry of either kind) are not checked.
    """
    recorded, taken_in, writers = _recorded(school), _taken_in(school), _Writers.of(school)
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
            if not _held(fields, recorded[target], writers, target):
                breaks.append(ChainBreak(recorded[target][0], "state", target=target))
        elif opening_id in taken_in:
            entry_id, states = taken_in[opening_id]
            if not _taken_in_held(fields, states, writers, target):
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
