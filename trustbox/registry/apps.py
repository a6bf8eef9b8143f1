from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class RegistryConfig(AppConfig):
    name = "trustbox.registry"
    label = "registry"
    verbose_name = _("Registry of appeals")

    def ready(self) -> None:
        from trustbox.audit.services import row_check_register
        from trustbox.audit.targets import detail_register, target_namer_register
        from trustbox.commission.consequences import order_consequence_register
        from trustbox.commission.signals import commission_replaced
        from trustbox.registry.actions import READ_PURPOSES, appeals_name
        from trustbox.registry.consequences import registry_closed_to_leavers
        from trustbox.registry.integrity import appeal_states_check
        from trustbox.registry.models import Entry, Outcome
        from trustbox.registry.receivers import (
            access_dropped_with_old_key,
            access_follows_the_commission,
        )
        from trustbox.seal.signals import member_key_replaced

        member_key_replaced.connect(access_dropped_with_old_key, dispatch_uid="registry.keys")
        commission_replaced.connect(
            access_follows_the_commission, dispatch_uid="registry.commission"
        )
        order_consequence_register(registry_closed_to_leavers)
        target_namer_register("registry.appeal", appeals_name)
        row_check_register(appeal_states_check)
        detail_register("purpose", _("purpose"), READ_PURPOSES)
        detail_register("channel", _("channel"), dict(Entry.Channel.choices))
        detail_register("outcome", _("outcome"), dict(Outcome.choices))
        detail_register("act", _("act of destruction"), {})
