import base64
import io
import re

from django.conf import settings
from django.core import mail
from django.core.cache import cache
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import override_settings
from django.urls import reverse
from PIL import Image

from trustbox.box.envelope import Envelope
from trustbox.box.models import SealedAppeal
from trustbox.box.tests.helpers import (
    CANARY,
    CLIENT_IP,
    appeal_data,
    photo_with_gps,
    receipt_code_on,
    receipt_picture_on,
)
from trustbox.lib.tests.mailcheck import assert_mail
from trustbox.seal import crypto
from trustbox.test import BaseTestCase, SealedBoxTestCase


class AppealFormTestCase(SealedBoxTestCase):
    url = reverse("box:appeal", args=["alatoo"])

    def setUp(self):
        cache.clear()
        self.client.cookies.load({settings.LANGUAGE_COOKIE_NAME: "en"})

    def post(self, data=None, **extra):
        return self.client.post(self.url, data or appeal_data(), REMOTE_ADDR=CLIENT_IP, **extra)

    def opened(self, appeal: SealedAppeal) -> Envelope:
        return Envelope.from_bytes(
            crypto.open_with_box_key(self.box_private_key(), bytes(appeal.ciphertext))
        )

    def test_the_form_shows_the_helplines_and_needs_no_javascript_or_third_parties(self):
        response = self.client.get(self.url)
        html = response.content.decode()
        for number in ("111", "102", "103", "112", "117"):
            self.assertIn(f'href="tel:{number}"', html)
        # The form is sent as any form; its two scripts (sealing in the browser where it can,
        # keeping the text when the server is away) are files of the site itself, nothing inline.
        self.assertEqual(
            re.findall(r"<script[^>]*>", html),
            [
                '<script src="/static/public/seal.js" defer>',
                '<script src="/static/public/keep_text.js" defer>',
            ],
        )
        self.assertEqual(re.findall(r'(?:src|href|action)="(?:https?:)?//', html), [])
        self.assertIn('enctype="multipart/form-data"', html)
        self.assertIn("no-store", response["Cache-Control"])

    def test_the_form_page_with_its_stylesheet_and_script_weighs_under_30_kb(self):
        html = self.client.get(self.url).content
        linked = re.findall(rb'(?:src|href)="(/static/[^"]+)"', html)
        self.assertIn(b"/static/public/keep_text.js", linked)
        files = b"".join(
            b"".join(self.client.get(path.decode()).streaming_content) for path in linked
        )
        self.assertLess(len(html) + len(files), 30 * 1024)

    def test_an_anonymous_appeal_is_sealed_and_a_receipt_is_shown(self):
        response = self.post(appeal_data(text=CANARY))
        self.assertContains(response, "Your appeal is in the box")
        code = receipt_code_on(response)
        self.assertRegex(code, r"^\d{4}-\d{4}-\d{4}-\d{4}-\d{4}$")
        self.assertContains(response, code)
        appeal = SealedAppeal.objects.get()
        self.assertEqual(appeal.seq, 1)
        self.assertFalse(appeal.urgent)
        self.assertNotIn(CANARY.encode(), bytes(appeal.ciphertext))
        envelope = self.opened(appeal)
        self.assertEqual(envelope.text, CANARY)
        self.assertEqual(
            (envelope.kind, envelope.category, envelope.writer), ("complaint", "bullying", None)
        )
        self.assertEqual(envelope.language, "en")
        box_salt = bytes(appeal.school.box.receipt_salt)
        self.assertEqual(appeal.receipt_lookup, crypto.receipt_derive(code, box_salt).lookup)

    def test_a_signed_appeal_carries_the_name_inside_the_seal_only(self):
        self.post(
            appeal_data(
                signed="signed",
                name="Aigerim Toktosunova",
                class_or_role="7-B",
                contact="+996 700 123 456",
            )
        )
        appeal = SealedAppeal.objects.get()
        writer = self.opened(appeal).writer
        self.assertEqual(
            (writer.name, writer.class_or_role, writer.contact),
            ("Aigerim Toktosunova", "7-B", "+996 700 123 456"),
        )
        self.assertNotIn(b"Aigerim", bytes(appeal.ciphertext))

    def test_a_photo_is_sealed_without_its_camera_and_location_data(self):
        photo = SimpleUploadedFile("IMG_0001.jpg", photo_with_gps(), content_type="image/jpeg")
        response = self.post(appeal_data(attachments=[photo]))
        self.assertContains(response, "Your appeal is in the box")
        (attachment,) = self.opened(SealedAppeal.objects.get()).attachments
        self.assertEqual(attachment.content_type, "image/jpeg")
        self.assertNotIn(b"CanaryCam", attachment.data)
        self.assertNotIn(b"Exif", attachment.data)
        with Image.open(io.BytesIO(attachment.data)) as image:
            self.assertEqual(image.size, (64, 48))
            self.assertEqual(dict(image.getexif()), {})

    def test_it_rejects_an_empty_appeal(self):
        response = self.post(appeal_data(text="   \n "))
        self.assertContains(response, "the text is empty", status_code=400)
        self.assertFalse(SealedAppeal.objects.exists())

    def test_it_rejects_a_too_long_text_and_gives_it_back(self):
        text = "Ж" * 5001
        response = self.post(appeal_data(text=text))
        self.assertContains(response, "The text is too long", status_code=400)
        self.assertContains(response, text, status_code=400)
        self.assertFalse(SealedAppeal.objects.exists())

    def test_it_rejects_a_wrong_file_type_and_keeps_the_text(self):
        bad = SimpleUploadedFile("notes.txt", b"just text", content_type="text/plain")
        response = self.post(appeal_data(text=CANARY, attachments=[bad]))
        self.assertContains(
            response, "Only photos (JPEG, PNG, WebP) and PDF files", status_code=400
        )
        self.assertContains(response, CANARY, status_code=400)
        self.assertContains(response, "attach them again", status_code=400)
        self.assertFalse(SealedAppeal.objects.exists())

    def test_it_rejects_an_oversize_file_and_keeps_the_text(self):
        big = SimpleUploadedFile(
            "big.jpg", b"\xff\xd8" + b"0" * (5 * 1024 * 1024 + 10), content_type="image/jpeg"
        )
        response = self.post(appeal_data(text=CANARY, attachments=[big]))
        self.assertContains(response, "larger than 5 MB", status_code=400)
        self.assertContains(response, CANARY, status_code=400)
        self.assertFalse(SealedAppeal.objects.exists())

    def test_it_rejects_more_than_three_files(self):
        photos = [
            SimpleUploadedFile(f"p{i}.jpg", photo_with_gps(), content_type="image/jpeg")
            for i in range(4)
        ]
        response = self.post(appeal_data(attachments=photos))
        self.assertContains(response, "At most 3 files", status_code=400)

    def test_it_explains_broken_characters_and_gives_the_text_back(self):
        body = (
            "text=Salam+%D0%96%FF%FE+dos&kind=message&signed=anonymous&token="
            + appeal_data()["token"]
        )
        response = self.client.post(
            self.url, body, content_type="application/x-www-form-urlencoded", REMOTE_ADDR=CLIENT_IP
        )
        self.assertContains(response, "could not be read", status_code=400)
        self.assertContains(response, "Salam Ж", status_code=400)
        self.assertFalse(SealedAppeal.objects.exists())

    def test_it_asks_for_a_name_when_the_writer_signs(self):
        response = self.post(appeal_data(signed="signed", text=CANARY))
        self.assertContains(
            response, "Write your name, or choose to stay anonymous", status_code=400
        )
        self.assertContains(response, CANARY, status_code=400)

    def test_it_answers_in_kyrgyz_by_default(self):
        self.client.cookies.pop(settings.LANGUAGE_COOKIE_NAME)
        response = self.post(appeal_data(text=""))
        self.assertContains(response, '<html lang="ky">', status_code=400)
        self.assertNotContains(response, "the text is empty", status_code=400)

    def test_a_form_sent_twice_is_stored_once_and_the_second_answer_says_it_is_in_the_box(self):
        data = appeal_data()
        self.post(data)
        response = self.post(data)
        self.assertContains(response, "This appeal is already in the box")
        self.assertContains(response, "the answer to your first sending was lost")
        self.assertNotContains(response, "Your appeal is in the box")  # no second receipt
        self.assertEqual(SealedAppeal.objects.count(), 1)

    @override_settings(APPEALS_PER_CLIENT_HOUR=2)
    def test_one_client_is_limited_but_keeps_the_text_and_others_go_on(self):
        self.post()
        self.post()
        response = self.post(appeal_data(text=CANARY))
        self.assertContains(response, "Too many appeals", status_code=429)
        self.assertContains(response, CANARY, status_code=429)
        response = self.client.post(self.url, appeal_data(), REMOTE_ADDR="198.51.100.3")
        self.assertContains(response, "Your appeal is in the box")
        self.assertEqual(SealedAppeal.objects.count(), 3)

    @override_settings(APPEALS_PER_SCHOOL_HOUR=2)
    def test_the_whole_school_is_limited_too(self):
        for address in ("198.51.100.1", "198.51.100.2"):
            self.client.post(self.url, appeal_data(), REMOTE_ADDR=address)
        response = self.client.post(self.url, appeal_data(), REMOTE_ADDR="198.51.100.3")
        self.assertEqual(response.status_code, 429)

    def test_an_urgent_appeal_alerts_the_commission_without_any_content(self):
        languages = ["ru", "en", "", "ky", "ru"]
        for member, language in zip(self.members, languages, strict=True):
            member.email = f"{member.username}@school.invalid"
            member.language = language
            member.save()
        with self.captureOnCommitCallbacks(execute=True):
            response = self.post(
                appeal_data(text=CANARY, urgent="on", signed="signed", name="Canary Writer")
            )
        self.assertContains(response, "do not wait")
        self.assertRegex(
            response.content.decode(),
            r'class="alarm"[^>]*>[^<]*<a class="call" href="tel:111">111</a> '
            r'<a class="call" href="tel:112">112</a>',
        )
        self.assertTrue(SealedAppeal.objects.get().urgent)
        self.assertEqual(len(mail.outbox), 5)
        words = {"ky": "шашылыш", "ru": "срочно", "en": "urgent"}
        for message in mail.outbox:
            # In each member's own language (Kyrgyz by default), whatever the writer used.
            [member] = [m for m in self.members if m.email == message.to[0]]
            language = member.language or "ky"
            text, html = assert_mail(
                self, message, language=language, secrets=(CANARY, "Canary Writer", "bullying")
            )
            for part in (text, html):
                self.assertIn(words[language], part)
                self.assertIn(self.school.name, part)

    def test_a_plain_appeal_alerts_nobody(self):
        with self.captureOnCommitCallbacks(execute=True):
            self.post()
        self.assertEqual(mail.outbox, [])

    def test_the_receipt_can_be_saved_as_a_png_picture(self):
        response = self.post()
        picture = receipt_picture_on(response)
        self.assertTrue(picture.startswith("data:image/png;base64,"))
        self.assertContains(response, 'download="trust-box-receipt.png"')
        png = base64.b64decode(picture.split(",", 1)[1])
        with Image.open(io.BytesIO(png)) as image:
            self.assertEqual(image.format, "PNG")
            self.assertEqual(image.width, 720)


class BoxNotReadyTestCase(BaseTestCase):
    def test_a_box_without_a_key_refuses_appeals_and_says_why(self):
        url = reverse("box:appeal", args=["alatoo"])
        self.client.cookies.load({settings.LANGUAGE_COOKIE_NAME: "en"})
        self.assertContains(self.client.get(url), "not open for appeals yet")
        response = self.client.post(url, appeal_data())
        self.assertContains(response, "not open for appeals yet", status_code=400)
        self.assertFalse(SealedAppeal.objects.exists())

    def test_an_unknown_school_is_not_found(self):
        self.assertEqual(self.client.get(reverse("box:appeal", args=["nowhere"])).status_code, 404)
