from typing import Any

from django.conf import settings
from django.core.management.base import BaseCommand
from django.test.utils import override_settings

from trustbox.demo.builders import DEMO_PASSWORD, demo_create, demo_logins, demo_totp_secret
from trustbox.demo.files import demo_receipt_path, demo_secret_files


class Command(BaseCommand):
    help = "Create the demo school (once) and print the address and the demo logins."

    def add_arguments(self, parser: Any) -> None:
        parser.add_argument("--address", default=settings.SITE_URL, help="Address to print.")

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
        out(self.style.SUCCESS(f"Trust Box demo: {school.name}"))
        out(f"  Open:           {address}/")
        out(f"  Password (all): {DEMO_PASSWORD}")
        out(f"  Second factor:  add the key {demo_totp_secret()} to an authenticator app,")
        out("                  or run: .venv/bin/python -m trustbox otpcode")
        out(
            f"  Appeal form:    {address}/b/{school.slug}/"
            f"   (kiosk: {address}/b/{school.slug}/kiosk/)"
        )
        receipt = demo_receipt_path()
        if receipt.exists():
            out(
                f"  The 7th-grader's receipt code: {receipt.read_text().strip()}"
                f"   (status: {address}/b/{school.slug}/status/)"
            )
        out("  Logins:")
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
        out(self.style.WARNING("  Secrets kept in files for the demo's convenience (mode 0600):"))
        for path in files:
            out(f"    {path}")
        out(
            "  They hold the reserve parts of the demo box key and the 7th-grader's receipt "
            "code:\n  whoever reads them opens the demo box (with one member) and reads her "
            "answers.\n  Never keep such files on a real install: delete them (shred -u FILE). "
            "A production\n  server (TRUSTBOX_HTTPS on) refuses to start while they exist."
        )
