from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ReportsConfig(AppConfig):
    name = "trustbox.reports"
    label = "reports"
    verbose_name = _("Analytical reports")

    def ready(self) -> None:
        from trustbox.audit.targets import detail_register, target_namer_register
        from trustbox.meetings.agenda import agenda_kind_register
        from trustbox.reports.actions import reports_name
        from trustbox.reports.agenda import report_agenda_kind

        target_namer_register("reports.report", reports_name)
        kind = report_agenda_kind()
        agenda_kind_register(kind)
        detail_register("agenda_kind", _("agenda item"), {kind.code: kind.label})
