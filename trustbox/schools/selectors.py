"""Reads about schools and districts, always scoped to what the person may see."""

from __future__ import annotations

from django.db.models import QuerySet

from trustbox.accounts.models import User
from trustbox.schools.models import District, Membership, School


def schools_of(user: User) -> QuerySet[School]:
    return School.objects.for_user(user).select_related("district")


def districts_of(user: User) -> QuerySet[District]:
    return District.objects.filter(viewers__user=user)


def people_of(school: School) -> QuerySet[Membership]:
    return Membership.objects.for_school(school).order_by("user__full_name")
