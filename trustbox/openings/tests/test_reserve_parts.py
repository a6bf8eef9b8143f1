"""A renewed box key is a new key; reserve parts alone never open the box (issue 9, points 2, 3)."""

import datetime
from unittest import mock

from django.conf import settings
from django.core import mail
from django.core.exceptions import ValidationError
from django.test import override_settings
from django.urls import reverse
from django.utils import timezone, translation

from trustbox.audit.models import AuditEntry
from trustbox.box.envelope import Envelope
from trustbox.box.models import SealedAppeal
from trustbox.box.services import appeal_submit
from trustbox.commission.services import commission_appoint
from trustbox.lib.dates import long_date
from trustbox.lib.tests.mailcheck import assert_mail
from trustbox.openings import notify
from trustbox.openings.gathering import (
    opening_code,
    opening_join,
    opening_progress,
    opening_start,
    reserve_share_add,
)
from trustbox.openings.models import Opening
from trustbox.openings.renewal import rekey_finish
from trustbox.openings.services import opening_open
from trustbox.registry.models import RegistryKey
from trustbox.seal import crypto
from trustbox.seal.models import BoxKey, KeyShare
from trustbox.seal.services import box_key_create, member_key_set, share_unlock
from trustbox.test import PASSWORD, BaseTestCase, SealedBoxTestCase


def gather(school, starter, members, *, purpose=Opening.Purpose.OPEN, reserve=()):
    opening, key = opening_start(school=school, by=starter, purpose=purpose)
    for member in members:
        opening_join(
            opening=opening, member=member, password=PASSWORD, session_code=opening_code(opening)
        )
    for words in reserve:
        reserve_share_add(opening=opening, by=starter, words=words)
    return opening, key


def replaced_message(key: BoxKey) -> str:
    assert key.retired_at is not None
    return "replaced on " + long_date(timezone.localtime(key.retired_at).date(), "en")


class RenewedKeyTestCase(SealedBoxTestCase):
    def renew(self, members):
        opening, key = gather(self.school, self.members[0], members, purpose=Opening.Purpose.REKEY)
        return rekey_finish(opening=opening, by=self.members[0], browser_key=key)

    def test_every_renewal_makes_a_new_key_pair_and_appeals_in_the_box_still_open(self):
        appeal_submit(
            school=self.school, envelope=Envelope(kind="message", category="other", text="before")
        )
        new_key, reserve = self.renew(self.members[:3])
        self.assertNotEqual(bytes(new_key.public_key), bytes(self.box_key.public_key))
        self.assertEqual(new_key.commission, self.box_key.commission)
        self.assertNotEqual(set(reserve), set(self.reserve))
        self.assertFalse(KeyShare.objects.filter(box_key=self.box_key).exists())
        opening, key = gather(self.school, self.members[0], self.members[2:5])
        opened = opening_open(opening=opening, by=self.members[0], browser_key=key)
        self.assertEqual((opened.online_count, opened.damage), (1, []))

    def test_the_old_reserve_parts_are_refused_after_a_renewal_and_say_when_they_were_replaced(
        self,
    ):
        self.renew(self.members[:3])
        old = BoxKey.objects.get(pk=self.box_key.pk)
        for purpose in (Opening.Purpose.OPEN, Opening.Purpose.REKEY):
            opening, _key = opening_start(school=self.school, by=self.members[0], purpose=purpose)
            with self.assertRaises(ValidationError) as caught:
                reserve_share_add(opening=opening, by=self.members[0], words=self.reserve[0])
            message = " ".join(caught.exception.messages)
            self.assertIn("These parts belong to a key that was " + replaced_message(old), message)
            self.assertEqual(opening.participants.count(), 0)
            Opening.objects.filter(pk=opening.pk).update(status=Opening.Status.CANCELLED)

    def test_the_old_parts_together_open_nothing_that_arrives_after_the_renewal(self):
        # The worst case: one member kept her old part and the old reserve envelopes leaked.
        old_share = share_unlock(box_key=self.box_key, user=self.members[0], password=PASSWORD)
        old_private = crypto.combine_box_key([old_share, *self.reserve])
        self.renew(self.members[:3])
        after = appeal_submit(
            school=self.school, envelope=Envelope(kind="message", category="other", text="after")
        ).sealed
        opening, key = gather(self.school, self.members[0], self.members[:3])
        opening_open(opening=opening, by=self.members[0], browser_key=key)

        with self.assertRaises(crypto.SealError):
            crypto.open_with_box_key(old_private, bytes(after.ciphertext))
        for registry_key in RegistryKey.objects.all():
            with self.assertRaises(crypto.SealError):
                crypto.open_with_box_key(old_private, bytes(registry_key.sealed_for_box))
        self.assertFalse(KeyShare.objects.filter(box_key=self.box_key).exists())


