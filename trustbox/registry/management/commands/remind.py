"""Operator command: email the officials whose appeals are due soon or overdue."""

from __future__ import annotations

import datetime
from typing import Any

from django.core.management.base import CommandError, CommandParser
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, ngettext

from trustbox.lib.commands import OperatorCommand
from trustbox.registry.notify import deadline_reminders_send, writer_messages_notify


def iso_date(value: str) -> datetime.date:
    try:
        return datetime.date.fromisoformat(value)
    except ValueError as error:
        raise CommandError(
            _("Not a date in the form YYYY-MM-DD: %(value)s.") % {"value": value}
        ) from error


class Command(OperatorCommand):
    help = gettext_lazy(
        "Email reminders of appeals due soon or overdue, at most once a day per appeal; the "
        "emails name the appeal's number and link, never its content. Run it daily from cron, "
        "e.g. `0 8 * * * /srv/trustbox/.venv/bin/python -m trustbox remind`. It also tells "
        "officials, without any number, that writers wrote back on the days before."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument(
            "--date",
            type=str,
            default=None,
            help=_("the day to remind for, YYYY-MM-DD (default: today, in the local time zone)"),
        )

    def handle(self, *args: Any, date: str | datetime.date | None = None, **options: Any) -> None:
        # From the command line the date is a string; call_command may pass a date.
        today = iso_date(date) if isinstance(date, str) else date or timezone.localdate()
        sent = deadline_reminders_send(today=today)
        self.stdout.write(
            ngettext(
                "%(count)d reminder email sent for %(day)s.",
                "%(count)d reminder emails sent for %(day)s.",
                sent,
            )
            % {"count": sent, "day": today.isoformat()}
        )
        told = writer_messages_notify(today=today)
        self.stdout.write(
            ngettext(
                "%(count)d email sent of writers who wrote back.",
                "%(count)d emails sent of writers who wrote back.",
                told,
            )
            % {"count": told}
        )
