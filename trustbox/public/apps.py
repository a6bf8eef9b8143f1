from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class PublicConfig(AppConfig):
    name = "trustbox.public"
    label = "public"
    verbose_name = _("The writer's pages")
