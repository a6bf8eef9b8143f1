from collections.abc import Sequence
from typing import Any

from django.apps import AppConfig
from django.core import checks
from django.utils.translation import gettext_lazy as _


class CoreConfig(AppConfig):
    name = "trustbox.core"
    label = "core"
    verbose_name = _("Trust Box")

    def ready(self) -> None:
        from trustbox.core.destructions import on_appeal_destroyed
        from trustbox.registry.destruction import appeal_destroyed

        appeal_destroyed.connect(on_appeal_destroyed, dispatch_uid="core.destructions")
        checks.register(production_check, checks.Tags.security, deploy=True)
        checks.register(database_check, checks.Tags.database)


def production_check(**kwargs: Any) -> list[checks.CheckMessage]:
    """`check --deploy` says what a production server would refuse to start with."""
    from trustbox.core.production import serve_refusal

    refusal = serve_refusal()
    return [checks.Error(refusal, id="core.E001")] if refusal else []


def database_check(
    *, app_configs: Any = None, databases: Sequence[str] | None = None, **kwargs: Any
) -> list[checks.CheckMessage]:
    """`check --database default` connects: "no issues" must not mean "not looked"."""
    from django.db import DatabaseError, connections

    from trustbox.core.production import database_unreachable

    errors: list[checks.CheckMessage] = []
    for alias in databases or []:
        try:
            connections[alias].ensure_connection()
        except DatabaseError as error:
            errors.append(checks.Error(database_unreachable(error), id="core.E002"))
    return errors
