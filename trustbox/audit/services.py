"""Write and verify the audit log. Every service function that changes state calls audit_write.

A school's log is two hash chains: the staff's actions, to the second, and the anonymous
writers' actions, to the day, in a table of their own (so that an entry's number does not
place a writer among the staff's actions of the day). Each chain has a head row
(AuditChain) that every writer locks first, so that concurrent writers line up.
"""

from __future__ import annotations

import datetime
import hashlib
import json
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from typing import Any

from django.db import models, transaction
from django.db.models import F
from django.utils import timezone

from trustbox.audit.actions import AuditAction
from trustbox.audit.models import GENESIS, AuditChain, AuditEntry, WriterEntry

__all__ = [
    "GENESIS",
    "ChainBreak",
    "ChainCheck",
    "audit_check",
    "audit_checkpoint",
    "audit_verify",
    "audit_write",
    "row_check_register",
]

Kind = AuditChain.Kind
ChainModel = type[AuditEntry] | type[WriterEntry]
MODELS: dict[str, ChainModel] = {Kind.STAFF: AuditEntry, Kind.WRITER: WriterEntry}


def _hash(
    prev_hash: str,
    school_id: int | None,
    actor_id: int | None,
    action: str,
    target: str,
    details: dict[str, Any],
    created_at: datetime.datetime,
    *,
    writer: bool = False,
) -> str:
    body_fields: dict[str, Any] = {
        "school": school_id,
        "actor": actor_id,
        "action": action,
        "target": target,
        "details": details,
        "created_at": created_at.isoformat(),
    }
    if writer:
        # A writer's entry cannot pass for a staff entry with the same fields.
        body_fields["chain"] = "writer"
    body = json.dumps(body_fields, sort_keys=True, ensure_ascii=False, separators=(",", ":"))
    return hashlib.sha256(f"{prev_hash}|{body}".encode()).hexdigest()


def target_label(target: models.Model | None) -> str:
    """How an entry names its target: "app_label.model:pk"."""
    if target is None:
        return ""
    return f"{target._meta.label_lower}:{target.pk}"


def _day_start() -> datetime.datetime:
    midnight = timezone.localtime().replace(hour=0, minute=0, second=0, microsecond=0)
    return midnight.astimezone(datetime.UTC)


def _chain_locked(school: Any, kind: str) -> AuditChain:
    """The chain's head row, created the first time, locked until the transaction ends."""
    key = AuditChain.key_for(school, kind)
    AuditChain.objects.get_or_create(key=key, defaults={"school": school, "kind": kind})
    return AuditChain.objects.select_for_update().get(key=key)


@transaction.atomic
def audit_write(
    *,
    school: Any,
    actor: Any,
    action: AuditAction,
    target: models.Model | None = None,
    details: dict[str, Any] | None = None,
    by_writer: bool = False,
) -> AuditEntry | WriterEntry:
    """Append one entry to the school's chain (or the install's, for school=None).

    An entry by_writer (the anonymous writer of an appeal, who has no account) keeps the
    day, not the hour, and goes into the writers' chain: their time of writing could tell
    who they are.
    """
    if not isinstance(action, AuditAction):
        raise TypeError("audit actions are declared by the apps as AuditAction members")
    if by_writer and actor is not None:
        raise TypeError("the anonymous writer has no account")
    chain = _chain_locked(school, Kind.WRITER if by_writer else Kind.STAFF)
    entry: AuditEntry | WriterEntry
    if by_writer:
        entry = WriterEntry(
            school=school,
            action=action.value,
            target=target_label(target),
            details=details or {},
            created_at=_day_start(),
            prev_hash=chain.head,
        )
    else:
        entry = AuditEntry(
            school=school,
            actor=actor,
            action=action.value,
            target=target_label(target),
            details=details or {},
            created_at=timezone.now().replace(microsecond=0),
            prev_hash=chain.head,
        )
    entry.hash = _entry_hash(entry)
    entry.save()
    AuditChain.objects.filter(pk=chain.pk).update(count=F("count") + 1, head=entry.hash)
    return entry


def _entry_hash(entry: AuditEntry | WriterEntry) -> str:
    return _hash(
        entry.prev_hash,
        entry.school_id,
        entry.actor_id,
        entry.action,
        entry.target,
        entry.details,
        entry.created_at,
        writer=isinstance(entry, WriterEntry),
    )


@dataclass(frozen=True)
class ChainBreak:
    """One place where a chain does not hold.

    reason: "link" (it does not follow the entry before), "content" (changed after it was
    written), "head" (the newest entries are not the ones the chain's head row names: some
    were removed or added behind its back), "checkpoint" (the entry the last full check
    ended with is gone or changed), "state" (the row named by target, e.g.
    "registry.appeal:14", no longer holds what its last entry, entry_id, recorded: it was
    changed, or removed, outside the application), "record" (a record the entry vouches for,
    such as an opening's damage list, was changed outside the application; entry 0: a record
    that should have an entry has none). Both come from the row checks (row_check_register).
    """

    entry_id: int
    reason: str
    writer: bool = False
    target: str = ""


# A check of rows whose state the chain records (an app's fields changed only by audited
# services): given a school, the rows that no longer match their last entry.
RowCheck = Callable[[Any], list[ChainBreak]]
_ROW_CHECKS: list[RowCheck] = []


def row_check_register(check: RowCheck) -> None:
    """Add a check of rows to every check of a school's chains; from AppConfig.ready()."""
    if check not in _ROW_CHECKS:
        _ROW_CHECKS.append(check)


