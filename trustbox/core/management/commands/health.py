"""Operator command: the install's health, as GET /health/ gives it; exit 1 when unhealthy."""

from __future__ import annotations

from typing import Any

from django.core.management.base import CommandError
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from trustbox.core.health import NAMES, health_checks
from trustbox.lib.commands import OperatorCommand


class Command(OperatorCommand):
    help = gettext_lazy(
        "Check the database (reachable, migrated), the jobs waiting, the last daily run, the "
        "last backup and the cache; one line each, exit status 1 when one fails (for a monitor)."
    )
    requires_system_checks: list[str] = []

    def handle(self, *args: Any, **options: Any) -> None:
        checks = health_checks()
        for check in checks:
            self.stdout.write(check.said())
        failing = [_(NAMES[check.name]) for check in checks if not check.ok]
        if failing:
            raise CommandError(_("Unhealthy: %(checks)s.") % {"checks": ", ".join(failing)})
