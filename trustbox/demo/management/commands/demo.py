import textwrap
from typing import Any

from django.conf import settings
from django.test.utils import override_settings
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from trustbox.demo.builders import DEMO_PASSWORD, demo_create, demo_logins, demo_totp_secret
from trustbox.demo.files import demo_receipt_path, demo_secret_files
from trustbox.lib.commands import OperatorCommand


class Command(OperatorCommand):
    help = gettext_lazy("Create the demo school (once) and print the address and the demo logins.")

    def add_arguments(self, parser: Any) -> None:
        parser.add_argument("--address", default=settings.SITE_URL, help=_("Address to print."))

    def handle(self, *args: Any, address: str, **options: Any) -> None:
        # The demo's urgent appeal would email the demo staff; nobody reads those mailboxes.
        # Its past quarters are written and opened on the day the command runs, so its openings
        # take their own day's appeals (a school's install leaves that off: security-chain.md).
        with override_settings(
            EMAIL_BACKEND="django.core.mail.backends.dummy.EmailBackend",
            OPENING_TAKES_ITS_OWN_DAY=True,
        ):
            school = demo_create()
        out = self.stdout.write
        out("")
        out(self.style.SUCCESS(_("Trust Box demo: %(school)s") % {"school": school.name}))
        form = f"{address}/b/{school.slug}/"
        lines = [
            (_("Open:"), f"{address}/"),
            (_("Password (all):"), DEMO_PASSWORD),
            (
                _("Second factor:"),
                _("add the key %(key)s to an authenticator app,") % {"key": demo_totp_secret()},
            ),
            ("", _("or run: %(command)s") % {"command": ".venv/bin/python -m trustbox otpcode"}),
            (_("Appeal form:"), _("%(form)s   (kiosk: %(form)skiosk/)") % {"form": form}),
        ]
        receipt = demo_receipt_path()
        if receipt.exists():
            lines.append(
                (
                    _("The 7th-grader's receipt code:"),
                    _("%(code)s   (status: %(form)sstatus/)")
                    % {"code": receipt.read_text().strip(), "form": form},
                )
            )
        width = max(len(label) for label, _value in lines)
        for label, value in lines:
            out(f"  {label.ljust(width)} {value}")
        out("  " + _("Logins:"))
        for login, what in demo_logins():
            out(f"    {login:<14} {what}")
        self.secret_files_said()
        out("")

    def secret_files_said(self) -> None:
        """Name the demo's secret files: kept for convenience, never for a real install."""
        files = demo_secret_files()
        if not files:
            return
        out = self.stdout.write
        out("")
        out(
            self.style.WARNING(
                "  " + _("Secrets kept in files for the demo's convenience (mode 0600):")
            )
        )
        for path in files:
            out(f"    {path}")
        said = _(
            "They hold the reserve parts of the demo box key and the 7th-grader's receipt "
            "code: whoever reads them opens the demo box (with one member) and reads her "
            "answers. Never keep such files on a real install: delete them (shred -u FILE). "
            "A production server (TRUSTBOX_HTTPS on) refuses to start while they exist."
        )
        out(textwrap.fill(said, width=88, initial_indent="  ", subsequent_indent="  "))
