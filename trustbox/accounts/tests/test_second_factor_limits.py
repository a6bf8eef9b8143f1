"""The second factor cannot be guessed, is spent once, and does not lift the password limit."""

from unittest import mock

from django.conf import settings
from django.contrib.auth.hashers import get_hasher
from django.test import Client
from django.urls import reverse
from django_otp.plugins.otp_totp.models import TOTPDevice

from trustbox.accounts import authenticators, throttle
from trustbox.accounts.tests.test_password_throttle import START, ClockTestCase, wrong_code
from trustbox.test import PASSWORD, current_code

LIMIT = settings.PASSWORD_FAILURE_LIMIT
CODE_LIMIT = settings.CODE_FAILURE_LIMIT
CODES_PAUSED = "Too many wrong authenticator codes were typed with this password."
NOT_RIGHT = "The login, the password or the code is not right"


def fresh_code(user) -> str:
    """The code of the next time step, as the app shows it half a minute later."""
    TOTPDevice.objects.filter(user=user).update(last_t=-1)
    return current_code(user)


class HashCounter:
    """Counts the password hashes computed (Django's hasher: verify, or encode for nobody)."""

    def __enter__(self):
        hasher = type(get_hasher())
        self.patches = [
            mock.patch.object(hasher, name, autospec=True, side_effect=getattr(hasher, name))
            for name in ("verify", "encode")
        ]
        self.spies = [patch.start() for patch in self.patches]
        return self

    @property
    def count(self) -> int:
        return sum(spy.call_count for spy in self.spies)

    def __exit__(self, *exc):
        for patch in self.patches:
            patch.stop()


class SecondFactorTestCase(ClockTestCase):
    def setUp(self):
        super().setUp()
        self.chair = self.members[1]
        self.stranger = Client()
        self.own_device = Client()
        for client in (self.stranger, self.own_device):
            client.cookies.load({settings.LANGUAGE_COOKIE_NAME: "en"})

    def sign_in(self, client, password=PASSWORD, username=None, **extra):
        data = {"username": username or self.chair.username, "password": password, **extra}
        return client.post(reverse("accounts:login"), data)

    def signed_in_fully(self, client) -> bool:
        return client.get(reverse("core:dashboard", args=["alatoo"])).status_code == 200

    def pause_the_password_alone(self):
        for _ in range(LIMIT):
            self.sign_in(self.stranger, "guess")
        self.assertTrue(throttle.code_asked(self.chair.username))


class LoginCodesTestCase(SecondFactorTestCase):
    def test_the_login_takes_no_code_the_page_did_not_ask_for(self):
        response = self.sign_in(self.stranger, PASSWORD, code=wrong_code(self.chair))
        # Not asked for: ignored, neither checked, counted, nor spent; the password alone led on.
        self.assertRedirects(
            response, reverse("accounts:second_factor"), fetch_redirect_response=False
        )
        self.assertEqual(throttle._codes_counter(self.chair.username).get(), 0)
        code = current_code(self.chair)
        self.sign_in(self.own_device, PASSWORD, code=code)
        self.assertFalse(self.signed_in_fully(self.own_device))  # the code was not taken
        self.assertEqual(self.device(self.chair).last_t, -1)
        response = self.sign_in(Client(), "guess", code=code)
        self.assertNotContains(response, 'name="code"')
        self.assertEqual(self.device(self.chair).last_t, -1)

    def test_the_page_shows_the_code_field_exactly_while_the_account_asks_for_it(self):
        response = self.sign_in(self.stranger, "guess")
        self.assertNotContains(response, 'name="code"')
        self.pause_the_password_alone()
        response = self.sign_in(self.stranger, "guess", code=wrong_code(self.chair))
        self.assertContains(response, 'name="code"')
        self.now = START + 15 * 60
        response = self.sign_in(self.stranger, "guess")
        self.assertNotContains(response, 'name="code"')

    def test_wrong_codes_with_the_right_password_pause_the_codes_of_the_account(self):
        self.pause_the_password_alone()
        for _ in range(CODE_LIMIT):
            response = self.sign_in(self.stranger, PASSWORD, code=wrong_code(self.chair))
            self.assertContains(response, NOT_RIGHT)
            self.assertNotContains(response, CODES_PAUSED)
        # Someone has her password: the right code is refused too until the window ends,
        # and she is told why.
        response = self.sign_in(self.own_device, PASSWORD, code=fresh_code(self.chair))
        self.assertContains(response, CODES_PAUSED)
        self.assertContains(response, "Wait 14 minutes")
        self.assertFalse(self.signed_in_fully(self.own_device))

        self.now = START + 15 * 60  # the next window: the password alone leads on again
        response = self.sign_in(self.own_device)
        self.assertRedirects(
            response, reverse("accounts:second_factor"), fetch_redirect_response=False
        )

    def test_a_strangers_wrong_codes_do_not_pause_the_real_persons_codes(self):
        self.pause_the_password_alone()
        for _ in range(CODE_LIMIT * 4):
            self.sign_in(self.stranger, "guess", code=wrong_code(self.chair))
        self.assertEqual(throttle._codes_counter(self.chair.username).get(), 0)
        response = self.sign_in(self.own_device, PASSWORD, code=current_code(self.chair))
        self.assertRedirects(response, reverse("core:home"), fetch_redirect_response=False)
        self.assertTrue(self.signed_in_fully(self.own_device))

    def test_a_code_that_signed_in_once_is_spent(self):
        self.pause_the_password_alone()
        code = current_code(self.chair)
        self.sign_in(self.own_device, PASSWORD, code=code)
        self.assertTrue(self.signed_in_fully(self.own_device))
        response = self.sign_in(self.stranger, PASSWORD, code=code)
        self.assertContains(response, NOT_RIGHT)
        self.assertNotIn("_auth_user_id", self.stranger.session)

    def test_a_right_code_with_a_wrong_password_is_spent_on_that_one_try(self):
        self.pause_the_password_alone()
        code = current_code(self.chair)
        with mock.patch.object(throttle, "authenticate", wraps=throttle.authenticate) as tried:
            for password in ["guess1", "guess2", "guess3", PASSWORD]:
                response = self.sign_in(self.stranger, password, code=code)
                self.assertContains(response, NOT_RIGHT)
        self.assertEqual(tried.call_count, 4)
        self.assertNotIn("_auth_user_id", self.stranger.session)
        # One wrong password was counted (the one the code bought); the rest were no tries.
        self.assertEqual(throttle._counter("login", self.chair.username).get(), LIMIT + 1)

    def test_the_password_limit_holds_with_right_codes(self):
        self.pause_the_password_alone()
        for _ in range(LIMIT):
            response = self.sign_in(self.stranger, "guess", code=fresh_code(self.chair))
            self.assertContains(response, NOT_RIGHT)
        with mock.patch.object(throttle, "authenticate") as tried:
            response = self.sign_in(self.own_device, PASSWORD, code=fresh_code(self.chair))
        tried.assert_not_called()
        self.assertContains(response, "Too many wrong passwords. Wait 14 minutes")
        self.assertNotContains(response, 'name="code"')
        self.assertFalse(self.signed_in_fully(self.own_device))

        self.now = START + 15 * 60
        response = self.sign_in(self.own_device)
        self.assertRedirects(
            response, reverse("accounts:second_factor"), fetch_redirect_response=False
        )

    def test_two_requests_with_the_same_code_cannot_both_spend_it(self):
        code = current_code(self.chair)
        spent_inside = []
        real_step = authenticators._matching_step

        def another_request_spends_first(device, token):
            found = real_step(device, token)
            if not spent_inside:  # between this request's read and its write
                spent_inside.append(None)
                spent_inside[0] = authenticators.code_spend(self.chair, code)
            return found

        with mock.patch.object(
            authenticators, "_matching_step", side_effect=another_request_spends_first
        ):
            outer = authenticators.code_spend(self.chair, code)
        self.assertIsNotNone(spent_inside[0])
        self.assertIsNone(outer)


