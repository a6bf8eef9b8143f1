from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class RetentionConfig(AppConfig):
    name = "trustbox.retention"
    label = "retention"
    verbose_name = _("Retention and destruction")

    def ready(self) -> None:
        from trustbox.audit.targets import detail_register, target_namer_register
        from trustbox.meetings.agenda import agenda_kind_register
        from trustbox.retention.actions import acts_name
        from trustbox.retention.agenda import destruction_agenda_kind

        target_namer_register("retention.destructionact", acts_name)
        kind = destruction_agenda_kind()
        agenda_kind_register(kind)
        detail_register("agenda_kind", _("agenda item"), {kind.code: kind.label})
