"""The roles the commission order in force gives: member, responsible person, chair, secretary."""

from __future__ import annotations

from collections.abc import Iterable

from trustbox.accounts.access import Role
from trustbox.accounts.models import User
from trustbox.commission.models import Commission
from trustbox.schools.models import School


def commission_roles(user: User, school: School) -> Iterable[Role]:
    """Roles from the order in force only: a member dropped by a new order has none."""
    commission = Commission.objects.current(school)
    if commission is None or not commission.seats.filter(user=user).exists():
        return
    yield Role.MEMBER
    if commission.responsible_id == user.pk:
        yield Role.RESPONSIBLE
    if commission.chair_id == user.pk:
        yield Role.CHAIR
    if commission.secretary_id == user.pk:
        yield Role.SECRETARY
