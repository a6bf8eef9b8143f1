"""An opening cannot be hijacked by whoever can write to the database (issue 9, point 7)."""

import datetime
import re

from django.conf import settings
from django.core.exceptions import ValidationError
from django.test import Client
from django.urls import reverse

from trustbox.audit.models import AuditEntry
from trustbox.core.daily import daily_run
from trustbox.openings.gathering import opening_code, opening_join, opening_start, openings_expire
from trustbox.openings.models import Opening, Participant
from trustbox.openings.services import opening_open
from trustbox.seal import crypto
from trustbox.test import PASSWORD, SealedBoxTestCase, both_factors, current_code


def code_on(page: str) -> str:
    return re.search(r'class="code-big"><code class="secret">([0-9A-F-]+)<', page).group(1)


class OpeningCodeTestCase(SealedBoxTestCase):
    def setUp(self):
        super().setUp()
        self.screen = self.login(self.members[0], Client())
        self.screen.cookies.load({settings.LANGUAGE_COOKIE_NAME: "en"})
        self.phone = self.login(self.members[1], Client())
        self.phone.cookies.load({settings.LANGUAGE_COOKIE_NAME: "en"})
        self.attacker = crypto.box_keypair_generate()

    def url(self, name, **kwargs):
        return reverse(f"openings:{name}", kwargs={"school": self.school.slug, **kwargs})

    def start(self) -> Opening:
        response = self.screen.post(self.url("start"), both_factors(self.members[0]))
        opening = Opening.objects.get(status=Opening.Status.GATHERING)
        cookie = response.cookies[f"tb_opening_{opening.pk}"]
        # A session cookie: the opening's key is forgotten when the browser closes.
        self.assertEqual((cookie["max-age"], cookie["expires"]), ("", ""))
        self.assertTrue(cookie["httponly"])
        self.assertEqual(cookie["samesite"], "Strict")
        return opening

    def test_the_starting_screen_shows_the_code_of_the_key_it_holds_and_members_join_with_it(self):
        opening = self.start()
        shown = code_on(self.screen.get(self.url("session", pk=opening.pk)).content.decode())
        self.assertRegex(shown, r"^[0-9A-F]{4}-[0-9A-F]{4}-[0-9A-F]{4}$")
        self.assertEqual(shown, opening_code(opening))

        page = self.phone.get(self.url("session", pk=opening.pk))
        self.assertContains(page, "Code on the shared screen")
        self.assertNotContains(
            page, shown, msg_prefix="the phone asks for the code, never shows it"
        )
        response = self.phone.post(
            self.url("join", pk=opening.pk), {"code": shown.lower(), "password": PASSWORD}
        )
        self.assertRedirects(response, self.url("session", pk=opening.pk))
        self.assertContains(
            self.phone.get(self.url("session", pk=opening.pk)),
            f"your part is sealed to the key with the code {shown}",
        )

    def test_a_key_put_in_the_opening_row_shows_another_code_and_receives_no_part(self):
        opening = self.start()
        shown = code_on(self.screen.get(self.url("session", pk=opening.pk)).content.decode())
        # Someone who can write to the database puts a session key of their own in the row.
        Opening.objects.filter(pk=opening.pk).update(session_public_key=self.attacker.public)
        forged = crypto.key_code(self.attacker.public)
        self.assertNotEqual(forged, shown)

        response = self.phone.post(
            self.url("join", pk=opening.pk), {"code": shown, "password": PASSWORD}
        )
        self.assertContains(
            response, f"The code {shown} is not the code of this opening.", status_code=400
        )
        self.assertNotContains(response, forged, status_code=400)
        self.assertContains(response, "do not join", status_code=400)
        self.assertFalse(Participant.objects.filter(opening=opening).exists())

        # The starting screen works its code out from its own key, and says the row changed.
        page = self.screen.get(self.url("session", pk=opening.pk))
        self.assertContains(page, "Do not join: this opening was changed")
        self.assertNotContains(page, 'class="code-big"')
        response = self.screen.post(
            self.url("join_here", pk=opening.pk),
            {
                "username": self.members[2].username,
                "password": PASSWORD,
                "code": current_code(self.members[2]),
            },
        )
        self.assertEqual(response.status_code, 400)
        self.assertFalse(Participant.objects.filter(opening=opening).exists())

    def test_a_forged_opening_row_shows_a_different_code_from_the_starting_screen(self):
        real = self.start()
        shown = code_on(self.screen.get(self.url("session", pk=real.pk)).content.decode())
        forged = Opening.objects.create(
            school=self.school,
            box_key=self.box_key,
            started_by=self.members[0],
            session_public_key=self.attacker.public,
            session_private_locked=b"",
        )
        response = self.phone.post(
            self.url("join", pk=forged.pk), {"code": shown, "password": PASSWORD}
        )
        self.assertContains(
            response, f"The code {shown} is not the code of this opening.", status_code=400
        )
        self.assertNotContains(response, opening_code(forged), status_code=400)
        self.assertFalse(Participant.objects.filter(opening=forged).exists())
        with self.assertRaises(ValidationError):
            opening_join(
                opening=forged, member=self.members[2], password=PASSWORD, session_code=shown
            )

    def test_an_opening_not_finished_in_time_expires_and_its_parts_are_wiped(self):
        opening, key = opening_start(school=self.school, by=self.members[0])
        for member in self.members[:2]:
            opening_join(
                opening=opening,
                member=member,
                password=PASSWORD,
                session_code=opening_code(opening),
            )
        Opening.objects.filter(pk=opening.pk).update(
            started_at=opening.started_at
            - datetime.timedelta(hours=settings.OPENING_HOURS, minutes=1)
        )
        with self.assertRaises(ValidationError):
            opening_join(
                opening=opening,
                member=self.members[2],
                password=PASSWORD,
                session_code=opening_code(opening),
            )

        # Looking at it expires it.
        page = self.screen.get(self.url("session", pk=opening.pk))
        self.assertContains(page, "This opening expired")
        opening.refresh_from_db()
        self.assertEqual(opening.status, Opening.Status.EXPIRED)
        self.assertEqual(bytes(opening.session_private_locked), b"")
        self.assertEqual({bytes(p.sealed_share) for p in opening.participants.all()}, {b""})
        self.assertTrue(AuditEntry.objects.filter(action="opening.expire", actor=None).exists())
        with self.assertRaises(ValidationError):
            opening_open(opening=opening, by=self.members[0], browser_key=key)
        # A new opening may start.
        opening_start(school=self.school, by=self.members[0])

    def test_starting_a_new_opening_and_the_daily_command_expire_old_ones(self):
        opening, _key = opening_start(school=self.school, by=self.members[0])
        long_ago = opening.started_at - datetime.timedelta(hours=settings.OPENING_HOURS + 1)
        Opening.objects.filter(pk=opening.pk).update(started_at=long_ago)
        second, _key = opening_start(school=self.school, by=self.members[1])
        self.assertEqual(Opening.objects.get(pk=opening.pk).status, Opening.Status.EXPIRED)

        Opening.objects.filter(pk=second.pk).update(started_at=long_ago)
        lines = daily_run(today=datetime.date.today()).lines
        self.assertIn("openings: openings expired and wiped: 1", lines)
        self.assertEqual(Opening.objects.get(pk=second.pk).status, Opening.Status.EXPIRED)
        self.assertEqual(openings_expire(), 0)
