from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class MeetingsConfig(AppConfig):
    name = "trustbox.meetings"
    label = "meetings"
    verbose_name = _("Meetings of the commission")

    def ready(self) -> None:
        from trustbox.audit.targets import detail_register, target_namer_register
        from trustbox.commission.signals import election_recorded
        from trustbox.meetings.actions import RECORD_READ_PURPOSES, meetings_name, protocols_name
        from trustbox.meetings.agenda import agenda_kind_register, builtin_kinds
        from trustbox.meetings.receivers import election_kept_as_protocol

        target_namer_register("meetings.meeting", meetings_name)
        target_namer_register("meetings.protocol", protocols_name)
        for kind in builtin_kinds():
            agenda_kind_register(kind)
        detail_register(
            "agenda_kind", _("agenda item"), {kind.code: kind.label for kind in builtin_kinds()}
        )
        detail_register("purpose", _("purpose"), RECORD_READ_PURPOSES)
        election_recorded.connect(election_kept_as_protocol, dispatch_uid="meetings.election")
