"""An opening cannot be borrowed (issue 18, point 3).

Someone with the secret key and the database forged a session of the chair, started an opening,
and three members on their phones typed a wrong code; the error page told them the right one.
Now: a wrong code never shows the right one; starting asks the starter's password and
authenticator code again; every member is emailed who started it, where and its code, and keeps
a line on their to-do list until it ends; codes typed on a Kyrgyz or Russian keyboard are read.
"""

import datetime
import re
from unittest import mock

from django.conf import settings
from django.core import mail
from django.core.cache import cache
from django.test import Client
from django.urls import reverse
from django.utils import timezone, translation
from django_otp.plugins.otp_totp.models import TOTPDevice

from trustbox.accounts import throttle
from trustbox.accounts.models import User
from trustbox.box.envelope import Envelope
from trustbox.box.services import appeal_submit
from trustbox.commission.services import commission_appoint
from trustbox.lib.tests.mailcheck import assert_mail
from trustbox.openings import notify
from trustbox.openings.gathering import opening_cancel, opening_code, opening_join, opening_start
from trustbox.openings.models import Opening, Participant
from trustbox.openings.services import opening_open
from trustbox.seal import crypto
from trustbox.seal.services import member_key_set
from trustbox.test import PASSWORD, SealedBoxTestCase, both_factors, current_code, make_person

LIMIT = settings.PASSWORD_FAILURE_LIMIT
SECRET_TEXT = "the canteen cook takes our money"


def wrong(code: str) -> str:
    """Another authenticator code than the right one."""
    return f"{(int(code) + 1) % 10**6:06d}"


def todo_lines(page: str) -> list[str]:
    found = re.findall(r'<li class="todo-item[^"]*">(.*?)</li>', page, re.S)
    return [" ".join(re.sub(r"<[^>]+>", " ", item).split()) for item in found]


class BorrowedOpeningTestCase(SealedBoxTestCase):
    @classmethod
    def setUpTestData(cls):
        super().setUpTestData()
        for person in [*cls.members, cls.director, cls.teacher]:
            person.email = f"{person.username}@school.invalid"
            person.save()
        # Each reads mail in their own language: Kyrgyz, the school's, unless they chose.
        User.objects.filter(pk=cls.members[1].pk).update(language="ru")
        User.objects.filter(pk=cls.members[2].pk).update(language="en")

    def setUp(self):
        super().setUp()
        cache.clear()
        appeal_submit(
            school=self.school,
            envelope=Envelope(kind="complaint", category="extortion", text=SECRET_TEXT),
        )
        self.screen = self.signed_in(self.members[0])

    def signed_in(self, user):
        client = self.login(user, Client())
        client.cookies.load({settings.LANGUAGE_COOKIE_NAME: "en"})
        return client

    def url(self, name, **kwargs):
        return reverse(f"openings:{name}", kwargs={"school": self.school.slug, **kwargs})

    def start(self, name="start", **data):
        with self.captureOnCommitCallbacks(execute=True):
            response = self.screen.post(self.url(name), both_factors(self.members[0], **data))
        opening = Opening.objects.get(status=Opening.Status.GATHERING)
        self.assertRedirects(response, self.url("session", pk=opening.pk))
        # The code she gave is spent; the next start in this test takes her next one.
        TOTPDevice.objects.filter(user=self.members[0]).update(last_t=-1)
        return opening

    def assert_told(self, message, opening, secrets=()):
        """A member's mail of a started gathering: in her language, who, where, its code."""
        [person] = User.objects.filter(email=message.to[0])
        language = person.language or "ky"
        text, html = assert_mail(self, message, language=language, secrets=secrets)
        with translation.override(language):
            self.assertEqual(message.subject, notify.opening_started_subject(opening))
        for part in (text, html):
            self.assertIn(opening.started_by.full_name, part)
            self.assertIn(opening_code(opening), part)
            self.assertIn(settings.SITE_URL + self.url("session", pk=opening.pk), part)
            if opening.place:
                self.assertIn(opening.place, part)
        return text


