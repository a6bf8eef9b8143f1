"""Deadlines of the registry, counted in working days (trustbox.schools.calendar): weekends,
Kyrgyz public holidays and the days the government moved are skipped."""

from __future__ import annotations

import datetime

from django.conf import settings

from trustbox.schools.calendar import add_working_days, is_working_day, next_working_day

__all__ = ["add_working_days", "answer_by", "is_working_day", "next_working_day", "register_by"]


def register_by(opened_on: datetime.date) -> datetime.date:
    """Registration is due within one working day of the opening (Law No. 67, art. 8)."""
    return add_working_days(opened_on, settings.REGISTER_WITHIN_WORKING_DAYS)


def answer_by(registered_on: datetime.date, *, urgent: bool = False) -> datetime.date:
    """The day an answer is due, counted from registration by the configured rule."""
    if urgent:
        return add_working_days(registered_on, settings.URGENT_ANSWER_WITHIN_DAYS)
    if settings.ANSWER_DAYS_ARE == "working":
        return add_working_days(registered_on, settings.ANSWER_WITHIN_DAYS)
    return next_working_day(registered_on + datetime.timedelta(days=settings.ANSWER_WITHIN_DAYS))
