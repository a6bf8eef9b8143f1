from django.apps import AppConfig
from django.core import checks
from django.utils.translation import gettext_lazy as _


class OpeningsConfig(AppConfig):
    name = "trustbox.openings"
    label = "openings"
    verbose_name = _("Openings of the box")

    def ready(self) -> None:
        from trustbox.audit.services import row_check_register
        from trustbox.audit.targets import detail_register, target_namer_register
        from trustbox.openings.actions import openings_name
        from trustbox.openings.checkpoint import check_cut_off_is_a_day, opening_records_check
        from trustbox.openings.models import Opening

        target_namer_register("openings.opening", openings_name)
        row_check_register(opening_records_check)
        checks.register(check_cut_off_is_a_day)
        detail_register("purpose", _("purpose"), dict(Opening.Purpose.choices))
        detail_register("part", _("reserve part №"), {})
