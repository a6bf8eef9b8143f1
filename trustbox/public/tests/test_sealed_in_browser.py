"""An appeal sealed in the writer's browser (seal.js): what the server takes, refuses and opens."""

import base64

from django.conf import settings
from django.core.cache import cache
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import override_settings
from django.urls import reverse

from trustbox.box.chain import chain_verify
from trustbox.box.envelope import Envelope
from trustbox.box.models import Box, SealedAppeal
from trustbox.box.services import appeal_find_by_receipt
from trustbox.box.tests.browser_helpers import envelope_json, sealed_in_browser
from trustbox.box.tests.helpers import CANARY, CLIENT_IP, appeal_data
from trustbox.registry.models import Appeal
from trustbox.seal import crypto
from trustbox.test import SealedBoxTestCase, captured_logs

# A writer's key of the right form: only what the test changes makes an envelope not hold.
A_KEY = base64.b64encode(bytes(range(32))).decode()


class SealedInTheBrowserTestCase(SealedBoxTestCase):
    url = reverse("box:appeal", args=["alatoo"])

    def setUp(self):
        super().setUp()
        cache.clear()
        self.client.cookies.load({settings.LANGUAGE_COOKIE_NAME: "en"})

    def post(self, data):
        return self.client.post(self.url, data, REMOTE_ADDR=CLIENT_IP)

    def test_the_form_page_gives_the_browser_the_box_key_its_id_and_the_receipt_salt(self):
        html = self.client.get(self.url).content.decode()
        key = base64.b64encode(bytes(self.box_key.public_key)).decode()
        self.assertIn(f'data-seal-key="{key}"', html)
        self.assertIn(f'data-seal-key-id="{self.box_key.pk}"', html)
        self.assertIn('<script src="/static/public/seal.js" defer>', html)
        salt = bytes(Box.objects.get(school=self.school).receipt_salt)
        self.assertIn(f'data-seal-salt="{base64.b64encode(salt).decode()}"', html)

    def test_a_browser_envelope_is_chained_and_the_receipt_page_waits_for_the_browser_code(self):
        sent = sealed_in_browser(self.box_key, CANARY)
        response = self.post(sent.data)
        self.assertContains(response, "Your appeal is in the box")
        self.assertContains(response, '<p class="receipt" id="receipt-code"></p>', html=False)
        self.assertNotContains(response, "data:image/png")  # no picture of a code not here
        appeal = SealedAppeal.objects.get()
        self.assertEqual(bytes(appeal.ciphertext), sent.envelope)
        self.assertEqual(chain_verify(school=self.school), [])
        self.assertEqual(len(appeal.ciphertext), crypto.padded_length(1) + 48)

    def test_the_status_page_finds_a_browser_receipt_and_unlocks_the_writers_key(self):
        sent = sealed_in_browser(self.box_key, CANARY)
        self.post(sent.data)
        found = appeal_find_by_receipt(school=self.school, code=sent.code)
        self.assertEqual(found.sealed, SealedAppeal.objects.get())
        opened = Envelope.from_bytes(
            crypto.opener_with_box_key(self.box_private_key()).open(bytes(found.sealed.ciphertext))
        )
        public = base64.b64decode(opened.reply_public)
        self.assertEqual(crypto.box_public_from_private(found.writer_private()), public)
        status = self.client.post(
            reverse("box:status", args=["alatoo"]), {"code": sent.code}, REMOTE_ADDR=CLIENT_IP
        )
        self.assertContains(status, "In the box, not yet opened.")

    def test_an_envelope_of_no_size_class_is_refused_with_a_clear_message(self):
        sent = sealed_in_browser(self.box_key, CANARY)
        sent.data["sealed"] = SimpleUploadedFile("sealed", sent.envelope + b"\x00")
        response = self.post(sent.data)
        self.assertContains(
            response, "sealed the appeal in a form the box does not take", status_code=400
        )
        self.assertEqual(SealedAppeal.objects.count(), 0)

    def test_an_envelope_of_another_version_is_refused(self):
        sent = sealed_in_browser(self.box_key, CANARY)
        sent.data["sealed"] = SimpleUploadedFile("sealed", b"\xb2" + sent.envelope[1:])
        response = self.post(sent.data)
        self.assertContains(
            response, "sealed the appeal in a form the box does not take", status_code=400
        )
        self.assertEqual(SealedAppeal.objects.count(), 0)

    def test_a_malformed_receipt_is_refused(self):
        sent = sealed_in_browser(self.box_key, CANARY)
        sent.data["writer_key"] = base64.b64encode(b"\xb1" * 20).decode()
        response = self.post(sent.data)
        self.assertContains(
            response, "made the receipt in a form the box does not take", status_code=400
        )
        self.assertEqual(SealedAppeal.objects.count(), 0)

    def test_plaintext_sent_along_a_sealed_envelope_is_refused_and_the_text_kept(self):
        sent = sealed_in_browser(self.box_key, CANARY)
        response = self.post({**sent.data, "text": "words in the clear", "signed": "anonymous"})
        self.assertContains(response, "came with its words unsealed", status_code=400)
        self.assertContains(response, "words in the clear", status_code=400)
        self.assertEqual(SealedAppeal.objects.count(), 0)

    def test_an_envelope_sealed_to_a_key_no_longer_in_force_is_refused(self):
        sent = sealed_in_browser(self.box_key, CANARY)
        sent.data["box_key"] = self.box_key.pk + 1000
        response = self.post(sent.data)
        self.assertContains(response, "The box key changed", status_code=400)
        self.assertEqual(SealedAppeal.objects.count(), 0)

    def test_the_sealed_path_logs_no_address_lookup_or_envelope_taken_or_refused(self):
        sent = sealed_in_browser(self.box_key, CANARY)
        refused = sealed_in_browser(self.box_key, CANARY)
        refused.data["sealed"] = SimpleUploadedFile("sealed", b"\xb2" + refused.envelope[1:])
        with captured_logs() as lines:
            self.post(sent.data)
            self.post(refused.data)
        logged = "\n".join(lines)
        self.assertEqual(SealedAppeal.objects.count(), 1)
        for secret in (CLIENT_IP, sent.data["lookup"], refused.data["lookup"], sent.code):
            self.assertNotIn(secret, logged)
        # The row keeps the day it came, nothing finer.
        kinds = {field.get_internal_type() for field in SealedAppeal._meta.fields}
        self.assertIn("DateField", kinds)
        self.assertFalse(kinds & {"DateTimeField", "TimeField"})

    def test_a_sealed_appeal_meeting_a_database_that_does_not_answer_is_told_to_send_later(self):
        from django.db import connection

        from trustbox.public.tests.test_database_trouble import CANNOT_TAKE, Failing

        sent = sealed_in_browser(self.box_key, CANARY)
        failing = Failing("database is locked", starting="INSERT")
        with connection.execute_wrapper(failing), captured_logs() as lines:
            response = self.post(sent.data)
        self.assertEqual(response.status_code, 503)
        self.assertContains(response, CANNOT_TAKE, status_code=503)
        self.assertNotContains(response, "the text is empty", status_code=503)
        self.assertNotIn(sent.data["lookup"], "\n".join(lines))
        self.assertEqual(SealedAppeal.objects.count(), 0)
        again = sealed_in_browser(self.box_key, CANARY)
        again.data["token"] = sent.data["token"]
        self.assertEqual(self.post(again.data).status_code, 200)
        self.assertEqual(SealedAppeal.objects.count(), 1)

    @override_settings(APPEALS_PER_CLIENT_HOUR=1, APPEALS_PER_SCHOOL_HOUR=3)
    def test_the_hourly_limits_hold_for_sealed_appeals_as_for_plain_ones(self):
        self.assertEqual(self.post(sealed_in_browser(self.box_key, "1").data).status_code, 200)
        response = self.post(sealed_in_browser(self.box_key, "2").data)
        self.assertContains(response, "Too many appeals are coming from here", status_code=429)
        self.assertEqual(SealedAppeal.objects.count(), 1)

    def test_the_same_form_sent_twice_goes_into_the_box_once(self):
        sent = sealed_in_browser(self.box_key, CANARY)
        self.post(sent.data)
        again = dict(sent.data, sealed=SimpleUploadedFile("sealed", sent.envelope))
        response = self.post(again)
        self.assertContains(response, "This appeal is already in the box")
        self.assertEqual(SealedAppeal.objects.count(), 1)


