import re
from pathlib import Path
from unittest import mock

from django.conf import settings
from django.core.exceptions import ValidationError
from django.test import Client
from django.urls import reverse
from django.utils import translation
from django_otp.plugins.otp_totp.models import TOTPDevice

from trustbox.accounts import throttle
from trustbox.accounts.models import User
from trustbox.audit.models import AuditEntry
from trustbox.box.envelope import Envelope
from trustbox.box.services import appeal_submit
from trustbox.lib.dates import Case, ky_month
from trustbox.openings.gathering import opening_code, opening_join, opening_start
from trustbox.openings.models import Opening
from trustbox.openings.services import opening_open
from trustbox.registry.models import Appeal, Source
from trustbox.test import PASSWORD, SealedBoxTestCase, both_factors, current_code


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
        response = self.screen.post(self.url("start"), both_factors(self.members[0]))
        opening = Opening.objects.get()
        self.assertRedirects(response, self.url("session", pk=opening.pk))
        self.assertIn(f"tb_opening_{opening.pk}", response.cookies)
        cookie = response.cookies[f"tb_opening_{opening.pk}"]
        self.assertTrue(cookie["httponly"])
        self.assertEqual(cookie["samesite"], "Strict")
        # The code the starter gave is spent; joining on this screen later takes her next one.
        TOTPDevice.objects.filter(user=self.members[0]).update(last_t=-1)
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
        self.assertContains(response, "Check the seal and take the appeals out</button>")

        response = self.screen.post(
            self.url("open", pk=opening.pk), {"box_note": "whole, seal intact", "copies": 2}
        )
        self.assertRedirects(response, self.url("session", pk=opening.pk))
        response = self.screen.get(self.url("session", pk=opening.pk))
        self.assertContains(response, "the box is opened")
        self.assertContains(response, "The digital seal is whole")
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
        response = screen.get(reverse("openings:start_renewal", args=["alatoo"]))
        self.assertContains(response, "Code from the authenticator app")
        response = screen.post(
            reverse("openings:start_renewal", args=["alatoo"]), both_factors(self.members[0])
        )
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
        self.assertContains(response, "Renew the box key</button>")
        # A renewal speaks of renewing, never of opening the box.
        self.assertContains(response, "Enough members are present: the box key can be renewed.")
        self.assertContains(response, "Cancel this gathering")
        for opening_words in ("to open the box", "Cancel this opening", "Type in the paper"):
            self.assertNotContains(response, opening_words)
        # Nor on the phone of a member who has not joined yet, nor where the journal points to it.
        phone = self.login(self.members[3], Client())
        phone.cookies.load({settings.LANGUAGE_COOKIE_NAME: "en"})
        for page in (phone.get(session), phone.get(reverse("openings:journal", args=["alatoo"]))):
            main = page.content.decode().split("<main")[1].split("</main>")[0]
            main = main.split('aria-labelledby="chain-heads"')[0]
            self.assertNotRegex(re.sub(r"<[^>]+>", " ", main).lower(), r"\bopening\b|open the box")
        self.assertContains(phone.get(session), "where the gathering was started")
        response = screen.post(reverse("openings:renew", args=["alatoo", opening.pk]))
        self.assertContains(response, "Reserve part № 2")
        self.assertIn("no-store", response["Cache-Control"])
        self.assertEqual(Opening.objects.get().status, Opening.Status.OPENED)
        self.assertFalse(Opening.objects.done().exists(), "a renewal is not a line of the journal")


def text_of(page: str) -> str:
    """The page's words, without its tags."""
    return " ".join(re.sub(r"<[^>]+>", "", page).split())


