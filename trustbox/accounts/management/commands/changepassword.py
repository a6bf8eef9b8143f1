"""Django's changepassword, for an operator resetting a person's password.

The password the operator types is known to the operator: the person must choose their own
at the next sign-in, before any page opens.
"""

from __future__ import annotations

import getpass
import sys
from typing import Any

from django.contrib.auth.management.commands import changepassword
from django.contrib.auth.password_validation import validate_password
from django.core.exceptions import ValidationError
from django.core.management.base import CommandError, CommandParser
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from trustbox.accounts.models import User
from trustbox.accounts.services import password_reset_record
from trustbox.lib.commands import OperatorCommand, argument_help


class Command(OperatorCommand, changepassword.Command):
    help: Any = gettext_lazy(
        "Reset a person's password (as an operator). The person must choose their own "
        "password at the next sign-in."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        super().add_arguments(parser)
        argument_help(
            parser, "username", _("the person's login (default: the login of this terminal)")
        )
        parser.add_argument(
            "--stdin",
            action="store_true",
            help=_("read the new password from the first line of standard input (for scripts)"),
        )

    def handle(self, *args: Any, **options: Any) -> str:
        username = options["username"] or getpass.getuser()
        result: str | None = ""
        if options["stdin"]:
            user = self.from_stdin(username, options["database"])
        else:
            result = super().handle(*args, **options)
            user = User.objects.using(options["database"]).get(username=username)
        # Written in the audit log: who at the terminal reset whose password, and when.
        password_reset_record(user=user, terminal_user=getpass.getuser())
        self.stdout.write(
            _(
                "The person must choose their own password at the next sign-in. A personal key "
                "locked with the old password stays locked: they make a new one on the Digital "
                "seal page, and the commission renews their part of the box key."
            )
        )
        return str(result)

    def from_stdin(self, username: str, database: str) -> User:
        """Set the password read from standard input, checked by the password rules."""
        try:
            user = User.objects.using(database).get(username=username)
        except User.DoesNotExist as error:
            raise CommandError(
                _("No person signs in as %(login)s.") % {"login": username}
            ) from error
        password = sys.stdin.readline().rstrip("\r\n")
        if not password:
            raise CommandError(_("No password on standard input."))
        try:
            validate_password(password, user)
        except ValidationError as error:
            raise CommandError(" ".join(error.messages)) from error
        user.set_password(password)
        user.save()
        return user
