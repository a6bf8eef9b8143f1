"""The authenticators' TOTP secrets are sealed at rest under a key from the environment."""

import base64
import secrets
from importlib import import_module
from io import StringIO

from django.apps import apps
from django.conf import settings
from django.core.management import call_command
from django.db import connection
from django.test import TestCase, override_settings
from django.urls import reverse
from django_otp.oath import totp
from django_otp.plugins.otp_totp.models import TOTPDevice

from trustbox.accounts.authenticators import code_spend
from trustbox.accounts.checks import check_authenticator_key
from trustbox.lib.secretbox import SecretNotOpened
from trustbox.test import PASSWORD, BaseTestCase, make_person

ANOTHER_KEY = "a-copy-of-the-database-elsewhere-" + "x" * 20


def raw_key(device: TOTPDevice) -> str:
    """The key column as the database holds it, past the model."""
    with connection.cursor() as cursor:
        cursor.execute("SELECT key FROM otp_totp_totpdevice WHERE id = %s", [device.pk])
        return cursor.fetchone()[0]


def every_spelling(secret: bytes) -> list[str]:
    return [
        secret.hex(),
        secret.hex().upper(),
        base64.b32encode(secret).decode(),
        base64.b64encode(secret).decode(),
        secret.decode("latin-1"),
    ]


class SealedKeysTestCase(BaseTestCase):
    def setUp(self):
        super().setUp()
        self.person = make_person(self.school, "keeper")
        TOTPDevice.objects.filter(user=self.person).delete()
        self.secret = secrets.token_bytes(20)
        self.device = TOTPDevice.objects.create(
            user=self.person, name="phone", confirmed=True, key=self.secret.hex()
        )

    def code(self) -> str:
        return f"{totp(self.secret):06d}"

    def test_the_database_row_holds_no_totp_secret_in_clear(self):
        stored = raw_key(self.device)
        self.assertTrue(stored.startswith("tb1:"))
        self.assertLessEqual(len(stored), 80)
        for spelling in every_spelling(self.secret):
            self.assertNotIn(spelling, stored)
        self.assertEqual(TOTPDevice.objects.get(pk=self.device.pk).bin_key, self.secret)

    def test_the_device_still_verifies_and_signs_in(self):
        self.client.post(reverse("accounts:login"), {"username": "keeper", "password": PASSWORD})
        response = self.client.post(reverse("accounts:second_factor"), {"code": self.code()})
        self.assertRedirects(response, reverse("core:home"), fetch_redirect_response=False)
        self.assertGreaterEqual(TOTPDevice.objects.get(pk=self.device.pk).last_t, 0)

    def test_a_copy_of_the_database_without_the_key_makes_no_codes(self):
        with override_settings(AUTHENTICATOR_KEY=ANOTHER_KEY):
            device = TOTPDevice.objects.get(pk=self.device.pk)
            with self.assertRaises(SecretNotOpened):
                device.bin_key  # noqa: B018
            self.assertIsNone(code_spend(self.person, self.code()))
        self.assertIsNotNone(code_spend(self.person, self.code()))

    def test_a_sealed_secret_copied_into_another_persons_row_does_not_open(self):
        other = TOTPDevice.objects.get(user=self.director)
        TOTPDevice.objects.filter(pk=other.pk).update(key=raw_key(self.device))
        with self.assertRaises(SecretNotOpened):
            TOTPDevice.objects.get(pk=other.pk).bin_key  # noqa: B018
        self.assertIsNone(code_spend(self.director, self.code()))

    def test_a_clear_secret_written_into_the_database_never_works(self):
        TOTPDevice.objects.filter(pk=self.device.pk).update(key=self.secret.hex())
        self.assertIsNone(code_spend(self.person, self.code()))
        device = TOTPDevice.objects.get(pk=self.device.pk)
        device.save()  # a later save by the application does not seal it into a working key
        self.assertEqual(raw_key(device), self.secret.hex())
        self.assertIsNone(code_spend(self.person, self.code()))

    def test_the_migration_seals_the_secrets_stored_before_in_clear(self):
        migration = import_module("trustbox.accounts.migrations.0003_seal_authenticator_keys")
        TOTPDevice.objects.filter(pk=self.device.pk).update(key=self.secret.hex())
        migration.seal_keys(apps, None)
        sealed = raw_key(self.device)
        self.assertTrue(sealed.startswith("tb1:"))
        self.assertEqual(TOTPDevice.objects.get(pk=self.device.pk).bin_key, self.secret)
        migration.seal_keys(apps, None)  # again: nothing sealed twice
        self.assertEqual(raw_key(self.device), sealed)
        migration.open_keys(apps, None)
        self.assertEqual(raw_key(self.device), self.secret.hex())

    def test_a_new_authenticator_shows_its_key_once_and_stores_it_sealed(self):
        newcomer = make_person(self.school, "newcomer")
        TOTPDevice.objects.filter(user=newcomer).delete()
        self.client.post(reverse("accounts:login"), {"username": "newcomer", "password": PASSWORD})
        page = self.client.get(reverse("accounts:second_factor")).content.decode()
        device = TOTPDevice.objects.get(user=newcomer)
        shown = base64.b32encode(device.bin_key).decode()
        self.assertIn(" ".join(shown[i : i + 4] for i in range(0, len(shown), 4)), page)
        self.assertNotIn(shown, raw_key(device))
        response = self.client.post(
            reverse("accounts:second_factor"), {"code": f"{totp(device.bin_key):06d}"}
        )
        self.assertRedirects(response, reverse("core:home"), fetch_redirect_response=False)


class DemoKeyTestCase(TestCase):
    def test_the_demo_key_printed_and_the_otpcode_command_still_sign_in(self):
        from trustbox.demo.builders import (
            DEMO_PASSWORD,
            DEMO_TOTP_KEY,
            demo_create,
            demo_totp_secret,
        )

        demo_create()
        chair = TOTPDevice.objects.get(user__username="chair")
        for spelling in every_spelling(DEMO_TOTP_KEY):
            self.assertNotIn(spelling, raw_key(chair))
        printed = base64.b32decode(demo_totp_secret())
        out = StringIO()
        call_command("otpcode", stdout=out)
        code = out.getvalue().strip()
        self.assertEqual(code, f"{totp(printed):06d}")
        self.client.post(
            reverse("accounts:login"), {"username": "chair", "password": DEMO_PASSWORD}
        )
        response = self.client.post(reverse("accounts:second_factor"), {"code": code})
        self.assertRedirects(response, reverse("core:home"), fetch_redirect_response=False)


class KeyFromTheEnvironmentTestCase(BaseTestCase):
    def test_the_deployment_check_refuses_a_key_kept_in_the_data_folder(self):
        with override_settings(AUTHENTICATOR_KEY_FROM_ENVIRONMENT=False):
            self.assertEqual([m.id for m in check_authenticator_key()], ["trustbox.E011"])
        with override_settings(AUTHENTICATOR_KEY_FROM_ENVIRONMENT=True, AUTHENTICATOR_KEY="short"):
            self.assertEqual([m.id for m in check_authenticator_key()], ["trustbox.E012"])
        with override_settings(AUTHENTICATOR_KEY_FROM_ENVIRONMENT=True):
            self.assertEqual(check_authenticator_key(), [])

    def test_the_demo_and_the_tests_keep_a_key_of_their_own_in_the_data_folder(self):
        path = settings.DATA_DIR / "otp_key"
        self.assertEqual(path.read_text().strip(), settings.AUTHENTICATOR_KEY)
        self.assertEqual(path.stat().st_mode & 0o777, 0o600)
