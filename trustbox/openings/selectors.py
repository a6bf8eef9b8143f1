"""Reads about openings for the pages above: what is gathering, what waits for a member."""

from __future__ import annotations

from trustbox.accounts.models import User
from trustbox.openings.gathering import expires_before
from trustbox.openings.models import Opening
from trustbox.schools.models import School


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
    """Openings the person was present at and whose new seal code they have not confirmed."""
    return list(
        Opening.objects.for_school(school)
        .done()
        .filter(participants__member=user, participants__confirmed_seal=False)
        .order_by("journal_number")
    )
