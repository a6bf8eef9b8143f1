"""Appeals made straight in the database, with chosen plain fields, for analytics tests and benches.

Analytics read only the plain fields, so the sealed parts here are placeholders (never a real
appeal): the way through the box is tested elsewhere. Made in bulk, thousands a second.
"""

from __future__ import annotations

import datetime
import secrets
from dataclasses import dataclass, field
from typing import Any

from django.db.models import Max
from django.utils import timezone

from trustbox.box.models import SealedAppeal
from trustbox.commission.models import Commission
from trustbox.openings.models import Opening
from trustbox.registry.models import Appeal, RegistryKey, Status
from trustbox.schools.models import School
from trustbox.seal.models import BoxKey

SEALED = b"sealed-placeholder"


@dataclass
class Spec:
    """One appeal's plain fields; dates as days after `received_on`, or None."""

    received_on: datetime.date
    kind: str = "complaint"
    category: str = "bullying"
    source: str = "online"
    signed: bool = False
    urgent: bool = False
    status: str = Status.CLOSED
    outcome: str = ""
    registered_after: int | None = 1  # days from received_on to registration
    register_within: int = 1  # register_by = received_on + this
    answered_after: int | None = 5  # days from registration to the answer
    answer_within: int = 14  # due_on = registered_on + this
    extra: dict[str, Any] = field(default_factory=dict)


def _keys(school: School, by: Any) -> tuple[BoxKey, RegistryKey]:
    box_key = BoxKey.objects.current(school)
    if box_key is None:
        box_key = BoxKey.objects.create(
            school=school,
            commission=Commission.objects.current(school),
            public_key=secrets.token_bytes(32),
            threshold=3,
            member_shares=5,
            reserve_shares=2,
            created_by=by,
        )
    registry_key = RegistryKey.objects.filter(school=school).order_by("-id").first()
    if registry_key is None:
        registry_key = RegistryKey.objects.create(
            school=school,
            public_key=secrets.token_bytes(32),
            box_key=box_key,
            sealed_for_box=SEALED,
        )
    return box_key, registry_key


def opening_make(school: School, by: Any, day: datetime.date, **fields: Any) -> Opening:
    box_key, _registry_key = _keys(school, by)
    number = (
        Opening.objects.filter(school=school).aggregate(n=Max("journal_number"))["n"] or 0
    ) + 1
    opened_at = timezone.make_aware(datetime.datetime.combine(day, datetime.time(12)))
    return Opening.objects.create(
        school=school,
        box_key=box_key,
        status=Opening.Status.OPENED,
        started_by=by,
        session_public_key=secrets.token_bytes(32),
        session_private_locked=SEALED,
        opened_at=opened_at,
        journal_number=number,
        new_head=secrets.token_bytes(32),
        **fields,
    )


def appeals_make(school: School, by: Any, specs: list[Spec], *, batch: int = 2000) -> int:
    """Store one appeal per spec (with its place in the box and an opening on its day)."""
    box_key, registry_key = _keys(school, by)
    openings: dict[datetime.date, Opening] = {}
    seq = SealedAppeal.objects.filter(school=school).aggregate(n=Max("seq"))["n"] or 0
    made = 0
    for start in range(0, len(specs), batch):
        chunk = specs[start : start + batch]
        sealed = []
        for spec in chunk:
            seq += 1
            sealed.append(
                SealedAppeal(
                    school=school,
                    box_key=box_key,
                    seq=seq,
                    received_on=spec.received_on,
                    urgent=spec.urgent,
                    paper=spec.source == "paper",
                    ciphertext=SEALED,
                    prev_hash=b"\0" * 32,
                    chain_hash=b"\0" * 32,
                    opened=True,
                )
            )
        sealed = SealedAppeal.objects.bulk_create(sealed)
        appeals = []
        for spec, box_row in zip(chunk, sealed, strict=True):
            opening = openings.get(spec.received_on)
            if opening is None:
                opening = openings[spec.received_on] = opening_make(school, by, spec.received_on)
            registered = (
                spec.received_on + datetime.timedelta(days=spec.registered_after)
                if spec.registered_after is not None
                else None
            )
            answered = (
                registered + datetime.timedelta(days=spec.answered_after)
                if registered and spec.answered_after is not None
                else None
            )
            appeals.append(
                Appeal(
                    school=school,
                    opening=opening,
                    number_in_act=box_row.seq,
                    source=spec.source,
                    received_on=spec.received_on,
                    kind=spec.kind,
                    category=spec.category,
                    urgent=spec.urgent,
                    signed=spec.signed,
                    registry_key=registry_key,
                    sealed_content=SEALED,
                    sealed_appeal=box_row,
                    status=spec.status if registered else Status.TAKEN_OUT,
                    register_by=spec.received_on + datetime.timedelta(days=spec.register_within),
                    registered_on=registered,
                    year=registered.year if registered else None,
                    serial=box_row.seq if registered else None,
                    due_on=registered + datetime.timedelta(days=spec.answer_within)
                    if registered
                    else None,
                    outcome=spec.outcome,
                    answered_on=answered,
                    closed_on=answered if spec.status == Status.CLOSED else None,
                    **spec.extra,
                )
            )
        Appeal.objects.bulk_create(appeals)
        made += len(appeals)
    for opening in openings.values():
        counted = Appeal.objects.filter(opening=opening)
        opening.paper_count = counted.filter(source="paper").count()
        opening.online_count = counted.count() - opening.paper_count
        opening.save(update_fields=["online_count", "paper_count"])
    return made
