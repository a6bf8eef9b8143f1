"""Operator command: days off and working days declared by a government decree."""

from __future__ import annotations

import datetime
from typing import Any

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.management.base import CommandParser
from django.utils import timezone, translation
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from trustbox.lib.commands import OperatorCommand
from trustbox.schools.calendar import public_holidays
from trustbox.schools.management.commands._operator import (
    actor,
    add_by_argument,
    iso_date,
    refused,
)
from trustbox.schools.models import CalendarChange
from trustbox.schools.services import calendar_change_add, calendar_change_remove


class Command(OperatorCommand):
    help = gettext_lazy(
        "Days off and working days moved by a government decree, used by every deadline: "
        '`calendar add-day-off 2026-12-31 --reason "Decree № …"`, '
        '`calendar add-working-day 2027-03-09 --reason "…"`, `calendar remove DAY`, '
        "`calendar list [--year 2027]` (with the law's public holidays of that year)."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        actions = parser.add_subparsers(dest="action", required=True)
        for name, what in (
            ("add-day-off", _("a day off declared by a decree")),
            ("add-working-day", _("a working day declared by a decree (e.g. a moved Saturday)")),
        ):
            add = actions.add_parser(name, help=what)
            add.add_argument("day", help=_("YYYY-MM-DD"))
            add.add_argument("--reason", required=True, help=_("the decree's number and date"))
            add_by_argument(add)
        remove = actions.add_parser("remove", help=_("forget the change of one day"))
        remove.add_argument("day", help=_("YYYY-MM-DD"))
        add_by_argument(remove)
        listing = actions.add_parser(
            "list", help=_("the changes, and the law's holidays of a year")
        )
        listing.add_argument("--year", type=int, default=None, help=_("default: this year"))

    def handle(self, *args: Any, action: str, **options: Any) -> None:
        if action == "list":
            self.list(options["year"] or timezone.localdate().year)
            return
        day = iso_date(options["day"])
        try:
            if action == "remove":
                calendar_change_remove(by=actor(options["by"]), day=day)
                self.stdout.write(
                    _("%(day)s follows the law and the weekend again.") % {"day": day.isoformat()}
                )
                return
            kind = (
                CalendarChange.Kind.DAY_OFF
                if action == "add-day-off"
                else CalendarChange.Kind.WORKING_DAY
            )
            change = calendar_change_add(
                by=actor(options["by"]), day=day, kind=kind, reason=options["reason"]
            )
        except ValidationError as error:
            raise refused(error) from error
        message = (
            _("%(day)s is now a day off for every deadline.")
            if change.kind == CalendarChange.Kind.DAY_OFF
            else _("%(day)s is now a working day for every deadline.")
        )
        self.stdout.write(message % {"day": day.isoformat()})

    def list(self, year: int) -> None:
        out = self.stdout.write
        out(_("Changes by decree:"))
        for change in CalendarChange.objects.all():
            out(f"  {change.day.isoformat()}  {change.get_kind_display():<14} {change.reason}")
        for setting, label in (
            ("EXTRA_DAYS_OFF", CalendarChange.Kind.DAY_OFF.label),
            ("EXTRA_WORKING_DAYS", CalendarChange.Kind.WORKING_DAY.label),
        ):
            for value in getattr(settings, setting):
                out(f"  {value}  {label!s:<14} TRUSTBOX_{setting}")
        out(_("Public holidays of %(year)d by the law:") % {"year": year})
        language = translation.get_language() or settings.LANGUAGE_CODE
        for day, name in public_holidays(year, language):
            out(f"  {day.isoformat()}  {_weekday(day)}  {name}")


def _weekday(day: datetime.date) -> str:
    return day.strftime("%a")
