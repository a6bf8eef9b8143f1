from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class SealConfig(AppConfig):
    name = "trustbox.seal"
    label = "seal"
    verbose_name = _("Digital seal")
