"""Reads of the retention app: the cases past their period, the acts and who must sign them."""

from __future__ import annotations

import datetime
from dataclasses import dataclass

from django.db.models import Q, QuerySet

from trustbox.accounts.access import Role, roles_in
from trustbox.accounts.models import User
from trustbox.meetings.models import Decision, Meeting
from trustbox.registry.models import Appeal, Status
from trustbox.retention.models import ActSignature, DestructionAct
from trustbox.retention.periods import REFERRED, periods_in_force, years_before
from trustbox.schools.models import School

AGENDA_KIND = "destruction"


def cases_past_period(school: School, today: datetime.date) -> QuerySet[Appeal]:
    """Closed cases whose period ended before today and that no act lists yet, oldest first.

    Only closed cases (closed_on set): never an appeal still in the box (those are not in the
    registry at all), nor one being considered, nor one destroyed or that an act lists. Urgent
    and referred cases keep the long period.
    """
    periods = periods_in_force(school)
    short_end = years_before(today, periods.years("appeals"))
    long_end = years_before(today, periods.years("appeals_long"))
    long = Q(urgent=True) | Q(outcome__in=REFERRED)
    return (
        Appeal.objects.for_school(school)
        .filter(status=Status.CLOSED, closed_on__isnull=False, destroyed_on__isnull=True)
        .filter((~long & Q(closed_on__lt=short_end)) | (long & Q(closed_on__lt=long_end)))
        .filter(destruction_line__isnull=True)
        .order_by("closed_on", "year", "serial")
    )


def act_signers(act: DestructionAct) -> list[User]:
    """Everyone who signs: every member of the commission that held the meeting (cl. 4.3)."""
    return list(
        User.objects.filter(seats__commission_id=act.meeting.commission_id).order_by(
            "full_name", "pk"
        )
    )


@dataclass(frozen=True)
class Missing:
    member: User
    can_sign: bool  # False for a member who has left the commission


def act_missing(act: DestructionAct) -> list[Missing]:
    signed = set(ActSignature.objects.filter(act=act).values_list("member_id", flat=True))
    return [
        Missing(member=member, can_sign=Role.MEMBER in roles_in(member, act.school))
        for member in act_signers(act)
        if member.pk not in signed
    ]


def acts_of(school: School) -> QuerySet[DestructionAct]:
    return DestructionAct.objects.filter(school=school).select_related("meeting")


def acts_awaiting(school: School) -> QuerySet[DestructionAct]:
    """Acts not every member has signed yet (and not withdrawn), oldest first."""
    return (
        acts_of(school)
        .filter(completed_at__isnull=True, withdrawn_at__isnull=True)
        .order_by("year", "number")
    )


def meetings_deciding(school: School) -> list[Meeting]:
    """Held meetings that adopted a decision on a destruction item and have no act yet."""
    decided = Decision.objects.filter(
        meeting__school=school,
        meeting__status=Meeting.Status.HELD,
        item__kind=AGENDA_KIND,
        adopted=True,
    ).values("meeting_id")
    return list(
        Meeting.objects.filter(pk__in=decided, destruction_acts__isnull=True).order_by("held_on")
    )


def decision_adopted(meeting: Meeting) -> bool:
    return Decision.objects.filter(meeting=meeting, item__kind=AGENDA_KIND, adopted=True).exists()
