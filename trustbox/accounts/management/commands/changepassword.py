"""Django's changepassword, for an operator resetting a person's password.

The password the operator types is known to the operator: the person must choose their own
at the next sign-in, before any page opens.
"""

from __future__ import annotations

import getpass
from typing import Any

from django.contrib.auth.management.commands import changepassword

from trustbox.accounts.models import User
from trustbox.accounts.services import password_reset_record


class Command(changepassword.Command):
    help = (
        "Reset a person's password (as an operator). The person must choose their own "
        "password at the next sign-in."
    )

    def handle(self, *args: Any, **options: Any) -> str:
        result = super().handle(*args, **options)
        username = options["username"] or getpass.getuser()
        user = User.objects.using(options["database"]).get(username=username)
        # Written in the audit log: who at the terminal reset whose password, and when.
        password_reset_record(user=user, terminal_user=getpass.getuser())
        self.stdout.write(
            "The person must choose their own password at the next sign-in. A personal key "
            "locked with the old password stays locked: they make a new one on the Digital seal "
            "page, and the commission renews their part of the box key."
        )
        return str(result)
