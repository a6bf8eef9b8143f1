"""Deployment checks of the accounts: the key that seals the authenticators' secrets."""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.core.checks import CheckMessage, Error

SHORTEST_KEY = 32


def check_authenticator_key(**kwargs: Any) -> list[CheckMessage]:
    """In production the TOTP secrets' key comes from the environment, and is long enough.

    The fallback key in the data folder is for the demo and the tests: a copy of that folder
    (a backup, a stolen disk) would carry the key along with the secrets it seals.
    """
    if not settings.AUTHENTICATOR_KEY_FROM_ENVIRONMENT:
        return [
            Error(
                "TRUSTBOX_OTP_KEY is not set: the authenticators' secrets are sealed under a "
                "key kept in the data folder, which every copy of the folder carries along.",
                hint="Set TRUSTBOX_OTP_KEY (docs/deploy.md section 5) and keep a copy of it "
                "apart from the backups.",
                id="trustbox.E011",
            )
        ]
    if len(settings.AUTHENTICATOR_KEY) < SHORTEST_KEY:
        return [
            Error(
                f"TRUSTBOX_OTP_KEY is shorter than {SHORTEST_KEY} characters.",
                hint="Make one with: python3 -c 'import secrets; print(secrets.token_urlsafe(32))'",
                id="trustbox.E012",
            )
        ]
    return []
