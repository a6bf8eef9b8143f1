"""Operator command: the work of the day (reminders, digests, compliance warnings)."""

from __future__ import annotations

import datetime
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.utils import timezone

from trustbox.core.daily import daily_run


class Command(BaseCommand):
    help = (
        "Run the daily work: reminders of deadlines and the other daily jobs. Run it once a "
        "day, e.g. `0 7 * * * /srv/trustbox/.venv/bin/python -m trustbox daily`."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--date", default=None, help="the day, YYYY-MM-DD (default: today)")

    def handle(self, *args: Any, date: str | None = None, **options: Any) -> None:
        try:
            today = datetime.date.fromisoformat(date) if date else timezone.localdate()
        except ValueError as error:
            raise CommandError(f"Not a date in the form YYYY-MM-DD: {date!r}.") from error
        for line in daily_run(today=today):
            self.stdout.write(line)
