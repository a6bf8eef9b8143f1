"""Taking appeals into the registry at an opening: the registry owns what it stores."""

from __future__ import annotations

import base64
import dataclasses
import datetime
from collections.abc import Iterable
from dataclasses import dataclass
from itertools import islice
from typing import Any

from django.db import connection

from trustbox.box.envelope import KIOSK, EnvelopeFacts
from trustbox.registry.integrity import intake_record, state_hash
from trustbox.registry.models import Appeal, ContentFormat, RegistryKey, Source, Status
from trustbox.seal import crypto


@dataclass(slots=True)
class TakenOut:
    """One appeal just opened with the box key: where it was, its line in the act, its content."""

    sealed_id: int
    paper: bool
    received_on: datetime.date
    number_in_act: int
    plaintext: bytes = dataclasses.field(repr=False)


# Appeals are stored this many at a time: memory stays bounded however many are taken out.
STORED_AT_ONCE = 500
# The columns each appeal brings; every other column has the same value for a whole opening.
_OWN = (
    "number_in_act",
    "source",
    "received_on",
    "kind",
    "category",
    "urgent",
    "signed",
    "writer_public_key",
    "sealed_content",
    "sealed_appeal_id",
)


def _shared_values(**values: Any) -> dict[str, Any]:
    """Every column but the appeal's own, ready for the database (defaults included)."""
    shared = {}
    for field in Appeal._meta.concrete_fields:
        if field.primary_key or field.attname in _OWN:
            continue
        value = values[field.attname] if field.attname in values else field.get_default()
        shared[field.column] = field.get_db_prep_save(value, connection)
    return shared


def appeals_take_in(
    *,
    school: Any,
    opening: Any,
    registry_key: RegistryKey,
    register_by: datetime.date,
    taken_out: Iterable[TakenOut],
) -> int:
    """Seal each opened appeal to the registry key and store it, waiting for registration.

    Kind, category, urgency and whether it is signed come out of the envelope into plain
    fields for lists and statistics; everything else stays sealed. One ephemeral key seals
    every appeal of the opening (crypto.sealer_for_registry); the appeals are inserted a batch
    at a time, each column prepared once for the whole opening. Return how many were stored.
    """
    sealer = crypto.sealer_for_registry(bytes(registry_key.public_key))
    shared = _shared_values(
        school_id=school.pk,
        opening_id=opening.pk,
        registry_key_id=registry_key.pk,
        register_by=register_by,
        status=Status.TAKEN_OUT.value,
        content_format=ContentFormat.OPENING_SEALER,
    )
    fields = {field.attname: field for field in Appeal._meta.concrete_fields}
    statement = _insert_statement([*shared, *(fields[name].column for name in _OWN)])
    day = fields["received_on"]
    days: dict[datetime.date, Any] = {}
    constant = tuple(shared.values())
    stored = 0
    states: list[str] = []
    items = iter(taken_out)
    while batch := list(islice(items, STORED_AT_ONCE)):
        rows = []
        for item in batch:
            facts = EnvelopeFacts.from_bytes(item.plaintext)
            if item.received_on not in days:
                days[item.received_on] = day.get_db_prep_save(item.received_on, connection)
            taken = _TakenIn(item, facts)
            rows.append((*constant, *taken.own_values(days[item.received_on], sealer)))
            states.append(taken.chain_state(opening_id=opening.pk, register_by=register_by))
        with connection.cursor() as cursor:
            cursor.executemany(statement, rows)
        stored += len(rows)
    # The chain records what each appeal was taken in as: a change since shows at its check.
    intake_record(school=school, opening=opening, states=states)
    return stored


def _insert_statement(columns: list[str]) -> str:
    """One INSERT of the appeal's table with these columns, each value a parameter."""
    quote = connection.ops.quote_name
    return "INSERT INTO {} ({}) VALUES ({})".format(  # noqa: S608 (the model's own names)
        quote(Appeal._meta.db_table),
        ", ".join(quote(column) for column in columns),
        ", ".join(["%s"] * len(columns)),
    )


class _TakenIn:
    """One appeal as the registry takes it in: its way of writing and the writer's key read once."""

    __slots__ = ("facts", "item", "source", "writer_key")

    def __init__(self, item: TakenOut, facts: EnvelopeFacts) -> None:
        self.item, self.facts = item, facts
        if item.paper:
            self.source = Source.PAPER.value
        else:
            self.source = Source.KIOSK.value if facts.channel == KIOSK else Source.ONLINE.value
        self.writer_key = base64.b64decode(facts.reply_public) if facts.reply_public else None

    def own_values(self, received_on: Any, sealer: crypto.RegistrySealer) -> tuple[Any, ...]:
        """The appeal's own columns (_OWN, in that order), its content sealed to the registry."""
        item, facts = self.item, self.facts
        return (
            item.number_in_act,
            self.source,
            received_on,
            facts.kind,
            facts.category,
            facts.urgent,
            facts.signed,
            self.writer_key,
            sealer.seal(item.plaintext),
            item.sealed_id,
        )

    def chain_state(self, *, opening_id: int, register_by: datetime.date) -> str:
        """What the appeal was taken in as, for the chain (integrity.state_hash)."""
        facts = self.facts
        return state_hash(
            {
                "status": Status.TAKEN_OUT.value,
                "kind": facts.kind,
                "category": facts.category,
                "urgent": facts.urgent,
                "signed": facts.signed,
                "source": self.source,
                "received_on": self.item.received_on,
                "opening_id": opening_id,
                "number_in_act": self.item.number_in_act,
                "register_by": register_by,
                "writer_public_key": self.writer_key,
            }
        )
