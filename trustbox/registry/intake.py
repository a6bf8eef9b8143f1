"""Taking appeals into the registry at an opening: the registry owns what it stores."""

from __future__ import annotations

import base64
import dataclasses
import datetime
from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any

from trustbox.box.envelope import Envelope
from trustbox.box.models import SealedAppeal
from trustbox.registry.models import Appeal, RegistryKey, Source
from trustbox.seal import crypto


@dataclass(frozen=True)
class TakenOut:
    """One appeal just opened with the box key: where it was, its line in the act, its content."""

    sealed: SealedAppeal
    number_in_act: int
    plaintext: bytes = dataclasses.field(repr=False)


def appeals_take_in(
    *,
    school: Any,
    opening: Any,
    registry_key: RegistryKey,
    register_by: datetime.date,
    taken_out: Iterable[TakenOut],
) -> list[Appeal]:
    """Seal each opened appeal to the registry key and store it, waiting for registration.

    Kind, category, urgency and whether it is signed come out of the envelope into plain
    fields for lists and statistics; everything else stays sealed.
    """
    public = bytes(registry_key.public_key)
    appeals = []
    for item in taken_out:
        envelope = Envelope.from_bytes(item.plaintext)
        appeals.append(
            Appeal(
                school=school,
                opening=opening,
                number_in_act=item.number_in_act,
                source=Source.PAPER if item.sealed.paper else Source.ONLINE,
                received_on=item.sealed.received_on,
                kind=envelope.kind,
                category=envelope.category,
                urgent=envelope.urgent,
                signed=envelope.writer is not None,
                register_by=register_by,
                writer_public_key=base64.b64decode(envelope.reply_public)
                if envelope.reply_public
                else None,
                registry_key=registry_key,
                sealed_content=crypto.seal_for_box(public, item.plaintext),
                sealed_appeal=item.sealed,
            )
        )
    return Appeal.objects.bulk_create(appeals)
