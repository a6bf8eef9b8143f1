from typing import Any

from django.apps import AppConfig
from django.core import checks
from django.utils.translation import gettext_lazy as _


class CoreConfig(AppConfig):
    name = "trustbox.core"
    label = "core"
    verbose_name = _("Trust Box")

    def ready(self) -> None:
        checks.register(production_check, checks.Tags.security, deploy=True)


def production_check(**kwargs: Any) -> list[checks.CheckMessage]:
    """`check --deploy` says what a production server would refuse to start with."""
    from trustbox.core.production import serve_refusal

    refusal = serve_refusal()
    return [checks.Error(refusal, id="core.E001")] if refusal else []
