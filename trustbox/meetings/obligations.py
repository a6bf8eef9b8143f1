"""What the meetings make the school owe: two meetings a half-year, each protocol signed by all
(cl. 4.3), and the first session that elects the chair and the secretary (cl. 4.5).

Each selector returns the facts of one obligation; the compliance page, the to-do list and the
chair's warnings read these, so they cannot disagree.
"""

from __future__ import annotations

import datetime
from dataclasses import dataclass
from functools import cached_property

from trustbox.commission.models import Commission
from trustbox.meetings.models import Meeting, Protocol
from trustbox.meetings.selectors import (
    ProtocolCheck,
    meetings_held_between,
    protocol_check,
    protocol_in_force,
)
from trustbox.schools.models import School
from trustbox.schools.periods import HalfYear

MEETINGS_PER_HALF_YEAR = 2


@dataclass(frozen=True)
class HeldMeeting:
    """A meeting held, its protocol in force (None: none yet) and the check of its signatures."""

    meeting: Meeting
    protocol: Protocol | None
    check: ProtocolCheck | None


@dataclass(frozen=True)
class MeetingsOwed:
    """The meetings of one half-year: how many are needed by its last day, and those held."""

    period: HalfYear
    appointed: bool  # a commission was appointed by the half-year's last day
    held: list[HeldMeeting]
    needed: int = MEETINGS_PER_HALF_YEAR

    @property
    def due(self) -> datetime.date:
        return self.period.end

    @property
    def enough(self) -> bool:
        return len(self.held) >= self.needed

    @property
    def done(self) -> bool:
        """Enough meetings, each with a protocol signed by all that still verifies."""
        return self.enough and all(
            held.check is not None and held.check.unchanged and not held.check.missing
            for held in self.held
        )


def meetings_owed(school: School, period: HalfYear) -> MeetingsOwed:
    """The meetings the school owes for the half-year, with their protocols' checks."""
    first_order = (
        Commission.objects.for_school(school).order_by("order_date").values_list("order_date")
    ).first()
    if first_order is None or first_order[0] > period.end:
        return MeetingsOwed(period=period, appointed=False, held=[])
    held = []
    for meeting in meetings_held_between(school, period.start, period.end):
        protocol = protocol_in_force(meeting)
        check = protocol_check(protocol) if protocol is not None else None
        held.append(HeldMeeting(meeting=meeting, protocol=protocol, check=check))
    return MeetingsOwed(period=period, appointed=True, held=held)


@dataclass(frozen=True)
class ElectionOwed:
    """The vote of the first session (cl. 4.5): done, or owed before the commission meets.

    Whether the commission met and the first session's protocol (the evidence) are read only
    when asked: the to-do list needs no more than whether the vote is done.
    """

    commission: Commission | None
    elected: bool  # a chair and a secretary are recorded

    @cached_property
    def met(self) -> bool:
        """Whether the commission has held a meeting."""
        return self.commission is not None and (
            Meeting.objects.filter(commission=self.commission).held().exists()
        )

    @cached_property
    def first_session(self) -> Meeting | None:
        """The first session's meeting of the commission, once the vote is recorded."""
        if self.commission is None or not self.elected:
            return None
        return (
            Meeting.objects.filter(commission=self.commission, kind=Meeting.Kind.FIRST_SESSION)
            .order_by("id")
            .first()
        )

    @cached_property
    def protocol(self) -> Protocol | None:
        """The first session's protocol in force, the evidence of the vote."""
        return protocol_in_force(self.first_session) if self.first_session else None

    @property
    def missed(self) -> bool:
        return self.commission is None or (not self.elected and self.met)

    @property
    def done(self) -> bool:
        return self.elected


def election_owed(commission: Commission | None) -> ElectionOwed:
    """The election of the chair and the secretary by the commission in force."""
    elected = commission is not None and bool(commission.chair_id and commission.secretary_id)
    return ElectionOwed(commission, elected=elected)