class WrongCodeTestCase(BorrowedOpeningTestCase):
    def test_a_wrong_code_typed_on_a_phone_never_shows_the_right_one(self):
        phone = self.signed_in(self.members[1])
        for name, words in (("start", "this opening"), ("start_renewal", "this gathering")):
            with self.subTest(name):
                opening = self.start(name)
                right = opening_code(opening)
                typed = "0000-0000-0000" if right != "0000-0000-0000" else "1111-1111-1111"
                response = phone.post(
                    self.url("join", pk=opening.pk), {"code": typed, "password": PASSWORD}
                )
                self.assertContains(
                    response, f"The code {typed} is not the code of {words}.", status_code=400
                )
                page = response.content.decode()
                for shown in (right, right.replace("-", ""), right.lower()):
                    self.assertNotIn(shown, page)
                self.assertFalse(Participant.objects.filter(opening=opening).exists())
                opening_cancel(opening=opening, by=self.members[0])


class StartAsksBothFactorsTestCase(BorrowedOpeningTestCase):
    def test_starting_without_the_password_or_the_code_is_refused(self):
        starter = self.members[0]
        for name in ("start", "start_renewal"):
            page = self.screen.get(self.url(name))
            self.assertContains(page, "Your password")
            self.assertContains(page, "Code from the authenticator app")
            for data in (
                {},
                {"password": PASSWORD},
                {"code": current_code(starter)},
                {"password": PASSWORD, "code": wrong(current_code(starter))},
                {"password": "guess", "code": current_code(starter)},
            ):
                with self.subTest(name=name, sent=sorted(data)):
                    response = self.screen.post(self.url(name), data)
                    self.assertContains(
                        response, "Please correct what is marked below.", status_code=400
                    )
                    self.assertFalse(Opening.objects.exists())
                    self.assertEqual(len(mail.outbox), 0)

    def test_wrong_passwords_at_the_start_are_counted_and_pause_it(self):
        starter = self.members[0]
        for _ in range(LIMIT):
            response = self.screen.post(
                self.url("start"), {"password": "guess", "code": current_code(starter)}
            )
            self.assertEqual(response.status_code, 400)
            # Each try spends its code; the next try brings the next one.
            TOTPDevice.objects.filter(user=starter).update(last_t=-1)
        response = self.screen.post(self.url("start_renewal"), both_factors(starter))
        self.assertContains(response, "Too many wrong passwords. Wait", status_code=400)
        self.assertFalse(Opening.objects.exists())

    def test_the_start_hands_both_factors_to_the_accounts_throttle(self):
        starter = self.members[0]
        code = current_code(starter)
        with mock.patch(
            "trustbox.openings.views.password_check", wraps=throttle.password_check
        ) as check:
            self.screen.post(self.url("start"), {"password": PASSWORD, "code": code})
        check.assert_called_once_with(user=starter, password=PASSWORD, code=code)
        # The code is spent: the same one does not start another gathering.
        opening_cancel(opening=Opening.objects.get(), by=starter)
        response = self.screen.post(self.url("start"), {"password": PASSWORD, "code": code})
        self.assertEqual(response.status_code, 400)
        self.assertEqual(Opening.objects.count(), 1)

    def test_a_session_without_the_factors_is_not_enough(self):
        # As a forged session of the chair: signed in, but without her password or phone.
        forged = self.signed_in(self.members[0])
        for data in ({"place": "library"}, {"password": "x", "code": "000000"}):
            self.assertEqual(forged.post(self.url("start"), data).status_code, 400)
        self.assertFalse(Opening.objects.exists())


