from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class CommissionConfig(AppConfig):
    name = "trustbox.commission"
    label = "commission"
    verbose_name = _("Commission")

    def ready(self) -> None:
        from trustbox.accounts.access import role_source_register
        from trustbox.audit.targets import target_namer_register
        from trustbox.commission.actions import orders_name
        from trustbox.commission.roles import commission_roles

        role_source_register(commission_roles)
        target_namer_register("commission.commission", orders_name)
