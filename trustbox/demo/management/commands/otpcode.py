from typing import Any

from django.core.management.base import CommandError
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django_otp.oath import totp

from trustbox.demo.builders import DEMO_TOTP_KEY
from trustbox.lib.commands import OperatorCommand


class Command(OperatorCommand):
    help = gettext_lazy("Print the current second-factor code of the demo accounts (demo only).")

    def handle(self, *args: Any, **options: Any) -> None:
        from trustbox.schools.models import School

        if not School.objects.filter(slug="myrzakmatov").exists():
            raise CommandError(_("There is no demo school here: the code is for the demo only."))
        self.stdout.write(f"{totp(DEMO_TOTP_KEY):06d}")
