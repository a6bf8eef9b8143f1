from typing import Any

from django.apps import AppConfig
from django.core import checks
from django.utils.translation import gettext_lazy as _

from trustbox.public.receipt_picture import FONTS, FontMissing, font_file


class PublicConfig(AppConfig):
    name = "trustbox.public"
    label = "public"
    verbose_name = _("The writer's pages")

    def ready(self) -> None:
        from django.core.signals import setting_changed

        from trustbox.box.uploads import file_starting
        from trustbox.public.pages import pages_forget
        from trustbox.public.throttle import upload_allowed

        file_starting.connect(upload_allowed, dispatch_uid="public.uploads")
        setting_changed.connect(pages_forget, dispatch_uid="public.pages")
        checks.register(receipt_fonts_check)


def receipt_fonts_check(**kwargs: Any) -> list[checks.CheckMessage]:
    """Warn at start-up when the receipt picture cannot be drawn (its fonts are missing)."""
    problems: list[checks.CheckMessage] = []
    for name in FONTS:
        try:
            font_file(name)
        except FontMissing as error:
            problems.append(checks.Warning(str(error), id="public.W001"))
    return problems
