"""Every page that asks a signed-in person's password again is throttled per account."""

from django.conf import settings
from django.core.cache import cache
from django.test import Client
from django.urls import reverse
from django_otp.plugins.otp_totp.models import TOTPDevice

from trustbox.accounts.tests.test_second_factor_limits import HashCounter
from trustbox.openings.gathering import opening_code, opening_start
from trustbox.openings.models import Opening
from trustbox.registry.session import COOKIE
from trustbox.registry.tests.helpers import RegistryTestCase
from trustbox.test import PASSWORD, both_factors, current_code

LIMIT = settings.PASSWORD_FAILURE_LIMIT
CODE_LIMIT = settings.CODE_FAILURE_LIMIT
PAUSED = "Too many wrong passwords. Wait"


def fresh(member) -> str:
    """The member's code of the next time step (the one she typed before is spent)."""
    TOTPDevice.objects.filter(user=member).update(last_t=-1)
    return current_code(member)


class PromptsTestCase(RegistryTestCase):
    def setUp(self):
        super().setUp()
        cache.clear()

    def signed_in(self, user):
        client = self.login(user, Client())
        client.cookies.load({settings.LANGUAGE_COOKIE_NAME: "en"})
        return client

    def guess(self, client, url, data, times=LIMIT):
        for _ in range(times):
            response = client.post(url, data)
            self.assertNotEqual(response.status_code, 302)
        return response

    def test_the_registry_unlock_pauses_after_the_limit(self):
        client = self.signed_in(self.responsible)
        url = reverse("registry:unlock", args=["alatoo"])
        self.guess(client, url, {"password": "guess"})
        response = client.post(url, {"password": PASSWORD})
        self.assertContains(response, PAUSED, status_code=400)
        self.assertNotIn(COOKIE, response.cookies)

    def test_printing_the_act_pauses_after_the_limit(self):
        client = self.signed_in(self.members[0])
        url = reverse("openings:act", args=["alatoo", self.opening.pk, "en", "pdf"])
        self.guess(client, url, {"password": "guess"})
        response = client.post(url, {"password": PASSWORD})
        self.assertContains(response, PAUSED)
        self.assertNotEqual(response["Content-Type"], "application/pdf")

    def test_joining_an_opening_pauses_after_the_limit(self):
        opening = opening_start(school=self.school, by=self.members[0])[0]
        phone = self.signed_in(self.members[1])
        url = reverse("openings:join", args=["alatoo", opening.pk])
        code = opening_code(opening)
        self.guess(phone, url, {"password": "guess", "code": code})
        response = phone.post(url, {"password": PASSWORD, "code": code})
        self.assertContains(response, PAUSED, status_code=400)
        self.assertFalse(opening.participants.filter(member=self.members[1]).exists())

    def start_on_the_screen(self):
        screen = self.signed_in(self.members[0])
        screen.post(reverse("openings:start", args=["alatoo"]), both_factors(self.members[0]))
        return screen, Opening.objects.get(status=Opening.Status.GATHERING)

    def test_the_shared_screen_counts_no_password_without_the_right_code(self):
        screen, opening = self.start_on_the_screen()
        member = self.members[2]
        url = reverse("openings:join_here", args=["alatoo", opening.pk])
        wrong = f"{(int(current_code(member)) + 1) % 10**6:06d}"
        data = {"username": member.username, "password": "guess", "code": wrong}
        self.guess(screen, url, data, times=LIMIT * 3)
        device = TOTPDevice.objects.get(user=member, confirmed=True)
        self.assertEqual(device.throttling_failure_count, 0)

        data = {"username": member.username, "password": PASSWORD, "code": current_code(member)}
        response = screen.post(url, data)
        self.assertRedirects(response, reverse("openings:session", args=["alatoo", opening.pk]))

    def test_the_shared_screen_pauses_after_the_limit_with_the_right_code(self):
        screen, opening = self.start_on_the_screen()
        member = self.members[2]
        url = reverse("openings:join_here", args=["alatoo", opening.pk])
        for _ in range(LIMIT):  # each wrong password with a new right code (one try each)
            data = {"username": member.username, "password": "guess", "code": fresh(member)}
            self.assertEqual(screen.post(url, data).status_code, 400)
        data = {"username": member.username, "password": PASSWORD, "code": fresh(member)}
        response = screen.post(url, data)
        self.assertContains(response, PAUSED, status_code=400)
        self.assertFalse(opening.participants.filter(member=member).exists())
        self.assertEqual(Opening.objects.get(pk=opening.pk).status, Opening.Status.GATHERING)

    def test_one_persons_pause_does_not_touch_another(self):
        client = self.signed_in(self.responsible)
        url = reverse("registry:unlock", args=["alatoo"])
        self.guess(client, url, {"password": "guess"})
        other = self.signed_in(self.members[1])
        response = other.post(url, {"password": PASSWORD})
        self.assertEqual(response.status_code, 302)

    def test_setting_the_personal_key_pauses_after_the_limit(self):
        client = self.signed_in(self.members[1])
        url = reverse("seal:member_key", args=["alatoo"])
        self.guess(client, url, {"password": "guess"})
        response = client.post(url, {"password": PASSWORD})
        self.assertContains(response, PAUSED)

    def test_the_shared_screen_counts_wrong_codes_typed_with_the_right_password(self):
        screen, opening = self.start_on_the_screen()
        member = self.members[2]
        url = reverse("openings:join_here", args=["alatoo", opening.pk])
        wrong = f"{(int(current_code(member)) + 1) % 10**6:06d}"
        data = {"username": member.username, "password": PASSWORD, "code": wrong}
        self.guess(screen, url, data, times=CODE_LIMIT)
        data["code"] = current_code(member)
        response = screen.post(url, data)
        self.assertContains(
            response, "Too many wrong authenticator codes were typed", status_code=400
        )
        self.assertFalse(opening.participants.filter(member=member).exists())

    def test_the_shared_screen_hashes_once_whatever_is_wrong(self):
        screen, opening = self.start_on_the_screen()
        member = self.members[2]
        url = reverse("openings:join_here", args=["alatoo", opening.pk])
        wrong = f"{(int(current_code(member)) + 1) % 10**6:06d}"
        cases = {
            "both wrong": (member.username, "guess", wrong),
            "code wrong": (member.username, PASSWORD, wrong),
            "password wrong": (member.username, "guess", fresh(member)),
            "nobody": ("nobody-here", "guess", wrong),
        }
        for case, (username, password, code) in cases.items():
            with self.subTest(case), HashCounter() as hashes:
                data = {"username": username, "password": password, "code": code}
                response = screen.post(url, data)
                self.assertContains(response, "is not right", status_code=400)
                self.assertEqual(hashes.count, 1)
