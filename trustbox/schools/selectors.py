"""Reads about schools and districts, always scoped to what the person may see."""

from __future__ import annotations

from dataclasses import dataclass

from django.db.models import QuerySet

from trustbox.accounts.models import User
from trustbox.schools.models import District, Membership, School


def schools_of(user: User) -> QuerySet[School]:
    return School.objects.for_user(user).select_related("district")


def districts_of(user: User) -> QuerySet[District]:
    return District.objects.filter(viewers__user=user)


def people_of(school: School) -> QuerySet[Membership]:
    return Membership.objects.for_school(school).order_by("user__full_name")


@dataclass(frozen=True)
class SchoolStatus:
    """What a district sees of one school: facts of compliance, never a name."""

    school: School
    has_commission: bool
    commission_size: int
    officers_elected: bool


def district_overview(district: District) -> list[SchoolStatus]:
    from trustbox.commission.models import Commission

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
