"""The photos and scans of a paper appeal are rebuilt within the budget of one appeal."""

from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import SimpleTestCase
from django.utils import translation
from django.utils.datastructures import MultiValueDict

from trustbox.box.tests.helpers import flat_png, phone_photo
from trustbox.box.tests.test_attachments import NoDecoding
from trustbox.openings.forms import PaperAppealForm


class PaperScanTests(SimpleTestCase):
    def setUp(self):
        translation.activate("en")
        self.addCleanup(translation.deactivate)

    def form(self, *files):
        data = {"kind": "complaint", "category": "other", "text": "Written on paper."}
        return PaperAppealForm(data, MultiValueDict({"scans": list(files)}))

    def test_a_photo_of_the_paper_is_rebuilt(self):
        form = self.form(SimpleUploadedFile("page.jpg", phone_photo(800, 600), "image/jpeg"))
        self.assertTrue(form.is_valid(), form.errors)
        (scan,) = form.envelope().attachments
        self.assertEqual((scan.name, scan.content_type), ("page.jpg", "image/jpeg"))

    def test_scans_too_large_to_read_are_refused_before_decoding_naming_the_file(self):
        scans = [SimpleUploadedFile(f"scan{n}.png", flat_png(7300, 5479)) for n in range(2)]
        with NoDecoding():
            form = self.form(*scans)
            self.assertFalse(form.is_valid())
        self.assertIn("“scan0.png”: This picture is too large to read", form.errors["scans"][0])