class GuidedCeremonyTestCase(OpeningPagesTestCase):
    """The opening as numbered steps, its count kept up to date, what comes next (issue 11, 9)."""

    def steps(self, page):
        """Each step's id and state, in order."""
        return re.findall(r'<li class="step step-(\w+)" id="step-(\w+)"', page)

    def join_here(self, opening, member, code=None):
        return self.screen.post(
            self.url("join_here", pk=opening.pk),
            {
                "username": member.username,
                "password": PASSWORD,
                "code": code or current_code(member),
            },
        )

    def test_the_page_walks_through_seven_numbered_steps(self):
        opening = self.start()
        page = self.screen.get(self.url("session", pk=opening.pk)).content.decode()
        self.assertEqual(
            [name for _state, name in self.steps(page)],
            ["gather", "code", "foyer", "paper", "seal", "act", "confirm"],
        )
        self.assertEqual(
            [state for state, _name in self.steps(page)],
            ["current", "current", "todo", "todo", "todo", "todo", "todo"],
        )
        self.assertIn('id="step-gather" aria-current="step"', page)
        self.assertIn("3 more members are needed to open the box.", page)
        self.assertIn("This comes when enough members are present.", page)
        for member in self.members[:3]:
            self.screen.post(
                self.url("join_here", pk=opening.pk),
                {"username": member.username, "password": PASSWORD, "code": current_code(member)},
            )
        page = self.screen.get(self.url("session", pk=opening.pk)).content.decode()
        self.assertEqual(
            [state for state, _name in self.steps(page)],
            ["done", "done", "current", "current", "current", "todo", "todo"],
        )
        self.screen.post(self.url("open", pk=opening.pk), {"box_note": "", "copies": 2})
        page = self.screen.get(self.url("session", pk=opening.pk)).content.decode()
        self.assertEqual(
            [state for state, _name in self.steps(page)],
            ["done", "done", "done", "done", "done", "current", "current"],
        )
        self.assertIn(">PDF in Kyrgyz</a>", page)

    def test_the_count_of_members_still_needed_is_read_by_the_pages_script(self):
        opening = self.start()
        page = self.screen.get(self.url("session", pk=opening.pk)).content.decode()
        progress = self.url("progress", pk=opening.pk)
        self.assertRegex(
            page, rf'<script src="/static/openings/gathering\.js" defer data-progress="{progress}"'
        )
        self.assertIn('id="still-needed" aria-live="polite"', page)
        self.assertIn("<noscript>", page)
        self.screen.post(self.url("join", pk=opening.pk), {"password": PASSWORD})
        phone = self.login(self.members[3], Client())
        phone.cookies.load({settings.LANGUAGE_COOKIE_NAME: "en"})
        state = phone.get(progress).json()
        self.assertEqual(state["status"], "gathering")
        self.assertEqual(state["still_needed"], 2)
        self.assertEqual(state["needed_text"], "2 more members are needed to open the box.")
        self.assertEqual(state["present"], [self.members[0].full_name])
        self.join_here(opening, self.members[1])
        state = phone.get(progress).json()
        self.assertEqual(state["needed_text"], "1 more member is needed to open the box.")
        phone.cookies.load({settings.LANGUAGE_COOKIE_NAME: "ru"})
        self.assertEqual(
            phone.get(progress).json()["needed_text"],
            "Для вскрытия ящика нужен ещё 1 член комиссии.",
        )
        self.assertEqual(self.login(self.other_director, Client()).get(progress).status_code, 404)

    def test_after_the_opening_the_page_says_what_to_register_and_by_when(self):
        appeal_submit(
            school=self.school,
            envelope=Envelope(kind="message", category="other", text="second online"),
        )
        opening = self.start()
        for member in self.members[:3]:
            self.join_here(opening, member)
        self.screen.post(self.url("open", pk=opening.pk), {"box_note": "", "copies": 2})
        by = Appeal.objects.get(number_in_act=1).register_by
        page = self.screen.get(self.url("session", pk=opening.pk)).content.decode()
        registry = reverse("registry:list", args=["alatoo"]) + "?status=taken_out"
        self.assertIn(f'href="{registry}"', page)
        self.assertIn(f"Register these 2 appeals by {by.day} {by:%B}", text_of(page))
        self.assertNotIn("Do not join", page)
        self.screen.cookies.load({settings.LANGUAGE_COOKIE_NAME: "ky"})
        page = self.screen.get(self.url("session", pk=opening.pk)).content.decode()
        self.assertIn(f"{by.day}-{ky_month(by.month, Case.DATIVE)} чейин", text_of(page))

    def test_a_member_who_joined_on_the_shared_screen_confirms_the_seal_there(self):
        opening = self.start()
        for member in self.members[:3]:
            self.join_here(opening, member)
        self.screen.post(self.url("open", pk=opening.pk), {"box_note": "", "copies": 2})
        page = self.screen.get(self.url("session", pk=opening.pk)).content.decode()
        self.assertIn('id="confirm-here"', page)
        confirm_here = self.url("confirm_here", pk=opening.pk)
        second = self.members[1]

        # A wrong code, someone who was not present: refused, nothing confirmed.
        right = current_code(second)
        wrong = f"{(int(right) + 1) % 10**6:06d}"
        response = self.screen.post(
            confirm_here, {"username": second.username, "password": PASSWORD, "code": wrong}
        )
        self.assertContains(response, "is not right", status_code=400)
        # Without the right code a wrong password gets the same answer, after the same work
        # (one hash), and counts nothing: no guessing on this screen.
        with mock.patch.object(
            User, "check_password", autospec=True, side_effect=User.check_password
        ) as check_password:
            guessed = self.screen.post(
                confirm_here, {"username": second.username, "password": "guess", "code": wrong}
            )
        self.assertEqual(check_password.call_count, 1)
        self.assertContains(guessed, "is not right", status_code=400)
        self.assertEqual(throttle._counter("prompt", second.username).get(), 0)
        response = self.screen.post(
            confirm_here,
            {
                "username": self.members[4].username,
                "password": PASSWORD,
                "code": current_code(self.members[4]),
            },
        )
        self.assertContains(response, "Only members present", status_code=400)
        self.assertFalse(opening.participants.filter(confirmed_seal=True).exists())

        # Her next code (the one she joined with is spent; a wrong one slows the next try).
        TOTPDevice.objects.filter(user=second).update(
            last_t=-1, throttling_failure_count=0, throttling_failure_timestamp=None
        )
        response = self.screen.post(
            confirm_here, {"username": second.username, "password": PASSWORD, "code": right}
        )
        self.assertRedirects(response, self.url("session", pk=opening.pk))
        self.assertTrue(opening.participants.get(member=second).confirmed_seal)
        entry = AuditEntry.objects.filter(action="opening.confirm_seal").get()
        self.assertEqual(entry.actor, second)
        self.assertEqual(entry.details, {"screen_of": self.members[0].pk})
        page = self.screen.get(self.url("session", pk=opening.pk)).content.decode()
        self.assertIn(f'{second.full_name} — <span class="ok">confirmed the seal', page)
        # Twice is refused.
        response = self.screen.post(
            confirm_here,
            {"username": second.username, "password": PASSWORD, "code": current_code(second)},
        )
        self.assertEqual(response.status_code, 400)

    def test_counts_speak_in_plural_forms(self):
        opening, key = opening_start(school=self.school, by=self.members[0])
        opening_join(
            opening=opening,
            member=self.members[0],
            password=PASSWORD,
            session_code=opening_code(opening),
        )
        opening_join(
            opening=opening,
            member=self.members[1],
            password=PASSWORD,
            session_code=opening_code(opening),
        )
        with (
            translation.override("en"),
            self.assertRaisesMessage(
                ValidationError, "1 more member must join before the box can be opened."
            ),
        ):
            opening_open(opening=opening, by=self.members[0], browser_key=key)
        with translation.override("ru"), self.assertRaisesMessage(ValidationError, "ещё 1 член"):
            opening_open(opening=opening, by=self.members[0], browser_key=key)


class OpeningPredicatesTestCase(SealedBoxTestCase):
    def test_the_pages_ask_the_opening_not_its_status_string(self):
        folder = Path(__file__).resolve().parents[1] / "templates" / "openings"
        for template in folder.glob("*.html"):
            text = template.read_text()
            with self.subTest(template.name):
                self.assertNotRegex(text, r"\.(status|purpose) *[!=]=")
        opening = Opening(status=Opening.Status.GATHERING, purpose=Opening.Purpose.REKEY)
        self.assertTrue(opening.is_gathering and opening.is_renewal)
        self.assertFalse(opening.is_opened or opening.is_cancelled or opening.is_expired)
