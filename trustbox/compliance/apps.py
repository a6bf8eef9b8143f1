from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ComplianceConfig(AppConfig):
    name = "trustbox.compliance"
    label = "compliance"
    verbose_name = _("Compliance with the regulation")

    def ready(self) -> None:
        from trustbox.compliance.lines import district_meetings_cell, district_report_cell
        from trustbox.reports.district import (
            district_meetings_column_register,
            district_report_column_register,
        )

        district_meetings_column_register(district_meetings_cell)
        district_report_column_register(district_report_cell)
