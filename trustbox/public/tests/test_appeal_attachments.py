"""The writer's form takes attachments rebuilt from what can be seen, within the abuse limits."""

from unittest import mock

from django.conf import settings
from django.contrib.auth.models import AnonymousUser
from django.core.cache import cache
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.files.uploadhandler import SkipFile
from django.test import RequestFactory, SimpleTestCase, override_settings
from django.urls import reverse

from trustbox.box.attachments import clean_attachments
from trustbox.box.envelope import Envelope
from trustbox.box.models import SealedAppeal
from trustbox.box.tests.helpers import (
    CAMERA_CANARY,
    CANARY,
    CLIENT_IP,
    HIDDEN_CANARIES,
    SCRIPT_CANARY,
    appeal_data,
    encrypted_pdf,
    pdf_with_gps_photo,
    pdf_with_hidden_things,
    photo_with_gps,
    png_bomb,
)
from trustbox.box.tests.test_attachments import NoDecoding, outside_streams
from trustbox.box.uploads import MemoryOnlyUploadHandler
from trustbox.seal import crypto
from trustbox.test import SealedBoxTestCase


class UploadLimitTests(SimpleTestCase):
    def setUp(self):
        cache.clear()

    def handler(self, user):
        request = RequestFactory().post("/", REMOTE_ADDR=CLIENT_IP)
        request.user = user
        return request, MemoryOnlyUploadHandler(request)

    @override_settings(APPEALS_PER_CLIENT_HOUR=1)
    def test_files_over_the_clients_hourly_limit_are_skipped_before_a_byte_is_kept(self):
        request, handler = self.handler(AnonymousUser())
        for _ in range(3):
            handler.files_seen = 0
            handler.new_file("attachments", "a.jpg", "image/jpeg", 10)
        with self.assertRaises(SkipFile):
            handler.new_file("attachments", "d.jpg", "image/jpeg", 10)
        self.assertEqual(request.skipped_uploads, ["limit"])

    @override_settings(APPEALS_PER_CLIENT_HOUR=0)
    def test_staff_typing_in_paper_appeals_are_not_limited(self):
        staff = mock.Mock(is_authenticated=True)
        request, handler = self.handler(staff)
        handler.new_file("scans", "scan.pdf", "application/pdf", 10)
        self.assertEqual(request.skipped_uploads, [])


class AppealFormAttachmentTests(SealedBoxTestCase):
    url = reverse("box:appeal", args=["alatoo"])

    def setUp(self):
        cache.clear()
        self.client.cookies.load({settings.LANGUAGE_COOKIE_NAME: "en"})

    def post(self, data, address=CLIENT_IP):
        return self.client.post(self.url, data, REMOTE_ADDR=address)

    def opened(self, appeal: SealedAppeal) -> Envelope:
        return Envelope.from_bytes(
            crypto.open_with_box_key(self.box_private_key(), bytes(appeal.ciphertext))
        )

    def test_a_pdf_with_scripts_and_a_gps_photo_is_sealed_as_pictures_only(self):
        files = [
            SimpleUploadedFile("report.pdf", pdf_with_hidden_things(), "application/pdf"),
            SimpleUploadedFile("photo.pdf", pdf_with_gps_photo(), "application/pdf"),
        ]
        response = self.post(appeal_data(attachments=files))
        self.assertContains(response, "Your appeal is in the box")
        sealed = self.opened(SealedAppeal.objects.get()).attachments
        self.assertEqual([a.content_type for a in sealed], ["application/pdf"] * 2)
        for attachment in sealed:
            for secret in [SCRIPT_CANARY, CAMERA_CANARY, *HIDDEN_CANARIES.values()]:
                self.assertNotIn(secret.encode(), attachment.data)
            self.assertNotIn(b"/JavaScript", outside_streams(attachment.data))

    def test_a_decompression_bomb_is_refused_and_the_text_is_kept(self):
        bomb = SimpleUploadedFile("bomb.png", png_bomb(), "image/png")
        with NoDecoding():
            response = self.post(appeal_data(text=CANARY, attachments=[bomb]))
        self.assertContains(response, "at most 40 megapixels", status_code=400)
        self.assertContains(response, CANARY, status_code=400)
        self.assertContains(response, "attach them again", status_code=400)
        self.assertFalse(SealedAppeal.objects.exists())

    def test_a_refused_pdf_is_explained_in_the_writers_language(self):
        self.client.cookies.load({settings.LANGUAGE_COOKIE_NAME: "ru"})
        locked = SimpleUploadedFile("locked.pdf", encrypted_pdf(), "application/pdf")
        response = self.post(appeal_data(text=CANARY, attachments=[locked]))
        self.assertContains(response, "защищён паролем", status_code=400)
        self.assertContains(response, CANARY, status_code=400)

    @override_settings(APPEALS_PER_CLIENT_HOUR=1)
    def test_files_over_the_clients_hourly_limit_are_never_decoded(self):
        def photo():
            return SimpleUploadedFile("p.jpg", photo_with_gps(), "image/jpeg")

        decoding = mock.patch("trustbox.public.forms.clean_attachments", wraps=clean_attachments)
        with decoding as decoded:
            for _ in range(3):  # forms with an error still count their files…
                response = self.post(appeal_data(text=" ", attachments=[photo()]))
                self.assertEqual(response.status_code, 400)
            response = self.post(appeal_data(text=CANARY, attachments=[photo()]))
            self.assertEqual(decoded.call_count, 0)  # …but decode none of them
        self.assertContains(response, "Too many files", status_code=400)
        self.assertContains(response, CANARY, status_code=400)
        self.assertFalse(SealedAppeal.objects.exists())
        response = self.post(appeal_data(attachments=[photo()]), address="198.51.100.9")
        self.assertContains(response, "Your appeal is in the box")
