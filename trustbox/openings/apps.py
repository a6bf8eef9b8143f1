from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class OpeningsConfig(AppConfig):
    name = "trustbox.openings"
    label = "openings"
    verbose_name = _("Openings of the box")
