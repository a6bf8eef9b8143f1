from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class BoxConfig(AppConfig):
    name = "trustbox.box"
    label = "box"
    verbose_name = _("Trust box")
