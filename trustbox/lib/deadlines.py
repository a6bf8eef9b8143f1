"""When a deadline is overdue and when it is soon: defined once, from settings.

"Soon" is the same window everywhere (the to-do list, the registry's filter, the compliance
page, the chair's warnings and the reminders): `settings.REMIND_DAYS_BEFORE` days ahead.
Each rule is written once, for a day in Python and as a filter of a date field for the
database, so that a list and a query cannot draw the line on different days.
"""

from __future__ import annotations

import datetime

from django.conf import settings
from django.db.models import Q


def soon_until(today: datetime.date) -> datetime.date:
    """The last day of the "soon" window that starts today."""
    return today + datetime.timedelta(days=int(settings.REMIND_DAYS_BEFORE))


def soon_from(due: datetime.date) -> datetime.date:
    """The first day on which a deadline counts as soon."""
    return due - datetime.timedelta(days=int(settings.REMIND_DAYS_BEFORE))


def is_overdue(due: datetime.date | None, today: datetime.date) -> bool:
    """Whether a deadline has passed: the day itself still counts as in time."""
    return due is not None and due < today


def overdue_filter(field: str, today: datetime.date) -> Q:
    """The rows whose deadline in `field` has passed (as is_overdue)."""
    return Q(**{f"{field}__lt": today})


def soon_filter(field: str, today: datetime.date) -> Q:
    """The rows whose deadline in `field` is today or within the "soon" window."""
    return Q(**{f"{field}__gte": today, f"{field}__lte": soon_until(today)})
