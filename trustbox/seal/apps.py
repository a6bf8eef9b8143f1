from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class SealConfig(AppConfig):
    name = "trustbox.seal"
    label = "seal"
    verbose_name = _("Digital seal")

    def ready(self) -> None:
        from trustbox.accounts.signals import password_changing
        from trustbox.audit.targets import target_namer_register
        from trustbox.commission.consequences import order_consequence_register
        from trustbox.seal.actions import box_keys_name
        from trustbox.seal.consequences import box_key_renewal_needed
        from trustbox.seal.receivers import personal_key_follows_password

        target_namer_register("seal.boxkey", box_keys_name)
        password_changing.connect(personal_key_follows_password, dispatch_uid="seal.relock")
        order_consequence_register(box_key_renewal_needed)