@dataclass
class ChainCheck:
    """What a check of a school's chains found, and how much of them it read now."""

    breaks: list[ChainBreak] = field(default_factory=list)
    entries: int = 0  # in every chain of the school
    checked_now: int = 0  # entries read and recomputed by this check
    last_id: int = 0  # the newest staff entry checked
    # Entries before this check were found whole by the full check of this moment
    # (None: this check read every chain in full).
    since: datetime.datetime | None = None

    @property
    def whole(self) -> bool:
        return not self.breaks


@dataclass(frozen=True)
class _ChainRead:
    breaks: list[ChainBreak]
    checked: int  # entries recomputed now
    count: int  # entries in the chain
    last_id: int
    last_hash: str


def _chain_read(chain: AuditChain, school: Any, kind: str, *, full: bool) -> _ChainRead:
    """Recompute one chain, from its checkpoint unless full, and hold it to its head row."""
    model: ChainModel = MODELS[kind]
    writer = kind == Kind.WRITER
    breaks: list[ChainBreak] = []
    since_id, expected_prev, count = 0, GENESIS, 0
    if chain.checked_id and not full:
        since_id, expected_prev, count = chain.checked_id, chain.checked_hash, chain.checked_count
        if not model.objects.filter(
            school=school, pk=chain.checked_id, hash=chain.checked_hash
        ).exists():
            breaks.append(ChainBreak(chain.checked_id, "checkpoint", writer))
    records: Iterator[tuple[int, str, str, tuple[Any, ...]]]
    if writer:
        writer_rows = (
            WriterEntry.objects.filter(school=school, id__gt=since_id)
            .order_by("id")
            .values_list(
                "id", "prev_hash", "hash", "school_id", "action", "target", "details", "created_at"
            )
            .iterator(chunk_size=5000)
        )
        records = (
            (pk, prev, stored, (sid, None, *rest)) for pk, prev, stored, sid, *rest in writer_rows
        )
    else:
        staff_rows = (
            AuditEntry.objects.filter(school=school, id__gt=since_id)
            .order_by("id")
            .values_list(
                "id",
                "prev_hash",
                "hash",
                "school_id",
                "actor_id",
                "action",
                "target",
                "details",
                "created_at",
            )
            .iterator(chunk_size=5000)
        )
        records = ((pk, prev, stored, tuple(rest)) for pk, prev, stored, *rest in staff_rows)
    last_id, checked = since_id, 0
    for pk, prev_hash, stored, fields in records:
        if prev_hash != expected_prev:
            breaks.append(ChainBreak(pk, "link", writer))
        if _hash(prev_hash, *fields, writer=writer) != stored:
            breaks.append(ChainBreak(pk, "content", writer))
        expected_prev, last_id = stored, pk
        checked += 1
    count += checked
    # A count that differs with the head right is a removed entry already named by its link.
    if chain.head != expected_prev or (chain.count != count and not breaks):
        breaks.append(ChainBreak(last_id, "head", writer))
    return _ChainRead(breaks, checked, count, last_id, expected_prev)


def _chains_locked(school: Any) -> dict[str, AuditChain]:
    """The school's head rows, locked: writers wait, so the heads and entries read agree."""
    for kind in Kind.values:
        AuditChain.objects.get_or_create(
            key=AuditChain.key_for(school, kind), defaults={"school": school, "kind": kind}
        )
    keys = [AuditChain.key_for(school, kind) for kind in Kind.values]
    locked = AuditChain.objects.select_for_update().filter(key__in=keys).order_by("key")
    found = {chain.kind: chain for chain in locked}
    return {kind: found[kind] for kind in Kind.values}


def _check(
    school: Any, *, full: bool
) -> tuple[ChainCheck, dict[str, tuple[AuditChain, _ChainRead]]]:
    check = ChainCheck()
    reads = {}
    moments = []
    for kind, chain in _chains_locked(school).items():
        read = _chain_read(chain, school, kind, full=full)
        reads[kind] = (chain, read)
        check.breaks.extend(read.breaks)
        check.entries += read.count
        check.checked_now += read.checked
        if kind == Kind.STAFF:
            check.last_id = read.last_id
        if not full and chain.checked_id and chain.checked_at:
            moments.append(chain.checked_at)
    check.since = min(moments, default=None)
    if school is not None:
        for row_check in _ROW_CHECKS:
            check.breaks.extend(row_check(school))
    return check, reads


def audit_check(*, school: Any) -> ChainCheck:
    """Check the school's chains from where the last full check found them whole.

    This is the log page's check: it reads only the entries written since the daily job's
    full check (every entry, if there was none or it found a break), and writes no entry.
    """
    with transaction.atomic():
        return _check(school, full=False)[0]


def audit_verify(*, school: Any) -> list[ChainBreak]:
    """Recompute the school's chains in full; return every place where they do not hold."""
    with transaction.atomic():
        return _check(school, full=True)[0].breaks


def audit_checkpoint(*, school: Any) -> ChainCheck:
    """Check the school's chains in full and keep where each was found whole (the daily job).

    A chain found whole gets its newest entry as the checkpoint that later checks start
    from; a chain found broken loses its checkpoint, so that every later check reads it all.
    """
    now = timezone.now()
    with transaction.atomic():
        check, reads = _check(school, full=True)
        for chain, read in reads.values():
            whole = not read.breaks
            AuditChain.objects.filter(pk=chain.pk).update(
                checked_id=read.last_id if whole else 0,
                checked_hash=read.last_hash if whole else GENESIS,
                checked_count=read.count if whole else 0,
                checked_at=now if whole else None,
            )
    return check
