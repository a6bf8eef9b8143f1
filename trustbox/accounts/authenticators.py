"""The authenticators (django-otp's TOTPDevice): secrets sealed at rest, codes spent once.

**Sealed at rest.** django-otp keeps a device's TOTP secret in clear in ``TOTPDevice.key``;
with it anyone holding a copy of the database makes every account's codes. Here the column
holds the secret sealed under ``settings.AUTHENTICATOR_KEY`` (TRUSTBOX_OTP_KEY) and bound to
the device's owner (trustbox/lib/secretbox.py). We keep django-otp's model and table (every
page, test and the middleware use it) and wrap it thinly, from AccountsConfig.ready:

- a new device's key is sealed as it is first saved (``pre_save``, only when adding: a clear
  key written into an existing row by someone who can write the database is never sealed by
  the application, so it never becomes a working key);
- ``TOTPDevice.bin_key``, which django-otp's own code reads (verification, the QR code's
  address), opens it. A key that does not open (a copy of the database without the key, a
  secret copied from another row) raises SecretNotOpened: no code fits it.

The migration accounts/0003_seal_authenticator_keys seals the keys stored before.

**Codes spent once.** ``code_spend`` finds the device whose code this is now and marks its time
step used (``last_t``) with one conditional UPDATE, so that of two requests carrying the same
code only one spends it. It counts nothing on the device: counting is the throttle's, per
account, and only when the password was right (trustbox/accounts/throttle.py).
"""

from __future__ import annotations

import time
from binascii import unhexlify
from functools import lru_cache
from typing import Any

from django.conf import settings
from django.db.models.signals import pre_save
from django.utils import timezone
from django_otp.oath import TOTP
from django_otp.plugins.otp_totp.models import TOTPDevice

from trustbox.lib.secretbox import (
    SecretNotOpened,
    is_sealed,
    open_with_server_key,
    seal_with_server_key,
    server_key_from_text,
)


@lru_cache(maxsize=4)
def _server_key(text: str) -> bytes:
    return server_key_from_text(text)


def _place(user_id: int) -> bytes:
    return f"totp-device-of:{user_id}".encode()


def sealed_key(user_id: int, hex_key: str) -> str:
    """A device's hex secret, sealed for the row of that owner."""
    return seal_with_server_key(
        _server_key(settings.AUTHENTICATOR_KEY), unhexlify(hex_key), _place(user_id)
    )


def opened_key(user_id: int, key: str) -> bytes:
    """The secret of a device's key column; SecretNotOpened if this install cannot open it."""
    return open_with_server_key(_server_key(settings.AUTHENTICATOR_KEY), key, _place(user_id))


def _bin_key(device: TOTPDevice) -> bytes:
    return opened_key(device.user_id, device.key)


def _seal_new_key(sender: Any, instance: TOTPDevice, **kwargs: Any) -> None:
    if instance._state.adding and not is_sealed(instance.key):
        instance.key = sealed_key(instance.user_id, instance.key)


def install() -> None:
    """Seal new devices' secrets and open them where django-otp reads them."""
    pre_save.connect(_seal_new_key, sender=TOTPDevice, dispatch_uid="trustbox-seal-totp-key")
    TOTPDevice.bin_key = property(_bin_key)


def _digits(code: str) -> int | None:
    code = "".join(code.split())
    if not (code.isascii() and code.isdigit() and len(code) <= 8):
        return None
    return int(code)


def _matching_step(device: TOTPDevice, token: int) -> tuple[int, int] | None:
    """The time step (and drift) at which the token is this device's code, if unused."""
    try:
        key = device.bin_key
    except SecretNotOpened:
        return None
    totp = TOTP(key, device.step, device.t0, device.digits, device.drift)
    totp.time = time.time()
    if not totp.verify(token, device.tolerance, device.last_t + 1):
        return None
    return totp.t(), totp.drift


def code_spend(user: Any, code: str, *, confirmed: bool = True) -> TOTPDevice | None:
    """The person's device if `code` is its code now and not yet used; it is used up here.

    One conditional UPDATE (``last_t`` below the code's step) spends it: two requests with
    the same code, or one after the other, cannot both get the device. The device's own
    throttle is not touched. None for a wrong, used or unreadable code, or no person.
    """
    token = _digits(code)
    if user is None or getattr(user, "pk", None) is None:
        return None
    for device in TOTPDevice.objects.filter(user=user, confirmed=confirmed):
        if token is None:
            continue
        found = _matching_step(device, token)
        if found is None:
            continue
        step, drift = found
        spent = TOTPDevice.objects.filter(pk=device.pk, last_t__lt=step).update(
            last_t=step, drift=drift, last_used_at=timezone.now()
        )
        if spent:
            device.refresh_from_db()
            return device
    return None
