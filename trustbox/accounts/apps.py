from django.apps import AppConfig
from django.core import checks
from django.utils.translation import gettext_lazy as _


class AccountsConfig(AppConfig):
    name = "trustbox.accounts"
    label = "accounts"
    verbose_name = _("Staff accounts")

    def ready(self) -> None:
        from trustbox.accounts import authenticators
        from trustbox.accounts.checks import check_authenticator_key
        from trustbox.lib.limits import check_cache_in_memory

        # The TOTP secrets are sealed at rest (trustbox/accounts/authenticators.py).
        authenticators.install()
        checks.register(check_authenticator_key, checks.Tags.security, deploy=True)

        # The password throttle (and the writer's limits above) count in the cache.
        checks.register(check_cache_in_memory, checks.Tags.caches)
