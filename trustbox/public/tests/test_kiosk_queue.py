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
from trustbox.box.tests.browser_helpers import sealed_in_browser
from trustbox.box.tests.helpers import CANARY, CLIENT_IP
from trustbox.public.forms import submission_token
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