class OpeningBothKindsTestCase(SealedBoxTestCase):
    url = reverse("box:appeal", args=["alatoo"])

    def test_the_opening_opens_both_kinds_and_sets_aside_a_browser_envelope_that_does_not_hold(
        self,
    ):
        cache.clear()
        self.client.post(self.url, appeal_data(text="sealed on the server"), REMOTE_ADDR=CLIENT_IP)
        self.client.post(
            self.url, sealed_in_browser(self.box_key, CANARY).data, REMOTE_ADDR=CLIENT_IP
        )
        tampered = bytearray(sealed_in_browser(self.box_key, "t").envelope)
        tampered[-1] ^= 1
        self.client.post(
            self.url,
            sealed_in_browser(self.box_key, "t", envelope=bytes(tampered)).data,
            REMOTE_ADDR=CLIENT_IP,
        )
        not_an_envelope = crypto.seal_for_box_as_browser(
            bytes(self.box_key.public_key),
            envelope_json("x", kind="no such kind", reply_public=A_KEY),
        )
        self.client.post(
            self.url,
            sealed_in_browser(self.box_key, "y", envelope=not_an_envelope).data,
            REMOTE_ADDR=CLIENT_IP,
        )
        a_pdf = {"name": "a.pdf", "content_type": "application/pdf", "data": "JVBERi0="}
        with_a_pdf = crypto.seal_for_box_as_browser(
            bytes(self.box_key.public_key),
            envelope_json("z", attachments=[a_pdf], reply_public=A_KEY),
        )
        self.client.post(
            self.url,
            sealed_in_browser(self.box_key, "z", envelope=with_a_pdf).data,
            REMOTE_ADDR=CLIENT_IP,
        )
        self.assertEqual(SealedAppeal.objects.count(), 5)

        opening = self.box_open()
        self.assertEqual(opening.online_count, 2)
        for seq in (3, 4, 5):
            self.assertIn({"seq": seq, "what": "unreadable"}, opening.damage)
        aside = SealedAppeal.objects.filter(set_aside=True).values_list("seq", flat=True)
        self.assertEqual(sorted(aside), [3, 4, 5])
        self.assertEqual(Appeal.objects.count(), 2)