class EveryMemberIsToldTestCase(BorrowedOpeningTestCase):
    def test_every_member_is_emailed_who_started_it_where_and_its_code(self):
        opening = self.start(place="school library")
        code = opening_code(opening)
        members = list(self.commission.members.all())
        self.assertEqual(
            sorted(message.to[0] for message in mail.outbox),
            sorted(member.email for member in members),
        )
        secrets = (SECRET_TEXT, "canteen", "complaint", "extortion", "даттануу", "жалоба")
        for message in mail.outbox:
            # Each in the member's language (Kyrgyz unless she chose Russian or English).
            text = self.assert_told(message, opening, secrets)
            self.assertIn(code, text)
        self.assertEqual(
            sorted(member.language or "ky" for member in members), ["en", "ky", "ky", "ky", "ru"]
        )

    def test_a_renewal_is_told_to_the_commission_and_to_those_who_hold_the_old_key(self):
        newcomers = [make_person(self.school, f"new{i}") for i in range(2)]
        for person in newcomers:
            person.email = f"{person.username}@school.invalid"
            person.save()
            member_key_set(user=person, password=PASSWORD, school=self.school)
        commission_appoint(
            school=self.school,
            by=self.director,
            order_number="20",
            order_date=datetime.date(2026, 11, 1),
            members=[self.members[0], self.members[1], self.parent, *newcomers],
            parents_representative=self.parent,
            responsible=self.members[0],
        )
        mail.outbox.clear()
        opening = self.start("start_renewal")
        self.assertEqual(
            sorted(message.to[0] for message in mail.outbox),
            sorted(person.email for person in [*self.members, *newcomers]),
        )
        texts = {message.to[0]: self.assert_told(message, opening) for message in mail.outbox}
        self.assertIn("started a renewal of the box key", texts[self.members[2].email])

    def test_a_member_not_present_sees_it_on_the_to_do_list_until_it_ends(self):
        absent = self.signed_in(self.members[3])
        dashboard = reverse("core:dashboard", args=[self.school.slug])

        def line():
            found = [
                item
                for item in todo_lines(absent.get(dashboard).content.decode())
                if "started an opening" in item
            ]
            return found[0] if found else None

        endings = {
            "opened": self.open_it,
            "cancelled": lambda opening, key: opening_cancel(opening=opening, by=self.members[1]),
            "expired": lambda opening, key: Opening.objects.filter(pk=opening.pk).update(
                started_at=timezone.now() - datetime.timedelta(hours=settings.OPENING_HOURS + 1)
            ),
        }
        for ending, end in endings.items():
            with self.subTest(ending):
                opening, key = opening_start(
                    school=self.school, by=self.members[0], place="school library"
                )
                shown = line()
                self.assertIsNotNone(shown)
                self.assertIn(self.members[0].full_name, shown)
                self.assertIn("Where the commission gathers: school library.", shown)
                self.assertIn("tell the chair and the director", shown)
                self.assertNotIn(opening_code(opening), shown)
                end(opening, key)
                self.assertIsNone(line())

    def open_it(self, opening, key):
        for member in self.members[:3]:
            opening_join(
                opening=opening,
                member=member,
                password=PASSWORD,
                session_code=opening_code(opening),
            )
        opening_open(opening=opening, by=self.members[0], browser_key=key)


class CyrillicKeyboardTestCase(BorrowedOpeningTestCase):
    def test_codes_are_read_with_cyrillic_look_alikes_spaces_and_dashes(self):
        # В, С, Е, А, О are Cyrillic below; en dash and no-break space as phones put them.
        for typed in (
            "FВ8D 9671-5531",
            "fв8d–9671\u00a05531",
            " FB8D96715531 ",
            "ＦＢ８Ｄ-9671-5531",
        ):
            with self.subTest(typed):
                self.assertEqual(crypto.key_code_normalise(typed), "FB8D-9671-5531")
        self.assertEqual(crypto.key_code_normalise("АВСЕ-ОАВС-Е0а1"), "ABCE-0ABC-E0A1")
        # The seal code (a chain code) is the same shape and reads the same way.
        head = bytes.fromhex("abce0f" * 5 + "ab")
        seal = crypto.chain_code(head)
        cyrillic = seal.translate(str.maketrans("ABCE-", "АВСЕ "))
        self.assertEqual(crypto.key_code_normalise(cyrillic), seal)
        # A protocol's verification code, typed from paper on a phone.
        self.assertEqual(
            crypto.verification_code_normalise("АВСЕ НКМР-ТХ00 1234"), "ABCEHKMPTX001234"
        )

    def test_a_member_joins_typing_the_code_on_a_cyrillic_keyboard(self):
        # A session key whose code has Latin letters that a Cyrillic keyboard types differently.
        for _ in range(1000):
            pair = crypto.box_keypair_generate()
            if set(crypto.key_code(pair.public)) & set("ABCE"):
                break
        with mock.patch.object(crypto, "box_keypair_generate", return_value=pair):
            opening = self.start()
        code = opening_code(opening)
        typed = code.translate(str.maketrans("ABCE-", "авсе ")).replace(" ", " - ", 1)
        self.assertNotEqual(typed, code)
        phone = self.signed_in(self.members[1])
        response = phone.post(
            self.url("join", pk=opening.pk), {"code": typed, "password": PASSWORD}
        )
        self.assertRedirects(response, self.url("session", pk=opening.pk))
        self.assertTrue(Participant.objects.filter(opening=opening, member=self.members[1]))


class StartingScreenTestCase(BorrowedOpeningTestCase):
    def test_the_starting_screen_says_who_started_it_and_where(self):
        opening = self.start(place="school library")
        page = self.screen.get(self.url("session", pk=opening.pk)).content.decode()
        self.assertIn(f"Started by {self.members[0].full_name} at", page)
        self.assertIn("Where the commission gathers: school library.", page)