class ReserveBelowThresholdTestCase(BaseTestCase):
    """A commission of three: two open the box, so only one reserve part is printed."""

    def setUp(self):
        super().setUp()
        self.three = [self.members[0], self.members[1], self.parent]
        commission_appoint(
            school=self.school,
            by=self.director,
            order_number="30",
            order_date=datetime.date(2026, 10, 1),
            members=self.three,
            parents_representative=self.parent,
            responsible=self.members[0],
        )
        for person in self.three:
            member_key_set(user=person, password=PASSWORD, school=self.school)
        for number, person in enumerate(self.members, start=1):
            person.email = f"member{number}@school.invalid"
            person.save()

    def test_three_members_get_one_reserve_part_whatever_the_settings_ask(self):
        with override_settings(RESERVE_SHARES=2):
            box_key, reserve = box_key_create(school=self.school, by=self.members[0])
        self.assertEqual((box_key.threshold, box_key.reserve_shares, len(reserve)), (2, 1, 1))
        with self.assertRaises(crypto.SealError):
            crypto.combine_box_key(reserve)

    def test_the_seal_page_says_the_reserve_was_reduced_and_where_to_keep_the_parts(self):
        self.login(self.members[0])
        self.client.cookies.load({settings.LANGUAGE_COOKIE_NAME: "en"})
        with override_settings(RESERVE_SHARES=2):
            response = self.client.get(reverse("seal:ceremony", args=[self.school.slug]))
        self.assertContains(response, "only 1 can be made")
        self.assertContains(response, "district education office")

    def test_the_reserve_part_alone_does_not_reach_the_threshold(self):
        _box_key, reserve = box_key_create(school=self.school, by=self.members[0])
        opening, key = gather(self.school, self.members[0], [], reserve=reserve)
        self.assertEqual(opening_progress(opening).still_needed, 1)
        with self.assertRaises(ValidationError):
            reserve_share_add(opening=opening, by=self.members[0], words=reserve[0])
        with self.assertRaises(ValidationError):
            opening_open(opening=opening, by=self.members[0], browser_key=key)

    def test_even_a_key_made_with_too_many_reserve_parts_needs_a_member(self):
        # As a key made before the rule, or by a changed setting: two reserve parts, threshold 2.
        with mock.patch("trustbox.seal.services.reserve_for", return_value=2):
            box_key, reserve = box_key_create(school=self.school, by=self.members[0])
        self.assertEqual((box_key.threshold, len(reserve)), (2, 2))
        opening, key = gather(self.school, self.members[0], [], reserve=reserve)
        self.assertEqual(opening_progress(opening).still_needed, 1)
        with self.assertRaises(ValidationError) as caught:
            opening_open(opening=opening, by=self.members[0], browser_key=key)
        self.assertIn("reserve parts alone never open the box", " ".join(caught.exception.messages))
        self.assertFalse(SealedAppeal.objects.filter(opened=True).exists())

        # One member with them opens it.
        opening_join(
            opening=opening,
            member=self.members[1],
            password=PASSWORD,
            session_code=opening_code(opening),
        )
        opened = opening_open(opening=opening, by=self.members[0], browser_key=key)
        self.assertEqual(opened.status, Opening.Status.OPENED)

    def test_each_use_of_a_reserve_part_is_audited_and_mailed_to_every_member_without_content(
        self,
    ):
        _box_key, reserve = box_key_create(school=self.school, by=self.members[0])
        opening, _key = opening_start(school=self.school, by=self.members[0])
        with self.captureOnCommitCallbacks(execute=True):
            reserve_share_add(opening=opening, by=self.members[0], words=reserve[0])

        entry = AuditEntry.objects.get(action="opening.reserve_add")
        self.assertEqual((entry.actor, entry.details), (self.members[0], {"part": 1}))
        self.assertEqual(
            sorted(message.to[0] for message in mail.outbox),
            sorted(person.email for person in self.three),
        )
        for message in mail.outbox:
            # Kyrgyz, the school's language, for members who chose none.
            text, html = assert_mail(
                self, message, language="ky", secrets=(reserve[0], self.members[0].full_name)
            )
            with translation.override("ky"):
                self.assertEqual(message.subject, notify.reserve_used_subject())
            for part in (text, html):
                self.assertIn(self.school.name, part)
