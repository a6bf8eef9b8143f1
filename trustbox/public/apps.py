from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class PublicConfig(AppConfig):
    name = "trustbox.public"
    label = "public"
    verbose_name = _("The writer's pages")

    def ready(self) -> None:
        from trustbox.box.uploads import file_starting
        from trustbox.public.throttle import upload_allowed

        file_starting.connect(upload_allowed, dispatch_uid="public.uploads")
