"""The work of the day, run once a day by `python -m trustbox daily` (cron or a systemd timer).

Each job is a plain function of the day that returns a line for the operator's log; jobs
never write an appeal's content anywhere. Add a job here when an app has daily work.
"""

from __future__ import annotations

import datetime
import logging
from collections.abc import Callable

from trustbox.audit.digests import digest_send
from trustbox.audit.services import audit_checkpoint
from trustbox.commission.models import Commission
from trustbox.compliance.notify import compliance_warnings_send
from trustbox.meetings.sealing import record_seal_leftovers_everywhere
from trustbox.openings.gathering import openings_expire
from trustbox.registry.notify import deadline_reminders_send, writer_messages_notify
from trustbox.reports.freeze import tallies_freeze_due
from trustbox.schools.models import School

log = logging.getLogger(__name__)


def _reminders(today: datetime.date) -> str:
    """Deadlines due, and writers who wrote back on the days before (one slot a day)."""
    reminders = deadline_reminders_send(today=today)
    told = writer_messages_notify(today=today)
    return f"deadline reminders sent: {reminders}; mails of writers who wrote back: {told}"


def _chains(today: datetime.date) -> str:
    """Check every audit chain in full, then mail each school's digest of its chains.

    The digest goes to the chair and the responsible person of the commission in force.
    """
    broken: list[str] = []
    sent = failed = 0
    if not audit_checkpoint(school=None).whole:
        broken.append("install")
    schools = list(School.objects.order_by("pk"))
    for school in schools:
        check = audit_checkpoint(school=school)
        if not check.whole:
            broken.append(school.slug)
        commission = Commission.objects.current(school)
        people = [commission.chair, commission.responsible] if commission else []
        try:
            digest = digest_send(
                school=school,
                today=today,
                recipients=[person for person in people if person is not None],
                whole=check.whole,
            )
        except OSError:
            log.warning("the digest of school %s could not be mailed", school.pk)
            failed += 1
            continue
        sent += digest is not None
    line = f"chains checked in full: {len(schools)} schools and the install"
    line += f", broken: {', '.join(broken)}" if broken else ", all whole"
    line += f"; digests mailed: {sent}"
    return line + (f", not mailed (mail server): {failed}" if failed else "")


def _openings_expire(today: datetime.date) -> str:
    return f"openings expired and wiped: {openings_expire()}"


def _meetings_seal(today: datetime.date) -> str:
    """Seal the commission's words written in clear before it could seal (no box key yet)."""
    return f"pieces of meetings' records sealed: {record_seal_leftovers_everywhere()}"


def _compliance_warnings(today: datetime.date) -> str:
    return f"warnings sent: {compliance_warnings_send(today=today)}"


def _tallies_freeze(today: datetime.date) -> str:
    """Count once and for all each school's quarter whose report deadline has passed."""
    return f"school quarters frozen for the district's views: {tallies_freeze_due(today=today)}"


DAILY_JOBS: list[tuple[str, Callable[[datetime.date], str]]] = [
    ("remind", _reminders),
    ("openings", _openings_expire),
    ("meetings", _meetings_seal),
    ("chains", _chains),
    ("compliance", _compliance_warnings),
    ("tallies", _tallies_freeze),
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
