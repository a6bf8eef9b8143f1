from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ReportsConfig(AppConfig):
    name = "trustbox.reports"
    label = "reports"
    verbose_name = _("Analytical reports")

    def ready(self) -> None:
        from trustbox.audit.targets import target_namer_register
        from trustbox.reports.actions import reports_name

        target_namer_register("reports.report", reports_name)
