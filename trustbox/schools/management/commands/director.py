"""Operator command: invite a school's director."""

from __future__ import annotations

from typing import Any

from django.core.exceptions import ValidationError
from django.core.management.base import CommandError, CommandParser
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from trustbox.lib.commands import OperatorCommand
from trustbox.schools.management.commands._operator import actor, add_by_argument, refused
from trustbox.schools.models import School
from trustbox.schools.notify import director_invitation_send
from trustbox.schools.services import director_invite, login_address


class Command(OperatorCommand):
    help = gettext_lazy(
        'Invite a school\'s director: `director invite --school SLUG --name "Full Name" '
        "--login LOGIN [--email ADDRESS]`. Prints the login and a one-time initial password to "
        "hand over in person or by phone; with --email, also emails the login address and the "
        "login (never the password)."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        actions = parser.add_subparsers(dest="action", required=True)
        invite = actions.add_parser("invite", help=_("create the director's account"))
        invite.add_argument("--school", required=True, help=_("the school's short name"))
        invite.add_argument("--name", required=True, help=_("the director's full name"))
        invite.add_argument("--login", required=True, help=_("the director's login"))
        invite.add_argument("--email", default="", help=_("email the invitation to this address"))
        add_by_argument(invite)

    def handle(self, *args: Any, action: str, **options: Any) -> None:
        school = School.objects.filter(slug=options["school"]).first()
        if school is None:
            raise CommandError(_("No school %(slug)s.") % {"slug": options["school"]})
        try:
            membership, password = director_invite(
                by=actor(options["by"]),
                school=school,
                full_name=options["name"],
                username=options["login"],
                email=options["email"],
            )
        except ValidationError as error:
            raise refused(error) from error
        user = membership.user
        out = self.stdout.write
        out(_("The director's account is ready."))
        out("  " + _("School") + f": {school.name}")
        out("  " + _("Login address") + f": {login_address()}")
        out("  " + _("Login") + f": {user.username}")
        out("  " + _("Initial password (shown only now)") + f": {password}")
        out(
            _(
                "Hand the initial password over in person or by phone, never by email. At the "
                "first login the director sets up an authenticator app and chooses their own "
                "password."
            )
        )
        if not user.email:
            return
        try:
            director_invitation_send(user=user, school=school)
        except OSError:
            self.stderr.write(
                _(
                    "The invitation could not be emailed (the mail server did not take it): "
                    "tell the director the login address and the login yourself."
                )
            )
            return
        out(
            _("The invitation (login address and login, no password) is emailed to %(email)s.")
            % {"email": user.email}
        )
