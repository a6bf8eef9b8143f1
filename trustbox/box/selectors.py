"""Reads about a school's box that say how much waits inside, never what."""

from __future__ import annotations

from dataclasses import dataclass

from django.db.models import Count, Q

from trustbox.box.models import SealedAppeal
from trustbox.schools.models import School


@dataclass(frozen=True)
class BoxContents:
    waiting: int
    urgent: int
    paper: int = 0  # paper appeals typed in at the opening under way


def box_contents(school: School) -> BoxContents:
    counts = (
        SealedAppeal.objects.filter(school=school)
        .in_box()
        .aggregate(
            waiting=Count("id"),
            urgent=Count("id", filter=Q(urgent=True)),
            paper=Count("id", filter=Q(paper=True)),
        )
    )
    return BoxContents(waiting=counts["waiting"], urgent=counts["urgent"], paper=counts["paper"])
