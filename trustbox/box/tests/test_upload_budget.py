"""No file buys the server's time: pixels and bytes are paid from a budget before the work.

Each test counts the work done (pixels decoded, read by a spy on Pillow's decoding; pixels
rendered; bytes written; the encoder's options), never the time it took.
"""

import io
from dataclasses import dataclass
from unittest import mock

from django.test import SimpleTestCase
from django.utils import translation
from PIL import Image, ImageFile
from pypdf import PdfReader

from trustbox.box import attachments, pictures
from trustbox.box.attachments import AttachmentError, clean_attachment, clean_attachments
from trustbox.box.filebudget import Budget
from trustbox.box.tests.helpers import (
    CAMERA_CANARY,
    flat_png,
    page_with_black_square,
    palette_png_with_transparency,
    pdf_of,
    phone_photo,
    progressive_jpeg_with_scans,
)
from trustbox.box.tests.test_attachments import GPS_IFD, NoDecoding


class DecodingSpy:
    """Record the size of every picture Pillow decodes while active."""

    def __enter__(self):
        self.sizes = []
        original = ImageFile.ImageFile.load

        def load(image):
            if image.tile:  # something left to decode
                self.sizes.append(image.size)
            return original(image)

        self.patch = mock.patch.object(ImageFile.ImageFile, "load", load)
        self.patch.start()
        return self

    def __exit__(self, *exc):
        self.patch.stop()

    @property
    def pixels(self) -> int:
        return sum(width * height for width, height in self.sizes)


@dataclass
class FakeMeter:
    """A client's hourly budget of pixels, as the writer's pages pass one."""

    limit: int
    taken: int = 0

    def take(self, pixels):
        if self.taken + pixels > self.limit:
            return False
        self.taken += pixels
        return True

    def give_back(self, pixels):
        self.taken -= pixels

    def left(self):
        return self.limit - self.taken


def pdf_pages(pdf: bytes) -> list[tuple[int, int]]:
    return [
        (image.image.width, image.image.height)
        for page in PdfReader(io.BytesIO(pdf)).pages
        for image in page.images
    ]


