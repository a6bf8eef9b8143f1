"""Reads about schools and districts, always scoped to what the person may see."""

from __future__ import annotations

from dataclasses import dataclass

from django.db.models import QuerySet

from trustbox.accounts.models import User
from trustbox.lib.letters import name_fold
from trustbox.schools.models import District, Membership, School


def schools_of(user: User) -> QuerySet[School]:
    return School.objects.for_user(user).select_related("district")


def districts_of(user: User) -> QuerySet[District]:
    return District.objects.filter(viewers__user=user)


def people_of(school: School) -> QuerySet[Membership]:
    return Membership.objects.for_school(school).order_by("user__full_name")


QUOTES = str.maketrans("", "", "«»\"'“”„")


@dataclass(frozen=True)
class SchoolListed:
    """What anyone may learn of a school by searching: its name, district and box address."""

    name: str
    slug: str
    district: str


def _folded(text: str) -> str:
    """The text as compared: quotes dropped, Cyrillic and Latin letters folded to one skeleton."""
    return name_fold(text.translate(QUOTES))


def schools_search(query: str, *, limit: int) -> list[SchoolListed]:
    """Schools whose name or district holds every word of the query, at most limit of them.

    Compared in Python, not in SQL: SQLite folds the case of Latin letters only, and Kyrgyz or
    Russian names must match however they are typed, in Cyrillic or in Latin letters
    (`lib.letters.name_fold`). A country's schools are a few thousand.
    """
    words = [_folded(word) for word in query.split()]
    if not words:
        return []
    found = []
    rows = School.objects.order_by("name").values_list("name", "slug", "district__name")
    for name, slug, district in rows.iterator():
        haystack = _folded(f"{name} {district or ''}")
        if all(word in haystack for word in words):
            found.append(SchoolListed(name=name, slug=slug, district=district or ""))
            if len(found) == limit:
                break
    return found
