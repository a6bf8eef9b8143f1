import re

from django.conf import settings
from django.test import Client
from django.urls import reverse

from trustbox.box.envelope import Envelope
from trustbox.box.services import appeal_submit
from trustbox.openings.models import Opening
from trustbox.registry.models import Appeal, Source
from trustbox.test import PASSWORD, SealedBoxTestCase, current_code


class OpeningPagesTestCase(SealedBoxTestCase):
    def setUp(self):
        appeal_submit(
            school=self.school,
            envelope=Envelope(kind="message", category="other", text="online one"),
        )
        self.screen = self.login(self.members[0], Client())
        self.screen.cookies.load({settings.LANGUAGE_COOKIE_NAME: "en"})

    def url(self, name, **kwargs):
        return reverse(f"openings:{name}", kwargs={"school": "alatoo", **kwargs})

    def start(self):
        response = self.screen.post(self.url("start"))
        opening = Opening.objects.get()
        self.assertRedirects(response, self.url("session", pk=opening.pk))
        self.assertIn(f"tb_opening_{opening.pk}", response.cookies)
        cookie = response.cookies[f"tb_opening_{opening.pk}"]
        self.assertTrue(cookie["httponly"])
        self.assertEqual(cookie["samesite"], "Strict")
        return opening

    def code_on_the_screen(self, opening):
        page = self.screen.get(self.url("session", pk=opening.pk)).content.decode()
        return re.search(r'class="code-big"><code class="secret">([0-9A-F-]+)<', page).group(1)

    def join_on_own_phone(self, opening, member):
        phone = self.login(member, Client())
        response = phone.post(
            self.url("join", pk=opening.pk),
            {"code": self.code_on_the_screen(opening), "password": PASSWORD},
        )
        self.assertRedirects(response, self.url("session", pk=opening.pk))
        return phone

    def test_three_members_open_the_box_from_their_phones_and_one_screen(self):
        opening = self.start()
        self.screen.post(self.url("join", pk=opening.pk), {"password": PASSWORD})
        response = self.screen.get(self.url("session", pk=opening.pk))
        self.assertContains(response, "2 more members are needed")
        phone = self.join_on_own_phone(opening, self.members[1])
        response = self.screen.post(
            self.url("join_here", pk=opening.pk),
            {
                "username": self.members[2].username,
                "password": PASSWORD,
                "code": current_code(self.members[2]),
            },
        )
        self.assertRedirects(response, self.url("session", pk=opening.pk))

        response = self.screen.post(
            self.url("paper", pk=opening.pk),
            {
                "kind": "complaint",
                "category": "canteen",
                "text": "paper note",
                "name": "",
                "contact": "",
            },
        )
        self.assertRedirects(response, self.url("session", pk=opening.pk))
        response = self.screen.get(self.url("session", pk=opening.pk))
        self.assertContains(response, "Open the box")

        response = self.screen.post(
            self.url("open", pk=opening.pk), {"box_note": "whole, seal intact", "copies": 2}
        )
        self.assertRedirects(response, self.url("session", pk=opening.pk))
        response = self.screen.get(self.url("session", pk=opening.pk))
        self.assertContains(response, "the box is opened")
        self.assertContains(response, "no damage")
        self.assertContains(response, "2 (online: 1, paper: 1)")
        self.assertEqual(
            sorted(Appeal.objects.values_list("source", flat=True)),
            sorted([Source.ONLINE, Source.PAPER]),
        )

        phone.post(self.url("confirm", pk=opening.pk))
        response = self.screen.get(self.url("journal"))
        self.assertContains(response, self.members[1].full_name)

    def test_the_box_does_not_open_from_another_device(self):
        opening = self.start()
        phones = [self.join_on_own_phone(opening, m) for m in self.members[1:4]]
        phones[0].cookies.load({settings.LANGUAGE_COOKIE_NAME: "en"})
        response = phones[0].post(self.url("open", pk=opening.pk), {"copies": 2})
        self.assertContains(response, "device where this opening was started", status_code=400)
        self.assertEqual(Opening.objects.get().status, Opening.Status.GATHERING)

    def test_a_wrong_code_on_the_shared_screen_joins_nobody(self):
        opening = self.start()
        right = current_code(self.members[2])
        response = self.screen.post(
            self.url("join_here", pk=opening.pk),
            {
                "username": self.members[2].username,
                "password": PASSWORD,
                "code": f"{(int(right) + 1) % 10**6:06d}",
            },
        )
        self.assertContains(response, "is not right", status_code=400)
        self.assertFalse(opening.participants.exists())

    def test_people_outside_the_commission_cannot_start_or_join(self):
        self.login(self.teacher)
        self.assertEqual(self.client.post(self.url("start")).status_code, 403)
        opening = self.start()
        response = self.client.post(self.url("join", pk=opening.pk), {"password": PASSWORD})
        self.assertEqual(response.status_code, 400)
        self.assertFalse(opening.participants.exists())
        response = self.client.post(self.url("reserve", pk=opening.pk), {"words": "x"})
        self.assertEqual(response.status_code, 403)


class RenewalPagesTestCase(SealedBoxTestCase):
    def test_one_member_and_the_reserve_parts_renew_the_key_on_one_screen(self):
        screen = self.login(self.members[0], Client())
        screen.cookies.load({settings.LANGUAGE_COOKIE_NAME: "en"})
        response = screen.get(reverse("seal:ceremony", args=["alatoo"]))
        self.assertContains(response, "Start renewing the box key")
        response = screen.post(reverse("openings:start_renewal", args=["alatoo"]))
        opening = Opening.objects.get()
        self.assertEqual(opening.purpose, Opening.Purpose.REKEY)
        session = reverse("openings:session", args=["alatoo", opening.pk])
        self.assertRedirects(response, session)
        screen.post(reverse("openings:join", args=["alatoo", opening.pk]), {"password": PASSWORD})
        for words in self.reserve:
            response = screen.post(
                reverse("openings:reserve", args=["alatoo", opening.pk]), {"words": words.upper()}
            )
            self.assertRedirects(response, session)
        response = screen.get(session)
        self.assertContains(response, "2 reserve parts")
        self.assertContains(response, "Renew the box key")
        response = screen.post(reverse("openings:renew", args=["alatoo", opening.pk]))
        self.assertContains(response, "Reserve part № 2")
        self.assertIn("no-store", response["Cache-Control"])
        self.assertEqual(Opening.objects.get().status, Opening.Status.OPENED)
        self.assertFalse(Opening.objects.done().exists(), "a renewal is not a line of the journal")
