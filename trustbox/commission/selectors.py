"""Reads about commissions for the apps above."""

from __future__ import annotations

import datetime
from dataclasses import dataclass

from django.db.models import Min, QuerySet

from trustbox.accounts.models import User
from trustbox.commission.models import Commission
from trustbox.commission.rules import order_problems
from trustbox.schools.models import Membership, School


def member_in_force(*, school: School, user: User) -> bool:
    """Whether the person sits on the commission whose order is in force at the school."""
    commission = Commission.objects.current(school)
    return commission is not None and commission.seats.filter(user=user).exists()


def parents_of(school: School) -> list[User]:
    """The people of the school who are parents: the parents' community is chosen among them."""
    return list(
        User.objects.filter(
            memberships__school=school, memberships__kind=Membership.Kind.PARENT
        ).order_by("full_name")
    )


@dataclass(frozen=True)
class OrderOwed:
    """The order appointing the commission (cl. 4.1, 4.2): in force or not, and what it lacks."""

    commission: Commission | None
    members: list[User]
    problems: dict[str, str]  # what the order lacks, by field, in the regulation's words

    @property
    def done(self) -> bool:
        return self.commission is not None and not self.problems


def current_commission(school: School) -> Commission | None:
    """The commission whose order is in force at the school."""
    return Commission.objects.current(school)


def first_order_date(school: School) -> datetime.date | None:
    """The day of the school's first order appointing a commission (None: never appointed)."""
    found: datetime.date | None = Commission.objects.for_school(school).aggregate(
        first=Min("order_date")
    )["first"]
    return found


def chair_or_responsible(commission: Commission) -> User:
    """Who is warned for the commission: the chair; until one is elected, the responsible person."""
    return commission.chair or commission.responsible


def schools_with_commission() -> QuerySet[School]:
    """The schools with a commission in force, in the order of their ids."""
    return School.objects.filter(commissions__replaced_at__isnull=True).distinct().order_by("pk")


def order_owed(commission: Commission | None) -> OrderOwed:
    """The order of the commission in force, checked against the regulation."""
    if commission is None:
        return OrderOwed(commission=None, members=[], problems={})
    members = list(commission.members.all())
    problems = order_problems(
        members=members,
        parents_representative=commission.parents_representative,
        responsible=commission.responsible,
    )
    return OrderOwed(commission=commission, members=members, problems=dict(problems))
