"""Operator command: the work of the day (reminders, digests, compliance warnings)."""

from __future__ import annotations

import datetime
from typing import Any

from django.core.management.base import CommandError, CommandParser
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, ngettext

from trustbox.core.daily import daily_run
from trustbox.core.models import Heartbeat
from trustbox.lib.commands import OperatorCommand


class Command(OperatorCommand):
    help = gettext_lazy(
        "Run the daily work: reminders of deadlines and the other daily jobs. Run it once a "
        "day, e.g. `0 7 * * * /srv/trustbox/.venv/bin/python -m trustbox daily`."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--date", default=None, help=_("the day, YYYY-MM-DD (default: today)"))

    def handle(self, *args: Any, date: str | None = None, **options: Any) -> None:
        try:
            today = datetime.date.fromisoformat(date) if date else timezone.localdate()
        except ValueError as error:
            raise CommandError(
                _("Not a date in the form YYYY-MM-DD: %(date)s.") % {"date": date}
            ) from error
        run = daily_run(today=today)
        for line in run.lines:
            self.stdout.write(line)
        if not run.unfinished:
            Heartbeat.beat(Heartbeat.Routine.DAILY)
        else:
            raise CommandError(
                ngettext(
                    "%(count)d job of the day did not finish: %(names)s. The lines above and "
                    "the log say why; it is tried again on the next run.",
                    "%(count)d jobs of the day did not finish: %(names)s. The lines above and "
                    "the log say why; they are tried again on the next run.",
                    len(run.unfinished),
                )
                % {"count": len(run.unfinished), "names": ", ".join(run.unfinished)}
            )