class SameWorkTestCase(SecondFactorTestCase):
    """Whatever is wrong, the answer hashes the password once: the time tells nothing."""

    def hashes(self, client, **data) -> int:
        with HashCounter() as counter:
            self.sign_in(client, **data)
        return counter.count

    def test_the_login_hashes_once_whether_the_code_the_password_or_both_are_wrong(self):
        self.pause_the_password_alone()
        for _ in range(LIMIT):
            self.sign_in(self.stranger, "guess", username="nobody-here")
        cases = {
            "both wrong": {"password": "guess", "code": wrong_code(self.chair)},
            "code wrong": {"password": PASSWORD, "code": wrong_code(self.chair)},
            "password wrong": {"password": "guess", "code": fresh_code(self.chair)},
            "both right": {"password": PASSWORD, "code": fresh_code(self.chair)},
            "nobody": {"password": "guess", "code": "123456", "username": "nobody-here"},
        }
        for case, data in cases.items():
            with self.subTest(case):
                self.assertEqual(self.hashes(Client(), **data), 1)

    def test_the_password_alone_hashes_once_for_a_known_or_unknown_login(self):
        self.assertEqual(self.hashes(Client(), password="guess"), 1)
        self.assertEqual(self.hashes(Client(), password="guess", username="nobody-here"), 1)


class SecondFactorPageTestCase(SecondFactorTestCase):
    def type_code(self, client, code):
        return client.post(reverse("accounts:second_factor"), {"code": code})

    def test_wrong_codes_after_the_password_pause_the_codes_of_the_account(self):
        self.sign_in(self.own_device)
        for _ in range(CODE_LIMIT - 1):
            response = self.type_code(self.own_device, wrong_code(self.chair))
            self.assertContains(response, "This code is not right")
        response = self.type_code(self.own_device, wrong_code(self.chair))
        self.assertContains(response, CODES_PAUSED)
        response = self.type_code(self.own_device, current_code(self.chair))
        self.assertContains(response, CODES_PAUSED)
        self.assertFalse(self.signed_in_fully(self.own_device))
        self.assertEqual(self.device(self.chair).last_t, -1)  # not even compared

        self.now = START + 15 * 60
        self.type_code(self.own_device, current_code(self.chair))
        self.assertTrue(self.signed_in_fully(self.own_device))

    def test_a_code_used_after_the_password_cannot_be_used_again(self):
        code = current_code(self.chair)
        self.sign_in(self.own_device)
        self.type_code(self.own_device, code)
        self.assertTrue(self.signed_in_fully(self.own_device))
        self.sign_in(self.stranger)
        response = self.type_code(self.stranger, code)
        self.assertContains(response, "This code is not right")
        self.assertFalse(self.signed_in_fully(self.stranger))

    def test_the_codes_count_once_across_the_pages(self):
        self.sign_in(self.own_device)
        for _ in range(CODE_LIMIT):
            self.type_code(self.own_device, wrong_code(self.chair))
        self.pause_the_password_alone()
        response = self.sign_in(self.stranger, PASSWORD, code=current_code(self.chair))
        self.assertContains(response, CODES_PAUSED)
