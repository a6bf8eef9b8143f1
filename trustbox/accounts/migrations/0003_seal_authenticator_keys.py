"""Seal the authenticators' TOTP secrets stored in clear before (trustbox/accounts/authenticators.py).

Each key is sealed under TRUSTBOX_OTP_KEY (or the demo's key file) and bound to its owner.
Going back opens them again (with the same key).
"""

from django.db import migrations

from trustbox.accounts.authenticators import opened_key, sealed_key
from trustbox.lib.secretbox import is_sealed


def seal_keys(apps, schema_editor):
    TOTPDevice = apps.get_model("otp_totp", "TOTPDevice")
    for device in TOTPDevice.objects.all():
        if not is_sealed(device.key):
            TOTPDevice.objects.filter(pk=device.pk).update(
                key=sealed_key(device.user_id, device.key)
            )


def open_keys(apps, schema_editor):
    TOTPDevice = apps.get_model("otp_totp", "TOTPDevice")
    for device in TOTPDevice.objects.all():
        if is_sealed(device.key):
            TOTPDevice.objects.filter(pk=device.pk).update(
                key=opened_key(device.user_id, device.key).hex()
            )


class Migration(migrations.Migration):
    dependencies = [
        ("accounts", "0002_forget_axes"),
        ("otp_totp", "0003_add_timestamps"),
    ]

    operations = [migrations.RunPython(seal_keys, open_keys)]
