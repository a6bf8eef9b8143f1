"""Deadlines of the registry: working days with weekends and Kyrgyz public holidays skipped."""

from __future__ import annotations

import datetime
from functools import lru_cache

import holidays
from django.conf import settings


@lru_cache(maxsize=64)
def _holidays(year: int) -> holidays.HolidayBase:
    return holidays.country_holidays("KG", years=year)


def is_working_day(day: datetime.date) -> bool:
    return day.weekday() < 5 and day not in _holidays(day.year)


def next_working_day(day: datetime.date) -> datetime.date:
    """The day itself if people work on it, else the first working day after it."""
    while not is_working_day(day):
        day += datetime.timedelta(days=1)
    return day


def add_working_days(start: datetime.date, days: int) -> datetime.date:
    """The working day that comes `days` working days after `start`."""
    day = start
    for _ in range(days):
        day = next_working_day(day + datetime.timedelta(days=1))
    return day


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
