"""The foyer tablet's queue (issue 25, point 5): an envelope sealed on the tablet without the
network and sent later goes into the box once, received on the day it is sent."""

import datetime
from unittest import mock

from django.conf import settings
from django.core.cache import cache
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from django.utils import timezone

from trustbox.box.models import SealedAppeal
from trustbox.box.services import appeal_find_by_receipt
from trustbox.box.tests.browser_helpers import sealed_in_browser
from trustbox.box.tests.helpers import CANARY, CLIENT_IP
from trustbox.public.forms import submission_token
from trustbox.registry.models import Appeal
from trustbox.seal import crypto
from trustbox.seal.models import BoxKey
from trustbox.seal.services import box_key_renew
from trustbox.test import SealedBoxTestCase


class QueuedEnvelopeTestCase(SealedBoxTestCase):
    url = reverse("box:kiosk", args=["alatoo"])

    def setUp(self):
        super().setUp()
        cache.clear()
        self.client.cookies.load({settings.LANGUAGE_COOKIE_NAME: "en"})

    def send(self, sent, **changed):
        """The tablet sends a queued envelope: its sealed fields, the token it kept."""
        data = dict(sent.data, sealed=SimpleUploadedFile("sealed", sent.envelope), **changed)
        return self.client.post(self.url, data, REMOTE_ADDR=CLIENT_IP)

    def test_a_queued_envelope_sent_twice_with_its_token_is_stored_once(self):
        queued = sealed_in_browser(self.box_key, CANARY, channel="kiosk")
        first = self.send(queued)
        self.assertContains(first, "Your appeal is in the box")
        # The answer was lost on the way: the tablet sends it again with the token it kept.
        again = self.send(queued)
        self.assertContains(again, "This appeal is already in the box")
        self.assertEqual(SealedAppeal.objects.count(), 1)

    def test_a_queued_envelope_sent_again_with_a_fresh_token_is_stored_once(self):
        # Lost before its token was kept: the same envelope with a new token is still one
        # appeal (its receipt's lookup hash is in the box already).
        queued = sealed_in_browser(self.box_key, CANARY, channel="kiosk")
        self.send(queued)
        again = self.send(queued, token=submission_token())
        self.assertContains(again, "This appeal is already in the box")
        self.assertEqual(SealedAppeal.objects.count(), 1)

    def test_a_queued_envelope_is_received_on_the_day_it_is_sent(self):
        # Sealed on the tablet on Monday, the network back on Tuesday: the box keeps Tuesday,
        # the day only, and the envelope exactly as the tablet sealed it (nothing added).
        queued = sealed_in_browser(self.box_key, CANARY, channel="kiosk")
        sent_on = timezone.localdate() + datetime.timedelta(days=1)
        with mock.patch("trustbox.box.services.timezone.localdate", return_value=sent_on):
            self.assertContains(self.send(queued), "Your appeal is in the box")
        appeal = SealedAppeal.objects.get()
        self.assertEqual(appeal.received_on, sent_on)
        self.assertEqual(bytes(appeal.ciphertext), queued.envelope)


class QueuedBeforeARenewalTestCase(SealedBoxTestCase):
    """Envelopes a tablet sealed before the box key was renewed (docs/security-kiosk.md)."""

    url = reverse("box:kiosk", args=["alatoo"])

    def setUp(self):
        super().setUp()
        cache.clear()
        self.client.cookies.load({settings.LANGUAGE_COOKIE_NAME: "en"})

    def renew(self):
        new, _reserve = box_key_renew(
            school=self.school,
            by=self.members[0],
            old_key=self.box_key,
            old_private=self.box_private_key(),
        )
        return new

    def send(self, sent):
        data = dict(sent.data, sealed=SimpleUploadedFile("sealed", sent.envelope))
        return self.client.post(self.url, data, REMOTE_ADDR=CLIENT_IP)

    def test_an_envelope_sealed_before_a_renewal_goes_in_on_the_day_sent_and_opens(self):
        queued = sealed_in_browser(self.box_key, CANARY, channel="kiosk")
        self.renew()
        # The network returns the day after the renewal; the opening is the day after that.
        sent_on = timezone.localdate() - datetime.timedelta(days=1)
        with mock.patch("trustbox.box.services.timezone.localdate", return_value=sent_on):
            self.assertContains(self.send(queued), "Your appeal is in the box")
        appeal = SealedAppeal.objects.get()
        self.assertEqual(appeal.box_key_id, self.box_key.pk)  # the key it was sealed to
        self.assertEqual(appeal.received_on, sent_on)
        self.assertEqual(
            appeal_find_by_receipt(school=self.school, code=queued.code).sealed, appeal
        )
        # The new key's quorum opens it, through the old key the renewal sealed to the new one.
        opening = self.box_open()
        self.assertEqual((opening.online_count, opening.damage), (1, []))
        self.assertEqual(Appeal.objects.get(school=self.school).received_on, sent_on)

    def test_an_envelope_sealed_to_a_key_the_opening_cannot_open_is_refused_before_the_limits(
        self,
    ):
        theirs = BoxKey.objects.create(
            school=self.other_school,
            commission=self.other_commission,
            public_key=crypto.box_keypair_generate().public,
            threshold=3,
            member_shares=5,
            reserve_shares=2,
            created_by=self.other_director,
        )
        new = self.renew()
        # Another school's key; and this school's old key once nothing seals it forward.
        another_school = sealed_in_browser(theirs, CANARY, channel="kiosk")
        another_school.data["lookup"] = "a" * 64  # the salt is this school's
        old = sealed_in_browser(self.box_key, CANARY, channel="kiosk")
        BoxKey.objects.filter(pk=new.pk).update(previous_private_sealed=None)
        with self.settings(APPEALS_PER_CLIENT_HOUR=2):  # a third appeal would be refused
            for sent in (another_school, old, another_school, old):
                response = self.send(sent)
                self.assertContains(response, "The box key changed", status_code=400)
        self.assertEqual(SealedAppeal.objects.count(), 0)
