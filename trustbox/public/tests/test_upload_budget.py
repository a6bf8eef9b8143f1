"""The writer's form pays for its files' work from the client's hourly budget of pixels, and a
refused file is named, in the writer's language, with her text kept."""

from unittest import mock

from django.conf import settings
from django.contrib.auth.models import AnonymousUser
from django.core.cache import cache
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import RequestFactory, override_settings
from django.urls import reverse

from trustbox.box.attachments import clean_attachments
from trustbox.box.models import SealedAppeal
from trustbox.box.tests.helpers import CANARY, CLIENT_IP, appeal_data, flat_png, phone_photo
from trustbox.box.tests.test_attachments import NoDecoding
from trustbox.public import throttle
from trustbox.test import SealedBoxTestCase


class AppealFormBudgetTests(SealedBoxTestCase):
    url = reverse("box:appeal", args=["alatoo"])

    def setUp(self):
        cache.clear()
        self.client.cookies.load({settings.LANGUAGE_COOKIE_NAME: "en"})

    def post(self, data, address=CLIENT_IP):
        return self.client.post(self.url, data, REMOTE_ADDR=address)

    def test_a_refused_picture_is_named_in_her_language_and_her_text_is_kept(self):
        self.client.cookies.load({settings.LANGUAGE_COOKIE_NAME: "ru"})
        files = [
            SimpleUploadedFile("класс.jpg", phone_photo(800, 600), "image/jpeg"),
            SimpleUploadedFile("рисунок.png", flat_png(7300, 5479), "image/png"),
        ]
        with NoDecoding():  # neither file: the second is refused from its header
            response = self.post(appeal_data(text=CANARY, attachments=files))
        self.assertContains(response, "«рисунок.png»", status_code=400)
        self.assertContains(response, "не больше 16 Мп", status_code=400)
        self.assertContains(response, CANARY, status_code=400)
        self.assertFalse(SealedAppeal.objects.exists())

    @override_settings(UPLOAD_MEGAPIXELS_PER_CLIENT_HOUR=5)
    def test_the_clients_megapixels_are_counted_and_refused_when_spent(self):
        def photo():  # 12 megapixels, decoded at 3
            return SimpleUploadedFile("IMG_0001.jpg", phone_photo(4000, 3000), "image/jpeg")

        response = self.post(appeal_data(attachments=[photo()]))
        self.assertContains(response, "Your appeal is in the box")
        response = self.post(appeal_data(text=CANARY, attachments=[photo()]))
        self.assertContains(response, "“IMG_0001.jpg”: Too many files", status_code=400)
        self.assertContains(response, CANARY, status_code=400)
        self.assertEqual(SealedAppeal.objects.count(), 1)
        response = self.post(appeal_data(attachments=[photo()]), address="198.51.100.9")
        self.assertContains(response, "Your appeal is in the box")

    def test_a_form_with_an_error_decodes_none_of_its_files(self):
        photo = SimpleUploadedFile("p.jpg", phone_photo(800, 600), "image/jpeg")
        decoding = mock.patch("trustbox.public.forms.clean_attachments", wraps=clean_attachments)
        with decoding as decoded, NoDecoding():
            response = self.post(appeal_data(text=" ", attachments=[photo]))
        self.assertContains(response, "attach them again", status_code=400)
        self.assertEqual(decoded.call_count, 0)

    def test_staff_typing_in_paper_appeals_have_no_hourly_budget_of_pixels(self):
        request = RequestFactory().post("/", REMOTE_ADDR=CLIENT_IP)
        request.user = mock.Mock(is_authenticated=True)
        self.assertIsNone(throttle.upload_meter(request))
        request.user = AnonymousUser()
        meter = throttle.upload_meter(request)
        self.assertEqual(meter.left(), settings.UPLOAD_MEGAPIXELS_PER_CLIENT_HOUR * 1_000_000)
        self.assertTrue(meter.take(1_000_000))
        self.assertEqual(throttle.upload_meter(request).left(), meter.limit - 1_000_000)
