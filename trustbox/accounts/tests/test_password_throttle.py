"""Wrong passwords are throttled per account, and nobody locks a staff member out."""

from unittest import mock

from django.apps import apps
from django.conf import settings
from django.core.cache import cache
from django.db import connection, models
from django.test import Client
from django.urls import reverse
from django_otp.plugins.otp_totp.models import TOTPDevice

from trustbox.accounts import throttle
from trustbox.lib import limits
from trustbox.test import PASSWORD, BaseTestCase, current_code

LIMIT = settings.PASSWORD_FAILURE_LIMIT
START = 1_800_000_000.0  # a whole quarter of an hour: the window starts here


def wrong_code(user) -> str:
    return f"{(int(current_code(user)) + 1) % 1_000_000:06d}"


class ClockTestCase(BaseTestCase):
    def setUp(self):
        super().setUp()
        cache.clear()
        self.now = START + 60
        patcher = mock.patch.object(limits, "clock", side_effect=lambda: self.now)
        patcher.start()
        self.addCleanup(patcher.stop)

    def device(self, user) -> TOTPDevice:
        return TOTPDevice.objects.get(user=user, confirmed=True)


class LoginTestCase(ClockTestCase):
    def setUp(self):
        super().setUp()
        self.chair = self.members[1]
        self.attacker = Client(REMOTE_ADDR="198.51.100.66")
        self.own_device = Client(REMOTE_ADDR="203.0.113.10")
        for client in (self.attacker, self.own_device):
            client.cookies.load({settings.LANGUAGE_COOKIE_NAME: "en"})

    def sign_in(self, client, password=PASSWORD, **extra):
        data = {"username": self.chair.username, "password": password, **extra}
        return client.post(reverse("accounts:login"), data)

    def signed_in_fully(self, client) -> bool:
        return client.get(reverse("core:dashboard", args=["alatoo"])).status_code == 200

    def test_a_strangers_wrong_passwords_do_not_keep_the_chair_out_of_her_own_device(self):
        for _ in range(LIMIT * 3):
            self.sign_in(self.attacker, "guess")
        response = self.sign_in(self.own_device)
        self.assertContains(response, "with your password and the code")
        self.assertContains(response, 'name="code"')
        self.assertNotIn("_auth_user_id", self.own_device.session)

        response = self.sign_in(self.own_device, code=current_code(self.chair))
        self.assertRedirects(response, reverse("core:home"), fetch_redirect_response=False)
        self.assertTrue(self.signed_in_fully(self.own_device))

    def test_the_chairs_own_wrong_passwords_pause_the_password_alone_after_the_limit(self):
        for _ in range(LIMIT - 1):
            response = self.sign_in(self.own_device, "typo")
            self.assertNotContains(response, "Too many")
        response = self.sign_in(self.own_device, "typo")
        self.assertContains(response, "Too many wrong passwords for this account")
        response = self.sign_in(self.own_device)
        self.assertContains(response, "Too many wrong passwords. Wait 14 minutes and try again.")
        self.assertNotIn("_auth_user_id", self.own_device.session)

        self.now = START + 15 * 60  # the next window
        response = self.sign_in(self.own_device)
        self.assertRedirects(
            response, reverse("accounts:second_factor"), fetch_redirect_response=False
        )

    def test_parallel_guesses_cannot_hash_more_passwords_than_the_limit(self):
        with mock.patch.object(throttle, "authenticate", return_value=None) as checked:
            for _ in range(LIMIT * 4):
                self.sign_in(self.attacker, "guess")
        self.assertEqual(checked.call_count, LIMIT)

    def test_a_guess_without_the_right_code_counts_nothing_and_leaves_the_device_alone(self):
        for _ in range(LIMIT):
            self.sign_in(self.attacker, "guess")
        with mock.patch.object(throttle, "authenticate", wraps=throttle.authenticate) as checked:
            for _ in range(20):
                response = self.sign_in(self.attacker, "guess", code=wrong_code(self.chair))
                self.assertContains(response, "The login, the password or the code is not right")
        # The same work as any answer (one hash each), and nothing counted or paused.
        self.assertEqual(checked.call_count, 20)
        self.assertEqual(self.device(self.chair).throttling_failure_count, 0)
        self.assertNotIn("_auth_user_id", self.attacker.session)
        self.sign_in(self.own_device, code=current_code(self.chair))
        self.assertTrue(self.signed_in_fully(self.own_device))

    def test_the_right_code_with_a_wrong_password_still_lets_nobody_in(self):
        for _ in range(LIMIT):
            self.sign_in(self.attacker, "guess")
        response = self.sign_in(self.attacker, "guess", code=current_code(self.chair))
        self.assertContains(response, "The login, the password or the code is not right")
        self.assertNotIn("_auth_user_id", self.attacker.session)

    def test_an_unknown_login_is_answered_like_a_known_one(self):
        for name in (self.chair.username, "nobody-here"):
            client = Client()
            client.cookies.load({settings.LANGUAGE_COOKIE_NAME: "en"})
            for _ in range(LIMIT):
                client.post(reverse("accounts:login"), {"username": name, "password": "x"})
            response = client.post(
                reverse("accounts:login"), {"username": name, "password": PASSWORD}
            )
            self.assertContains(response, "with your password and the code")

    def test_right_passwords_do_not_count_as_wrong_ones(self):
        for _ in range(LIMIT + 2):
            response = self.sign_in(self.own_device)
            self.assertRedirects(
                response, reverse("accounts:second_factor"), fetch_redirect_response=False
            )
            self.own_device.post(reverse("accounts:logout"))


