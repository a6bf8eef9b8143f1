"""Reads about commissions for the apps above."""

from __future__ import annotations

from trustbox.accounts.models import User
from trustbox.commission.models import Commission
from trustbox.schools.models import School


def member_in_force(*, school: School, user: User) -> bool:
    """Whether the person sits on the commission whose order is in force at the school."""
    commission = Commission.objects.current(school)
    return commission is not None and commission.seats.filter(user=user).exists()
