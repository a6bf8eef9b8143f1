"""Reads about openings for the pages above: what is gathering, what waits for a member."""

from __future__ import annotations

import datetime
from dataclasses import dataclass

from django.db.models import Min
from django.utils import timezone

from trustbox.accounts.models import User
from trustbox.box.models import SealedAppeal
from trustbox.openings.gathering import expires_before
from trustbox.openings.models import Opening
from trustbox.schools.models import School
from trustbox.seal.models import BoxKey


def gathering_now(school: School) -> Opening | None:
    """The gathering under way at the school, if one has not expired."""
    return (
        Opening.objects.for_school(school)
        .gathering()
        .filter(started_at__gte=expires_before())
        .select_related("started_by")
        .first()
    )


def seal_to_confirm(*, school: School, user: User) -> list[Opening]:
    """The last opening, if the person was present and has not confirmed its new seal code.

    The seal of an earlier opening was broken at the next one: confirming it is no longer asked.
    """
    last = Opening.objects.for_school(school).done().order_by("-opened_at", "-pk").first()
    if last is None or not last.participants.filter(member=user, confirmed_seal=False).exists():
        return []
    return [last]


@dataclass(frozen=True)
class OpeningsOwed:
    """The box (cl. 3.1, 3.3): ready, opened with act and journal entry, nothing left waiting."""

    has_key: bool  # the box has a key, so it takes appeals
    broken: bool  # an opening done has no journal entry or no new seal
    waiting: int  # sealed appeals in the box
    oldest: datetime.date | None  # the day the oldest of those came
    openings: int  # openings done
    last_opened: datetime.date | None  # the day of the last of those

    @property
    def done(self) -> bool:
        return self.has_key and not self.broken and not self.waiting


def openings_owed(school: School) -> OpeningsOwed:
    """The facts of the box and its openings at the school."""
    if BoxKey.objects.current(school) is None:
        return OpeningsOwed(False, False, 0, None, 0, None)
    done = Opening.objects.for_school(school).done()
    broken = any(
        not (opening.journal_number and opening.new_head and opening.opened_at)
        for opening in done.order_by("opened_at")
    )
    waiting = SealedAppeal.objects.filter(school=school).in_box()
    last = done.order_by("-opened_at").first()
    return OpeningsOwed(
        has_key=True,
        broken=broken,
        waiting=waiting.count(),
        oldest=waiting.aggregate(day=Min("received_on"))["day"],
        openings=done.count(),
        last_opened=timezone.localtime(last.opened_at).date() if last and last.opened_at else None,
    )
