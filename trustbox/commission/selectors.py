"""Reads about commissions for pages above: what a district may see of its schools."""

from __future__ import annotations

from dataclasses import dataclass

from trustbox.accounts.models import User
from trustbox.commission.models import Commission
from trustbox.schools.models import District, Membership, School


@dataclass(frozen=True)
class SchoolStatus:
    """What a district sees of one school: facts of compliance, never a name."""

    school: School
    has_commission: bool
    commission_size: int
    officers_elected: bool


def district_overview(district: District) -> list[SchoolStatus]:
    rows = []
    for school in district.schools.order_by("name"):
        commission = Commission.objects.current(school)
        rows.append(
            SchoolStatus(
                school=school,
                has_commission=commission is not None,
                commission_size=commission.size if commission else 0,
                officers_elected=bool(commission and commission.chair_id),
            )
        )
    return rows


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
