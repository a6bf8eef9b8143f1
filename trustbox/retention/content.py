"""What an act of destruction says, as one canonical serialisation that members sign.

Plain JSON written when the act is drawn up: the school, the act's number, the meeting that
decided, the periods in force and their clause, and one line per case with its registration
number, dates and the codes of its kind, category and outcome (the documents translate the
codes). Never a text, a name or anything sealed. Canonical as a protocol's content
(meetings.content): sorted keys, no spaces, UTF-8; its fingerprint is its SHA-256.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from typing import Any

from trustbox.meetings.content import content_canonical
from trustbox.meetings.models import Meeting
from trustbox.meetings.selectors import protocol_in_force
from trustbox.registry.models import Appeal
from trustbox.retention.periods import PeriodsInForce
from trustbox.seal import crypto

FORMAT = "trustbox-destruction-act/1"
# Put before the content when signing: a signature of an act is never taken for another's.
SIGNING_CONTEXT = b"Trust Box: act of destruction of cases past their retention period\n"


def _day(value: Any) -> str | None:
    return value.isoformat() if value else None


def case_line(appeal: Appeal) -> dict[str, Any]:
    """What the act keeps of one case: what the registry keeps after its destruction."""
    return {
        "number": appeal.number,
        "received_on": _day(appeal.received_on),
        "registered_on": _day(appeal.registered_on),
        "closed_on": _day(appeal.closed_on),
        "kind": appeal.kind,
        "category": appeal.category,
        "outcome": appeal.outcome,
        "urgent": appeal.urgent,
    }


def act_content(
    *,
    meeting: Meeting,
    year: int,
    number: int,
    periods: PeriodsInForce,
    appeals: Iterable[Appeal],
) -> dict[str, Any]:
    protocol = protocol_in_force(meeting)
    return {
        "format": FORMAT,
        "school": meeting.school.name,
        "year": year,
        "number": number,
        "meeting": {
            "held_on": meeting.held_on.isoformat(),
            "protocol": f"{protocol.number}/{protocol.year}" if protocol else None,
        },
        "periods": {
            "appeals": periods.years("appeals"),
            "appeals_long": periods.years("appeals_long"),
        },
        "clause": periods.clause,
        "lines": [case_line(appeal) for appeal in appeals],
    }


def act_message(content: Mapping[str, Any]) -> bytes:
    """The bytes a member signs."""
    return SIGNING_CONTEXT + content_canonical(content)


def act_fingerprint(content: Mapping[str, Any]) -> str:
    return crypto.content_fingerprint(content_canonical(content))
