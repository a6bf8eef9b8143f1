import subprocess

from django.conf import settings
from django.core.cache import cache
from django.urls import reverse

from trustbox.box.tests.helpers import appeal_data, receipt_picture_on
from trustbox.test import SealedBoxTestCase


class KioskTestCase(SealedBoxTestCase):
    url = reverse("box:kiosk", args=["alatoo"])

    def setUp(self):
        cache.clear()
        self.client.cookies.load({settings.LANGUAGE_COOKIE_NAME: "en"})

    def test_the_kiosk_form_keeps_nothing_in_the_browser(self):
        response = self.client.get(self.url)
        self.assertContains(response, "data-kiosk")
        self.assertContains(response, 'autocomplete="off"')
        self.assertContains(response, "public/kiosk.js")
        self.assertContains(response, f'name="kiosk-idle" content="{settings.KIOSK_IDLE_SECONDS}"')
        self.assertIn("no-store", response["Cache-Control"])
        # Checking an appeal shows its conversation, which a shared screen must not keep.
        self.assertNotContains(response, reverse("box:status", args=["alatoo"]))

    def test_after_an_appeal_the_kiosk_keeps_the_receipt_until_the_writer_is_done(self):
        response = self.client.post(self.url, appeal_data(text="kiosk appeal"))
        self.assertContains(response, "Your appeal is in the box")
        html = response.content.decode()
        # No refresh that ignores the writer: the script counts down, and a touch starts again.
        # Only a browser without JavaScript clears the screen by a refresh, after the long wait.
        seconds = settings.KIOSK_RECEIPT_SECONDS
        self.assertIn(
            f'<noscript><meta http-equiv="refresh" content="{seconds};url={self.url}"></noscript>',
            html,
        )
        self.assertEqual(html.count("http-equiv"), 1)
        self.assertContains(response, f'name="kiosk-idle" content="{seconds}"')
        self.assertContains(response, 'id="kiosk-countdown"')
        self.assertContains(response, "I have written it down")
        self.assertContains(response, "public/kiosk.js")
        # Nothing to save or print on a shared tablet.
        self.assertNotContains(response, "download=")
        self.assertNotContains(response, "print-receipt")
        self.assertNotContains(response, "receipt.js")
        self.assertIsNone(receipt_picture_on(response))
        self.assertNotContains(response, "kiosk appeal")
        self.assertIn("no-store", response["Cache-Control"])


class PosterTestCase(SealedBoxTestCase):
    def poster_pdf(self, language) -> bytes:
        self.login(self.director)
        response = self.client.get(reverse("box_staff:poster", args=["alatoo", language]))
        return b"".join(response) if response.streaming else response.content

    def test_the_posters_pdf_is_tagged_and_says_its_own_language(self):
        import io

        from pypdf import PdfReader

        for language in ("ky", "ru"):
            with self.subTest(language):
                catalog = PdfReader(io.BytesIO(self.poster_pdf(language))).trailer["/Root"]
                self.assertEqual(catalog["/Lang"], language)
                self.assertTrue(catalog["/MarkInfo"]["/Marked"])
                self.assertIn("/StructTreeRoot", catalog)

    def poster_text(self, language):
        self.login(self.director)
        response = self.client.get(reverse("box_staff:poster", args=["alatoo", language]))
        self.assertEqual(response["Content-Type"], "application/pdf")
        pdf = b"".join(response) if response.streaming else response.content
        self.assertTrue(pdf.startswith(b"%PDF"))
        result = subprocess.run(["pdftotext", "-", "-"], input=pdf, capture_output=True, check=True)
        text = result.stdout.decode()
        self.assertEqual(text.count("\x0c"), 1, "the poster fits on one A4 page")
        return text

    def test_the_poster_in_kyrgyz_has_the_link_the_promise_and_the_helplines(self):
        text = self.poster_text("ky")
        self.assertIn("School alatoo", text)
        self.assertIn("/b/alatoo/", text)
        for number in ("111", "102", "103", "112", "117"):
            self.assertIn(number, text)
        self.assertIn("Ишеним кутусу", text)

    def test_the_poster_in_russian(self):
        text = self.poster_text("ru")
        self.assertIn("Ящик доверия", text)
        self.assertIn("/b/alatoo/", text)

    def test_the_poster_is_only_for_the_schools_staff(self):
        self.login(self.other_director)
        response = self.client.get(reverse("box_staff:poster", args=["alatoo", "ky"]))
        self.assertEqual(response.status_code, 404)

    def test_the_box_page_shows_the_link_the_qr_code_and_what_waits_inside(self):
        self.client.cookies.load({settings.LANGUAGE_COOKIE_NAME: "en"})
        self.client.post(reverse("box:appeal", args=["alatoo"]), appeal_data(urgent="on"))
        self.login(self.teacher)
        response = self.client.get(reverse("box_staff:overview", args=["alatoo"]))
        self.assertContains(response, "/b/alatoo/")
        self.assertContains(response, "data:image/svg+xml")
        self.assertContains(response, "1 appeal is in the box, sealed.")
        self.assertContains(response, "An urgent appeal is waiting in the box")
