"""Mistakes are hard to make on the ceremony's pages (issue 21, point 5).

Cancelling an opening or a renewal first says what will be lost and happens only when that
page's button is pressed; a wrong code or password is said once on the page.
"""

from django.conf import settings
from django.test import Client
from django.urls import reverse
from django_otp.plugins.otp_totp.models import TOTPDevice

from trustbox.audit.models import AuditEntry
from trustbox.openings.models import Opening, Participant
from trustbox.test import PASSWORD, SealedBoxTestCase, both_factors, current_code

NOT_RIGHT = "The login, the password or the code is not right."


def wrong(code: str) -> str:
    return f"{(int(code) + 1) % 10**6:06d}"


class CeremonyMistakesTestCase(SealedBoxTestCase):
    def setUp(self):
        super().setUp()
        self.screen = self.login(self.members[0], Client())
        self.screen.cookies.load({settings.LANGUAGE_COOKIE_NAME: "en"})

    def url(self, name, **kwargs):
        return reverse(f"openings:{name}", kwargs={"school": "alatoo", **kwargs})

    def start(self, name="start"):
        response = self.screen.post(self.url(name), both_factors(self.members[0]))
        opening = Opening.objects.get(status=Opening.Status.GATHERING)
        self.assertRedirects(response, self.url("session", pk=opening.pk))
        TOTPDevice.objects.filter(user=self.members[0]).update(last_t=-1)
        return opening

    def join_here(self, opening, member, code=None):
        return self.screen.post(
            self.url("join_here", pk=opening.pk),
            {
                "username": member.username,
                "password": PASSWORD,
                "code": code or current_code(member),
            },
        )

    def cancels(self) -> int:
        return AuditEntry.objects.filter(action="opening.cancel").count()

    def shares_kept(self, opening) -> int:
        return Participant.objects.filter(opening=opening).exclude(sealed_share=b"").count()


class CancelConfirmationTestCase(CeremonyMistakesTestCase):
    def test_the_page_of_the_opening_links_to_a_confirmation_not_a_cancelling_button(self):
        opening = self.start()
        page = self.screen.get(self.url("session", pk=opening.pk)).content.decode()
        cancel = self.url("cancel", pk=opening.pk)
        self.assertIn(f'href="{cancel}" id="cancel-link"', page)
        self.assertNotIn(f'action="{cancel}"', page)

    def test_the_confirmation_names_the_members_whose_parts_will_be_wiped(self):
        opening = self.start()
        for member in self.members[1:3]:
            self.assertEqual(self.join_here(opening, member).status_code, 302)
        response = self.screen.get(self.url("cancel", pk=opening.pk))
        names = f"{self.members[1].full_name}, {self.members[2].full_name}"
        self.assertContains(response, f"The parts of the key given by 2 members ({names})")
        self.assertContains(response, "stay sealed until the next opening")
        self.assertContains(response, 'name="confirmed" value="yes"')
        # Asking cancelled nothing and wiped nothing.
        self.assertEqual(Opening.objects.get(pk=opening.pk).status, Opening.Status.GATHERING)
        self.assertEqual(self.shares_kept(opening), 2)
        self.assertEqual(self.cancels(), 0)

    def test_a_post_without_the_confirmation_cancels_nothing(self):
        opening = self.start()
        self.join_here(opening, self.members[1])
        response = self.screen.post(self.url("cancel", pk=opening.pk))
        self.assertContains(response, "What is lost")
        self.assertEqual(Opening.objects.get(pk=opening.pk).status, Opening.Status.GATHERING)
        self.assertEqual(self.shares_kept(opening), 1)
        self.assertEqual(self.cancels(), 0)

    def test_the_confirmation_button_cancels_and_wipes_the_parts(self):
        opening = self.start()
        self.join_here(opening, self.members[1])
        response = self.screen.post(self.url("cancel", pk=opening.pk), {"confirmed": "yes"})
        self.assertRedirects(response, reverse("openings:journal", args=["alatoo"]))
        self.assertEqual(Opening.objects.get(pk=opening.pk).status, Opening.Status.CANCELLED)
        self.assertEqual(self.shares_kept(opening), 0)
        self.assertEqual(self.cancels(), 1)

    def test_a_renewal_is_cancelled_the_same_way_and_says_the_key_stays(self):
        opening = self.start("start_renewal")
        response = self.screen.get(self.url("cancel", pk=opening.pk))
        self.assertContains(response, "Cancel this gathering?")
        self.assertContains(response, "Nobody has joined yet")
        self.assertNotContains(response, "reserve part typed in")
        self.screen.post(self.url("reserve", pk=opening.pk), {"words": self.reserve[0]})
        response = self.screen.get(self.url("cancel", pk=opening.pk))
        self.assertContains(response, "1 reserve part typed in is wiped")
        self.assertContains(response, "The box key is not renewed")
        for opening_words in ("Cancel this opening", "The box stays closed", "the opening"):
            self.assertNotContains(response, opening_words)
        self.assertEqual(Opening.objects.get(pk=opening.pk).status, Opening.Status.GATHERING)
        self.screen.post(self.url("cancel", pk=opening.pk), {"confirmed": "yes"})
        self.assertEqual(Opening.objects.get(pk=opening.pk).status, Opening.Status.CANCELLED)

    def test_an_opening_that_is_over_has_nothing_to_confirm(self):
        opening = self.start()
        self.screen.post(self.url("cancel", pk=opening.pk), {"confirmed": "yes"})
        response = self.screen.get(self.url("cancel", pk=opening.pk))
        self.assertRedirects(response, self.url("session", pk=opening.pk))
        self.assertEqual(self.cancels(), 1)

    def test_people_outside_the_commission_see_no_confirmation(self):
        opening = self.start()
        teacher = self.login(self.teacher, Client())
        self.assertEqual(teacher.get(self.url("cancel", pk=opening.pk)).status_code, 403)
        response = teacher.post(self.url("cancel", pk=opening.pk), {"confirmed": "yes"})
        self.assertEqual(response.status_code, 403)
        self.assertEqual(Opening.objects.get(pk=opening.pk).status, Opening.Status.GATHERING)


class OneMessagePerErrorTestCase(CeremonyMistakesTestCase):
    def test_a_wrong_code_to_start_is_said_once(self):
        response = self.screen.post(
            self.url("start"), {"password": PASSWORD, "code": wrong(current_code(self.members[0]))}
        )
        self.assertEqual(response.content.decode().count(NOT_RIGHT), 1)
        self.assertFalse(Opening.objects.exists())

    def test_a_wrong_code_to_join_on_the_screen_is_said_once(self):
        opening = self.start()
        member = self.members[1]
        response = self.join_here(opening, member, code=wrong(current_code(member)))
        self.assertEqual(response.content.decode().count(NOT_RIGHT), 1)
        self.assertFalse(opening.participants.filter(member=member).exists())

    def test_a_wrong_code_to_confirm_the_seal_is_said_once(self):
        opening = self.start()
        for member in self.members[:3]:
            self.join_here(opening, member)
        self.screen.post(self.url("open", pk=opening.pk), {"box_note": "", "copies": 2})
        second = self.members[1]
        TOTPDevice.objects.filter(user=second).update(last_t=-1)
        response = self.screen.post(
            self.url("confirm_here", pk=opening.pk),
            {
                "username": second.username,
                "password": PASSWORD,
                "code": wrong(current_code(second)),
            },
        )
        self.assertEqual(response.content.decode().count(NOT_RIGHT), 1)
        self.assertFalse(opening.participants.filter(confirmed_seal=True).exists())
