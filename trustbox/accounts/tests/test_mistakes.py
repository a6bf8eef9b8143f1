"""Mistakes are hard to make at the login (issue 21, point 5).

A wrong password or code is said once on the page; the limit of wrong codes is said only when
it is reached, and then says how long to wait.
"""

from django.conf import settings
from django.test import override_settings
from django.urls import reverse

from trustbox.accounts import throttle
from trustbox.accounts.tests.test_password_throttle import START, wrong_code
from trustbox.accounts.tests.test_second_factor_limits import (
    CODES_PAUSED,
    NOT_RIGHT,
    SecondFactorTestCase,
    fresh_code,
)
from trustbox.test import PASSWORD

SMALL_LIMIT = 2


class OneMessagePerErrorTestCase(SecondFactorTestCase):
    def test_a_wrong_password_is_said_once(self):
        response = self.sign_in(self.own_device, "not the password")
        self.assertEqual(response.content.decode().count(NOT_RIGHT), 1)
        self.assertNotIn("_auth_user_id", self.own_device.session)

    def test_a_wrong_code_after_the_password_is_said_once(self):
        self.sign_in(self.own_device)
        response = self.own_device.post(
            reverse("accounts:second_factor"), {"code": wrong_code(self.chair)}
        )
        self.assertEqual(response.content.decode().count("This code is not right"), 1)
        self.assertFalse(self.signed_in_fully(self.own_device))


@override_settings(CODE_FAILURE_LIMIT=SMALL_LIMIT)
class CodeLimitTestCase(SecondFactorTestCase):
    def type_code(self, client, code):
        return client.post(reverse("accounts:second_factor"), {"code": code})

    def test_one_wrong_code_then_the_right_one_signs_in_after_the_password(self):
        self.sign_in(self.own_device)
        response = self.type_code(self.own_device, wrong_code(self.chair))
        self.assertNotContains(response, CODES_PAUSED)
        # django-otp's own throttle of the device, which refused the next code after one wrong
        # one ("Too many wrong codes"), is not used: only the account's count.
        self.assertEqual(self.device(self.chair).throttling_failure_count, 0)
        response = self.type_code(self.own_device, fresh_code(self.chair))
        self.assertRedirects(response, reverse("core:home"), fetch_redirect_response=False)
        self.assertTrue(self.signed_in_fully(self.own_device))
        self.assertEqual(throttle._codes_counter(self.chair.username).get(), 1)

    def test_one_wrong_code_then_the_right_one_signs_in_at_the_login(self):
        self.pause_the_password_alone()
        response = self.sign_in(self.own_device, PASSWORD, code=wrong_code(self.chair))
        self.assertContains(response, NOT_RIGHT)
        self.assertNotContains(response, CODES_PAUSED)
        response = self.sign_in(self.own_device, PASSWORD, code=fresh_code(self.chair))
        self.assertRedirects(response, reverse("core:home"), fetch_redirect_response=False)
        self.assertTrue(self.signed_in_fully(self.own_device))

    def test_the_limit_is_said_when_it_is_reached_with_the_minutes_to_wait(self):
        self.sign_in(self.own_device)
        for _ in range(SMALL_LIMIT - 1):
            response = self.type_code(self.own_device, wrong_code(self.chair))
            self.assertContains(response, "This code is not right")
            self.assertNotContains(response, CODES_PAUSED)
        self.now = START + 5 * 60 + 30  # nine and a half minutes of the window are left
        response = self.type_code(self.own_device, wrong_code(self.chair))
        self.assertContains(response, CODES_PAUSED)
        self.assertContains(response, "Wait 10 minutes and try again.")
        response = self.type_code(self.own_device, fresh_code(self.chair))
        self.assertContains(response, "Wait 10 minutes and try again.")
        self.assertFalse(self.signed_in_fully(self.own_device))

    def test_the_limit_at_the_login_is_said_only_after_it_is_reached(self):
        self.pause_the_password_alone()
        for _ in range(SMALL_LIMIT):
            response = self.sign_in(self.stranger, PASSWORD, code=wrong_code(self.chair))
            self.assertNotContains(response, CODES_PAUSED)
        response = self.sign_in(self.own_device, PASSWORD, code=fresh_code(self.chair))
        self.assertContains(response, CODES_PAUSED)
        self.assertContains(response, "Wait 14 minutes and try again.")


class PasswordLimitSaysHowLongTestCase(SecondFactorTestCase):
    def test_the_password_limit_at_the_login_says_for_how_many_minutes(self):
        for _ in range(settings.PASSWORD_FAILURE_LIMIT - 1):
            self.assertNotContains(self.sign_in(self.stranger, "guess"), "Too many")
        response = self.sign_in(self.stranger, "guess")
        self.assertContains(response, "Too many wrong passwords for this account. For 14 minutes")
