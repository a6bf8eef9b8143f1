"""Write and verify the audit log. Every service function that changes state calls audit_write."""

from __future__ import annotations

import datetime
import hashlib
import json
from dataclasses import dataclass
from typing import Any

from django.db import models, transaction
from django.utils import timezone

from trustbox.audit.actions import AuditAction
from trustbox.audit.models import AuditEntry

GENESIS = "0" * 64


def _entry_hash(entry: AuditEntry) -> str:
    return _hash(
        entry.prev_hash,
        entry.school_id,
        entry.actor_id,
        entry.action,
        entry.target,
        entry.details,
        entry.created_at,
    )


def _hash(
    prev_hash: str,
    school_id: int | None,
    actor_id: int | None,
    action: str,
    target: str,
    details: dict[str, Any],
    created_at: datetime.datetime,
) -> str:
    body = json.dumps(
        {
            "school": school_id,
            "actor": actor_id,
            "action": action,
            "target": target,
            "details": details,
            "created_at": created_at.isoformat(),
        },
        sort_keys=True,
        ensure_ascii=False,
        separators=(",", ":"),
    )
    return hashlib.sha256(f"{prev_hash}|{body}".encode()).hexdigest()


def _target_label(target: models.Model | None) -> str:
    if target is None:
        return ""
    return f"{target._meta.label_lower}:{target.pk}"


def _day_start() -> datetime.datetime:
    midnight = timezone.localtime().replace(hour=0, minute=0, second=0, microsecond=0)
    return midnight.astimezone(datetime.UTC)


@transaction.atomic
def audit_write(
    *,
    school: Any,
    actor: Any,
    action: AuditAction,
    target: models.Model | None = None,
    details: dict[str, Any] | None = None,
    by_writer: bool = False,
) -> AuditEntry:
    """Append one entry to the school's chain (or the install's, for school=None).

    An entry by_writer (the anonymous writer of an appeal, who has no account) keeps the
    day, not the hour: their time of writing could tell who they are.
    """
    if not isinstance(action, AuditAction):
        raise TypeError("audit actions are declared by the apps as AuditAction members")
    details = {**(details or {}), "by": "writer"} if by_writer else (details or {})
    last = (
        AuditEntry.objects.select_for_update()
        .filter(school=school)
        .order_by("-id")
        .values_list("hash", flat=True)
        .first()
    )
    entry = AuditEntry(
        school=school,
        actor=actor,
        action=action.value,
        target=_target_label(target),
        details=details,
        created_at=_day_start() if by_writer else timezone.now().replace(microsecond=0),
        prev_hash=last or GENESIS,
    )
    entry.hash = _entry_hash(entry)
    entry.save()
    return entry


@dataclass(frozen=True)
class ChainBreak:
    entry_id: int
    reason: str


def audit_verify(*, school: Any) -> list[ChainBreak]:
    """Recompute the school's chain; return every place where it does not hold."""
    breaks = []
    expected_prev = GENESIS
    rows = (
        AuditEntry.objects.filter(school=school)
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
    )
    for pk, prev_hash, stored, *fields in rows.iterator(chunk_size=5000):
        if prev_hash != expected_prev:
            breaks.append(ChainBreak(pk, "link"))
        if _hash(prev_hash, *fields) != stored:
            breaks.append(ChainBreak(pk, "content"))
        expected_prev = stored
    return breaks
