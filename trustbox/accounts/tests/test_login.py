from django.conf import settings
from django.test import override_settings
from django.urls import reverse
from django_otp.oath import totp
from django_otp.plugins.otp_totp.models import TOTPDevice

from trustbox.audit.models import AuditEntry
from trustbox.test import PASSWORD, BaseTestCase, current_code, make_person


class LoginTestCase(BaseTestCase):
    def sign_in_with_password(self, username: str, password: str = PASSWORD):
        return self.client.post(
            reverse("accounts:login"), {"username": username, "password": password}
        )

    def test_it_asks_for_the_code_after_the_password(self):
        response = self.sign_in_with_password(self.director.username)
        self.assertRedirects(
            response, reverse("accounts:second_factor"), fetch_redirect_response=False
        )
        response = self.client.get(reverse("core:dashboard", args=["alatoo"]))
        self.assertRedirects(
            response, reverse("accounts:second_factor"), fetch_redirect_response=False
        )

    def test_it_lets_the_director_in_with_the_right_code(self):
        self.sign_in_with_password(self.director.username)
        response = self.client.post(
            reverse("accounts:second_factor"), {"code": current_code(self.director)}
        )
        self.assertRedirects(response, reverse("core:home"), fetch_redirect_response=False)
        response = self.client.get(reverse("core:dashboard", args=["alatoo"]))
        self.assertContains(response, "School alatoo")

    def test_it_rejects_a_wrong_code(self):
        self.sign_in_with_password(self.director.username)
        right = current_code(self.director)
        wrong = f"{(int(right) + 1) % 1_000_000:06d}"
        self.client.cookies.load({settings.LANGUAGE_COOKIE_NAME: "en"})
        response = self.client.post(reverse("accounts:second_factor"), {"code": wrong})
        self.assertContains(response, "This code is not right")
        response = self.client.get(reverse("core:dashboard", args=["alatoo"]))
        self.assertRedirects(
            response, reverse("accounts:second_factor"), fetch_redirect_response=False
        )

    def test_it_rejects_a_wrong_password(self):
        response = self.sign_in_with_password(self.director.username, "not the password")
        self.assertEqual(response.status_code, 200)
        self.assertNotIn("_auth_user_id", self.client.session)

    def test_it_sets_up_the_authenticator_at_the_first_login(self):
        newcomer = make_person(self.school, "newcomer")
        TOTPDevice.objects.filter(user=newcomer).delete()
        self.sign_in_with_password("newcomer")
        response = self.client.get(reverse("accounts:second_factor"))
        self.assertContains(response, "data:image/svg+xml")
        device = TOTPDevice.objects.get(user=newcomer)
        self.assertFalse(device.confirmed)

        response = self.client.post(
            reverse("accounts:second_factor"), {"code": f"{totp(device.bin_key):06d}"}
        )
        self.assertRedirects(response, reverse("core:home"), fetch_redirect_response=False)
        device.refresh_from_db()
        self.assertTrue(device.confirmed)
        self.assertTrue(
            AuditEntry.objects.filter(actor=newcomer, action="account.second_factor_set").exists()
        )

    def test_staff_pages_send_a_stranger_to_the_login(self):
        response = self.client.get(reverse("core:dashboard", args=["alatoo"]))
        self.assertRedirects(
            response,
            reverse("accounts:login") + "?next=/s/alatoo/",
            fetch_redirect_response=False,
        )

    def test_passwords_are_hashed_with_argon2(self):
        self.assertTrue(self.director.password.startswith("argon2$"))
        from trustbox import settings as production

        self.assertEqual(
            production.PASSWORD_HASHERS[0], "django.contrib.auth.hashers.Argon2PasswordHasher"
        )

    def test_an_initial_password_must_be_changed_before_anything_else(self):
        self.director.must_change_password = True
        self.director.save()
        self.login(self.director)
        response = self.client.get(reverse("core:dashboard", args=["alatoo"]))
        self.assertRedirects(
            response, reverse("accounts:password_change"), fetch_redirect_response=False
        )
        response = self.client.post(
            reverse("accounts:password_change"),
            {
                "old_password": PASSWORD,
                "new_password1": "a brand new passphrase",
                "new_password2": "a brand new passphrase",
            },
        )
        self.assertRedirects(response, reverse("core:home"), fetch_redirect_response=False)
        self.director.refresh_from_db()
        self.assertFalse(self.director.must_change_password)
        response = self.client.get(reverse("core:dashboard", args=["alatoo"]))
        self.assertEqual(response.status_code, 200)

    def test_logging_out_ends_the_session(self):
        self.login(self.director)
        self.client.post(reverse("accounts:logout"))
        dashboard = reverse("core:dashboard", args=["alatoo"])
        self.assertRedirects(
            self.client.get(dashboard),
            f"{reverse('accounts:login')}?next={dashboard}",
            fetch_redirect_response=False,
        )

    @override_settings(REQUIRE_SECOND_FACTOR=True)
    def test_the_next_address_survives_both_steps(self):
        response = self.client.post(
            reverse("accounts:login") + "?next=/s/alatoo/commission/",
            {"username": self.director.username, "password": PASSWORD},
        )
        self.assertIn("next=%2Fs%2Falatoo%2Fcommission%2F", response["Location"])
        response = self.client.post(
            reverse("accounts:second_factor") + "?next=/s/alatoo/commission/",
            {"code": current_code(self.director)},
        )
        self.assertRedirects(response, "/s/alatoo/commission/", fetch_redirect_response=False)
