"""When a deadline is overdue and when it is soon: defined once, from settings.

"Soon" is the same window everywhere (the to-do list, the registry's filter, the compliance
page, the chair's warnings and the reminders): `settings.REMIND_DAYS_BEFORE` days ahead.
"""

from __future__ import annotations

import datetime

from django.conf import settings


def soon_until(today: datetime.date) -> datetime.date:
    """The last day of the "soon" window that starts today."""
    return today + datetime.timedelta(days=int(settings.REMIND_DAYS_BEFORE))


def is_overdue(due: datetime.date | None, today: datetime.date) -> bool:
    """Whether a deadline has passed: the day itself still counts as in time."""
    return due is not None and due < today
