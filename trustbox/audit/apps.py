from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class AuditConfig(AppConfig):
    name = "trustbox.audit"
    label = "audit"
    verbose_name = _("Audit log")

    def ready(self) -> None:
        from trustbox.accounts.signals import (
            language_chosen,
            password_changed,
            password_reset,
            second_factor_confirmed,
        )
        from trustbox.audit.accounts import (
            language_chosen_recorded,
            password_change_recorded,
            password_reset_recorded,
            people_name,
            second_factor_recorded,
        )
        from trustbox.audit.digests import LOG_CHAIN, digest_chain_register
        from trustbox.audit.targets import detail_register, target_namer_register
        from trustbox.lib.languages import NATIVE_NAMES

        target_namer_register("accounts.user", people_name)
        detail_register("mailed", _("people mailed"), {})
        detail_register("terminal_user", _("login at the server's terminal"), {})
        detail_register("language", _("Language"), dict(NATIVE_NAMES))
        digest_chain_register(LOG_CHAIN)
        password_changed.connect(password_change_recorded, dispatch_uid="audit.password")
        second_factor_confirmed.connect(second_factor_recorded, dispatch_uid="audit.otp")
        password_reset.connect(password_reset_recorded, dispatch_uid="audit.password_reset")
        language_chosen.connect(language_chosen_recorded, dispatch_uid="audit.language")
