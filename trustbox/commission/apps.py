from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class CommissionConfig(AppConfig):
    name = "trustbox.commission"
    label = "commission"
    verbose_name = _("Commission")
