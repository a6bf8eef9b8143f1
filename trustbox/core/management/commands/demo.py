from typing import Any

from django.conf import settings
from django.core.management.base import BaseCommand
from django.test.utils import override_settings

from trustbox.core.demo import (
    DEMO_PASSWORD,
    demo_create,
    demo_logins,
    demo_receipt_path,
    demo_totp_secret,
)


class Command(BaseCommand):
    help = "Create the demo school (once) and print the address and the demo logins."

    def add_arguments(self, parser: Any) -> None:
        parser.add_argument("--address", default=settings.SITE_URL, help="Address to print.")

    def handle(self, *args: Any, address: str, **options: Any) -> None:
        # The demo's urgent appeal would email the demo staff; nobody reads those mailboxes.
        with override_settings(EMAIL_BACKEND="django.core.mail.backends.dummy.EmailBackend"):
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
        out(
            f"  Reserve shares of the demo box key: {settings.DATA_DIR / 'demo-reserve-shares.txt'}"
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
        out("")