class PictureBudgetTests(SimpleTestCase):
    def setUp(self):
        translation.activate("en")
        self.addCleanup(translation.deactivate)

    def test_a_large_palette_png_with_transparency_stays_a_small_palette_png(self):
        source = palette_png_with_transparency(4000, 4000)  # 3.9 MB, as the review's file
        budget = Budget()
        with DecodingSpy() as decoded:
            attachment = clean_attachment("drawing.png", source, budget)
        self.assertEqual(decoded.sizes, [(4000, 4000)])  # decoded once, nothing more
        self.assertEqual(budget.decoded, 16_000_000)
        self.assertEqual(attachment.content_type, "image/png")
        with Image.open(io.BytesIO(attachment.data)) as result:
            self.assertEqual((result.mode, result.size), ("P", (2000, 2000)))
            self.assertNotIn("transparency", result.info)
            # What was transparent is white paper.
            self.assertGreater(min(result.convert("RGB").getpixel((10, 10))), 240)
        # At most a byte a pixel: it grew to 24 MB as an RGBA PNG.
        self.assertLess(len(attachment.data), 2000 * 2000 + 2000 + 8192)
        self.assertEqual(budget.written, len(attachment.data))

    def test_a_palette_png_over_16_megapixels_is_refused_from_its_header(self):
        source = palette_png_with_transparency(6000, 6000, block=12)
        with NoDecoding(), self.assertRaisesMessage(AttachmentError, "it has 36 MP"):
            clean_attachment("drawing.png", source)

    def test_three_40_megapixel_pngs_are_refused_before_any_decoding_naming_the_file(self):
        files = [(f"plan{n}.png", flat_png(7300, 5479)) for n in range(3)]
        with NoDecoding(), self.assertRaises(AttachmentError) as refused:
            clean_attachments(files)
        self.assertIn("“plan0.png”: This picture is too large to read", str(refused.exception))
        self.assertIn("at most 16 MP", str(refused.exception))

    def test_pictures_over_the_appeals_pixels_together_are_refused_before_any_decoding(self):
        files = [("a.png", flat_png(3000, 3000)), ("b.png", flat_png(3000, 3000))]
        with (
            mock.patch.object(attachments, "APPEAL_PIXELS", 15_000_000),
            NoDecoding(),
            self.assertRaises(AttachmentError) as refused,
        ):
            clean_attachments(files)
        self.assertIn("“b.png”: Together with the other files", str(refused.exception))

    def test_a_phone_photo_is_decoded_reduced_capped_at_2000_and_loses_its_gps(self):
        source = phone_photo(4000, 3000)
        budget = Budget()
        with DecodingSpy() as decoded:
            attachment = clean_attachment("IMG_0001.jpg", source, budget)
        self.assertEqual(decoded.sizes, [(2000, 1500)])  # a quarter of its 12 megapixels
        self.assertEqual(budget.decoded, 3_000_000)
        self.assertNotIn(CAMERA_CANARY.encode(), attachment.data)
        with Image.open(io.BytesIO(attachment.data)) as result:
            self.assertEqual((result.format, result.size), ("JPEG", (2000, 1500)))
            self.assertEqual(dict(result.getexif().get_ifd(GPS_IFD)), {})
            self.assertEqual(dict(result.getexif()), {})
        self.assertLess(len(attachment.data), len(source))

    def test_a_40_megapixel_jpeg_is_decoded_at_a_quarter_or_less(self):
        photo = io.BytesIO()
        Image.new("RGB", (7300, 5479), "teal").save(photo, format="JPEG")
        with DecodingSpy() as decoded:
            attachment = clean_attachment("big.jpg", photo.getvalue())
        self.assertEqual(decoded.sizes, [(3650, 2740)])  # its decoder draws it at a half
        with Image.open(io.BytesIO(attachment.data)) as result:
            self.assertEqual(max(result.size), 2000)

    def test_no_slow_encoder_option_is_used(self):
        saves = []
        original = Image.Image.save

        def save(image, fp, format=None, **options):
            saves.append((format, options))
            return original(image, fp, format, **options)

        drawing, photo = palette_png_with_transparency(300, 300), phone_photo(800, 600)
        with mock.patch.object(Image.Image, "save", save):
            clean_attachment("drawing.png", drawing)
            clean_attachment("photo.jpg", photo)
        self.assertEqual([format for format, _ in saves], ["PNG", "JPEG"])  # one each
        for _format, options in saves:
            self.assertFalse(options.get("optimize"))
            self.assertFalse(options.get("progressive"))
            self.assertLessEqual(options.get("compress_level", 6), 6)

    def test_a_jpeg_of_more_scans_than_any_camera_writes_is_refused_before_decoding(self):
        self.assertEqual(Image.open(io.BytesIO(progressive_jpeg_with_scans(0))).format, "JPEG")
        clean_attachment("ok.jpg", progressive_jpeg_with_scans(20))  # 30 scans are read
        slow = progressive_jpeg_with_scans(1000)
        with NoDecoding(), self.assertRaisesMessage(AttachmentError, "takes too long to read"):
            clean_attachment("slow.jpg", slow)

    def test_a_png_whose_text_chunks_inflate_to_megabytes_is_refused_at_its_header(self):
        import struct
        import zlib

        def chunk(kind: bytes, body: bytes) -> bytes:
            crc = zlib.crc32(kind + body)
            return struct.pack(">I", len(body)) + kind + body + struct.pack(">I", crc)

        small = io.BytesIO()
        Image.new("RGB", (8, 8), "red").save(small, format="PNG")
        data = small.getvalue()
        inflating = chunk(b"zTXt", b"note\0\0" + zlib.compress(bytes(900_000), 9))
        bomb = data[:33] + inflating * 8 + data[33:]  # 7 MB of text from 7 KB
        self.assertLess(len(bomb), 20_000)
        clean_attachment("fine.png", data)
        with NoDecoding(), self.assertRaisesMessage(AttachmentError, "Only photos"):
            clean_attachment("text.png", bomb)

    def test_the_clients_hourly_pixels_are_paid_before_decoding(self):
        meter, photo = FakeMeter(limit=5_000_000), phone_photo(4000, 3000)
        clean_attachments([("a.jpg", photo)], meter=meter)
        self.assertEqual(meter.taken, 3_000_000)
        with NoDecoding(), self.assertRaisesMessage(AttachmentError, "Too many files"):
            clean_attachments([("b.jpg", photo)], meter=meter)
        self.assertEqual(meter.taken, 3_000_000)

    def test_the_bytes_of_one_appeal_are_reserved_before_decoding(self):
        photo = phone_photo(4000, 3000)
        with (
            NoDecoding(),
            self.assertRaisesMessage(AttachmentError, "would be larger than 15 MB"),
        ):
            clean_attachment("photo.jpg", photo, Budget(rebuilt_bytes=10**6))

    def test_the_most_bytes_of_a_picture_cover_noise(self):
        noise = Image.effect_noise((1000, 1000), 128).convert("RGB")
        for drawing in (False, True):
            source = io.BytesIO()
            (noise.quantize(256) if drawing else noise).save(source, format="PNG")
            attachment = clean_attachment("noise.png", source.getvalue())
            self.assertLessEqual(
                len(attachment.data), pictures.most_bytes((1000, 1000), drawing=drawing)
            )


