"""The work of the day, run once a day by `python -m trustbox daily` (cron or a systemd timer).

Each job is a plain function of the day that returns a line for the operator's log; jobs
never write an appeal's content anywhere. Add a job here when an app has daily work.

A job that raises, or that logs a warning while it runs (a mail that could not be sent, which
the apps log and try again on the next run), has not finished: the run names it and the command
exits non-zero, so cron and systemd see the failure.
"""

from __future__ import annotations

import datetime
import logging
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field

from django.utils.translation import gettext as _

from trustbox.audit.digests import digest_send
from trustbox.audit.services import audit_checkpoint
from trustbox.box.services import spent_forms_forget
from trustbox.commission.models import Commission
from trustbox.compliance.notify import compliance_warnings_send
from trustbox.core.destructions import destructions_since
from trustbox.meetings.sealing import record_seal_leftovers_everywhere
from trustbox.openings.gathering import openings_expire
from trustbox.registry.answers import unreached_answers_reopen, writer_reopened_restore
from trustbox.registry.notify import deadline_reminders_send, writer_messages_notify
from trustbox.reports.freeze import tallies_freeze_due
from trustbox.schools.models import School

log = logging.getLogger(__name__)


def _answers_unreached(today: datetime.date) -> str:
    """Appeals marked answered by a way that cannot reach the writer go back under consideration;
    those a writer's message reopened before issue 21 are answered again, for a decision."""
    reopened = unreached_answers_reopen()
    restored = writer_reopened_restore()
    return _(
        "answers that could not reach their writer, reopened: %(reopened)d; "
        "appeals a writer's message had reopened, back to answered: %(restored)d"
    ) % {"reopened": reopened, "restored": restored}


def _reminders(today: datetime.date) -> str:
    """Deadlines due, and writers who wrote back on the days before (one slot a day)."""
    reminders = deadline_reminders_send(today=today)
    told = writer_messages_notify(today=today)
    return _(
        "deadline reminders sent: %(reminders)d; mails of writers who wrote back: %(told)d"
    ) % {"reminders": reminders, "told": told}


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
    line = _("chains checked in full: %(count)d schools and the install") % {"count": len(schools)}
    line += _(", broken: %(names)s") % {"names": ", ".join(broken)} if broken else _(", all whole")
    line += _("; digests mailed: %(count)d") % {"count": sent}
    if failed:
        line += _(", not mailed (mail server): %(count)d") % {"count": failed}
    return line


def _openings_expire(today: datetime.date) -> str:
    return _("openings expired and wiped: %(count)d") % {"count": openings_expire()}


def _meetings_seal(today: datetime.date) -> str:
    """Seal the commission's words written in clear before it could seal (no box key yet)."""
    return _("pieces of meetings' records sealed: %(count)d") % {
        "count": record_seal_leftovers_everywhere()
    }


def _compliance_warnings(today: datetime.date) -> str:
    return _("warnings sent: %(count)d") % {"count": compliance_warnings_send(today=today)}


def _tallies_freeze(today: datetime.date) -> str:
    """Count once and for all each school's quarter whose report deadline has passed."""
    return _("school quarters frozen for the district's views: %(count)d") % {
        "count": tallies_freeze_due(today=today)
    }


def _destructions(today: datetime.date) -> str:
    """The destructions since yesterday, in the operator's log: a list outside every archive."""
    records = destructions_since(day=today - datetime.timedelta(days=1))
    line = _("destructions in the ledger since yesterday: %(count)d") % {"count": len(records)}
    listed = (f"{r.school} {r.number or r.seq} ({r.act}, {r.day})" for r in records)
    return "; ".join([line, *listed])


def _spent_forms_forget(today: datetime.date) -> str:
    return _("marks of spent forms deleted: %(count)d") % {"count": spent_forms_forget(today=today)}


DAILY_JOBS: list[tuple[str, Callable[[datetime.date], str]]] = [
    ("answers", _answers_unreached),
    ("remind", _reminders),
    ("openings", _openings_expire),
    ("meetings", _meetings_seal),
    ("chains", _chains),
    ("compliance", _compliance_warnings),
    ("tallies", _tallies_freeze),
    ("forms", _spent_forms_forget),
    ("destructions", _destructions),
]


class _WarningCounter(logging.Handler):
    def __init__(self) -> None:
        super().__init__(level=logging.WARNING)
        self.count = 0

    def emit(self, record: logging.LogRecord) -> None:
        self.count += 1


@contextmanager
def _warnings_counted() -> Iterator[_WarningCounter]:
    """Count the warnings Trust Box's own modules log meanwhile (their failures caught)."""
    counter = _WarningCounter()
    logger = logging.getLogger("trustbox")
    logger.addHandler(counter)
    try:
        yield counter
    finally:
        logger.removeHandler(counter)


@dataclass
class DailyRun:
    lines: list[str] = field(default_factory=list)
    unfinished: list[str] = field(default_factory=list)


def daily_run(*, today: datetime.date) -> DailyRun:
    """Run every job; a job that fails is logged and does not stop the others."""
    run = DailyRun()
    for name, job in DAILY_JOBS:
        with _warnings_counted() as warnings:
            try:
                line = job(today)
            except Exception:
                log.exception("daily job %s failed", name)
                run.lines.append(f"{name}: " + _("FAILED (see the log)"))
                run.unfinished.append(name)
                continue
        if warnings.count:
            line += _("; NOT FINISHED, warnings: %(count)d (see the log)") % {
                "count": warnings.count
            }
            run.unfinished.append(name)
        run.lines.append(f"{name}: {line}")
    return run
