"""The work of the day, run once a day by `python -m trustbox daily` (cron or a systemd timer).

Each job is a plain function of the day that returns a line for the operator's log; jobs
never write an appeal's content anywhere. Add a job here when an app has daily work.
"""

from __future__ import annotations

import datetime
import logging
from collections.abc import Callable

from trustbox.openings.services import openings_expire
from trustbox.registry.notify import deadline_reminders_send

log = logging.getLogger(__name__)


def _reminders(today: datetime.date) -> str:
    return f"deadline reminders sent: {deadline_reminders_send(today=today)}"


def _openings_expire(today: datetime.date) -> str:
    return f"openings expired and wiped: {openings_expire()}"


DAILY_JOBS: list[tuple[str, Callable[[datetime.date], str]]] = [
    ("remind", _reminders),
    ("openings", _openings_expire),
]


def daily_run(*, today: datetime.date) -> list[str]:
    """Run every job; a job that fails is logged and does not stop the others."""
    lines = []
    for name, job in DAILY_JOBS:
        try:
            lines.append(f"{name}: {job(today)}")
        except Exception:
            log.exception("daily job %s failed", name)
            lines.append(f"{name}: FAILED (see the log)")
    return lines