class PdfBudgetTests(SimpleTestCase):
    def setUp(self):
        translation.activate("en")
        self.addCleanup(translation.deactivate)

    def test_pages_are_rendered_smaller_to_fit_the_pixels_the_appeal_has_left(self):
        source = pdf_of(*[page_with_black_square() for _ in range(5)])  # A4: 2.2 MP at 150 dpi
        budget = Budget(pixels=5_000_000)
        result = clean_attachment("scan.pdf", source, budget)
        rendered = sum(width * height for width, height in pdf_pages(result.data))
        self.assertLessEqual(rendered, 5_000_000)
        self.assertGreater(rendered, 4_500_000)
        self.assertEqual(budget.decoded, rendered)  # what was not rendered is given back
        self.assertEqual(budget.pixels, 5_000_000 - rendered)

    def test_a_pdf_that_does_not_fit_even_at_the_lowest_resolution_is_refused(self):
        source = pdf_of(*[page_with_black_square() for _ in range(5)])
        budget = Budget(pixels=2_000_000)  # 5 A4 pages at 75 dpi are 2.7 MP
        with self.assertRaisesMessage(AttachmentError, "Together with the other files"):
            clean_attachment("scan.pdf", source, budget)
        self.assertEqual((budget.decoded, budget.pixels), (0, 2_000_000))

    def test_a_pdf_gets_only_what_the_pictures_before_it_left(self):
        files = [
            ("a.png", flat_png(4000, 4000)),
            ("b.png", flat_png(4000, 4000)),
            ("c.pdf", pdf_of(*[page_with_black_square() for _ in range(5)])),
        ]
        with mock.patch.object(attachments, "APPEAL_PIXELS", 40_000_000):
            pdf = clean_attachments(files)[2]
        rendered = sum(width * height for width, height in pdf_pages(pdf.data))
        self.assertLessEqual(rendered, 8_000_000)  # 40 MP less the two 16 MP pictures…
        self.assertGreater(rendered, 7_000_000)  # …instead of 10.9 MP at 150 dpi

    def test_the_clients_budget_bounds_the_pages_and_pays_only_what_was_rendered(self):
        meter = FakeMeter(limit=100_000_000)
        pdf = clean_attachments([("a.pdf", pdf_of(page_with_black_square()))], meter=meter)[0]
        ((width, height),) = pdf_pages(pdf.data)
        self.assertEqual(meter.taken, width * height)
        meter = FakeMeter(limit=400_000)
        with self.assertRaisesMessage(AttachmentError, "Too many files"):
            clean_attachments([("b.pdf", pdf_of(page_with_black_square()))], meter=meter)
        self.assertEqual(meter.taken, 0)