class NoAddressKeptTestCase(BaseTestCase):
    def test_no_model_has_a_field_for_an_address(self):
        for model in apps.get_models():
            for field in model._meta.get_fields():
                self.assertNotIsInstance(field, models.GenericIPAddressField, f"{model}.{field}")

    def test_the_old_tables_of_login_attempts_are_gone(self):
        tables = connection.introspection.table_names()
        self.assertEqual([t for t in tables if t.startswith("axes_")], [])


class PromptTestCase(ClockTestCase):
    """Passwords asked again of a signed-in person: per account, with a pause."""

    def setUp(self):
        super().setUp()
        from trustbox.seal.services import member_key_set

        self.official = self.members[0]
        member_key_set(user=self.official, password=PASSWORD, school=self.school)

    def test_the_prompts_pause_after_the_limit_and_say_for_how_long(self):
        for _ in range(LIMIT - 1):
            with self.assertRaisesMessage(Exception, "This is not your password."):
                throttle.password_check(user=self.official, password="typo")
        with self.assertRaisesMessage(Exception, "Too many wrong passwords. Wait 14 minutes"):
            throttle.password_check(user=self.official, password="typo")
        with self.assertRaisesMessage(Exception, "Too many wrong passwords."):
            throttle.password_check(user=self.official, password=PASSWORD)
        self.now = START + 15 * 60
        throttle.password_check(user=self.official, password=PASSWORD)

    def test_the_password_change_form_is_throttled_too(self):
        client = self.login(self.official, Client())
        client.cookies.load({settings.LANGUAGE_COOKIE_NAME: "en"})
        data = {"old_password": "typo", "new_password1": "a new one 2026!", "new_password2": "a"}
        for _ in range(LIMIT):
            client.post(reverse("accounts:password_change"), data)
        data = {
            "old_password": PASSWORD,
            "new_password1": "a brand new passphrase",
            "new_password2": "a brand new passphrase",
        }
        response = client.post(reverse("accounts:password_change"), data)
        self.assertContains(response, "Too many wrong passwords")
        self.official.refresh_from_db()
        self.assertTrue(self.official.check_password(PASSWORD))
