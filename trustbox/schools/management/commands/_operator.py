"""What the operator commands of schools share: who acts, and errors as the operator reads them."""

from __future__ import annotations

import datetime

from django.core.exceptions import ValidationError
from django.core.management.base import CommandError, CommandParser
from django.utils.translation import gettext as _

from trustbox.accounts.models import User


def add_by_argument(parser: CommandParser) -> None:
    parser.add_argument(
        "--by",
        metavar="LOGIN",
        help=_("the operator's login, written in the audit log as who did this"),
    )


def actor(login: str | None) -> User | None:
    if not login:
        return None
    user = User.objects.filter(username=login).first()
    if user is None:
        raise CommandError(_("No account with the login %(login)s.") % {"login": login})
    return user


def refused(error: ValidationError) -> CommandError:
    return CommandError(" ".join(error.messages))


def iso_date(value: str) -> datetime.date:
    try:
        return datetime.date.fromisoformat(value)
    except ValueError as error:
        raise CommandError(
            _("Not a date in the form YYYY-MM-DD: %(value)s.") % {"value": value}
        ) from error
