"""Attachments keep nothing but what can be seen, and no file costs more than its limits allow."""

import contextlib
import io
import re
import subprocess
import sys
import threading
import warnings
from unittest import mock

import pypdfium2 as pdfium
from django.core.files.uploadhandler import SkipFile
from django.test import RequestFactory, SimpleTestCase
from django.utils import translation
from PIL import Image, ImageFile, JpegImagePlugin
from pypdf import PdfReader, PdfWriter

from trustbox.box import attachments, pictures
from trustbox.box.attachments import AttachmentError, clean_attachment
from trustbox.box.filebudget import Budget
from trustbox.box.tests.helpers import (
    CAMERA_CANARY,
    HIDDEN_CANARIES,
    SCRIPT_CANARY,
    encrypted_pdf,
    gps_exif,
    jpeg_claiming_size,
    page_with_black_square,
    pdf_of,
    pdf_with_gps_photo,
    pdf_with_hidden_things,
    photo_with_gps,
    png_bomb,
)
from trustbox.box.uploads import MemoryOnlyUploadHandler, file_starting

GPS_IFD = 0x8825
# Everything a PDF can carry besides its pages' drawing: none of it may be in a rebuilt one.
HIDDEN_KEYS = [
    b"/JavaScript",
    b"/JS",
    b"/OpenAction",
    b"/AA",
    b"/Annots",
    b"/AcroForm",
    b"/EmbeddedFiles",
    b"/EmbeddedFile",
    b"/Names",
    b"/URI",
    b"/Launch",
    b"/Metadata",
    b"/Info",
    b"/Author",
    b"/Creator",
    b"/Producer",
    b"/CreationDate",
    b"/ModDate",
    b"/ID",
    b"/Encrypt",
    b"/Outlines",
]


def outside_streams(pdf: bytes) -> bytes:
    """The PDF's dictionaries and structure, without the bytes of its streams (the pictures)."""
    return re.sub(rb"stream\n.*?\nendstream", b"stream endstream", pdf, flags=re.DOTALL)


def exif_of_jpegs_in(pdf: bytes) -> list[dict]:
    """The EXIF of every JPEG stream in the PDF, read from the stream's bytes as stored."""
    found = []
    for page in PdfReader(io.BytesIO(pdf)).pages:
        for reference in page["/Resources"]["/XObject"].values():
            stream = reference.get_object()
            assert stream["/Filter"] == "/DCTDecode"
            with Image.open(io.BytesIO(stream._data)) as picture:
                exif = picture.getexif()
                found.append({**dict(exif), **{GPS_IFD: dict(exif.get_ifd(GPS_IFD))}})
    return found


def rendered(pdf: bytes, page: int = 0) -> Image.Image:
    """Draw a page back at one pixel a point, as a viewer would show it."""
    document = pdfium.PdfDocument(pdf)
    try:
        return document[page].render(scale=1).to_pil().convert("RGB")
    finally:
        document.close()


def cleaned(data: bytes, name: str = "file.pdf") -> bytes:
    return clean_attachment(name, data).data


class NoDecoding:
    """Fail the test if any picture is decoded while this is active.

    Pillow's own warning about large pictures is silenced: the box refuses them itself.
    """

    def __enter__(self):
        def refuse(*args, **kwargs):
            raise AssertionError("a picture was decoded")

        self.stack = contextlib.ExitStack()
        self.stack.enter_context(mock.patch.object(ImageFile.ImageFile, "load", refuse))
        self.stack.enter_context(mock.patch.object(Image.Image, "load", refuse))
        self.stack.enter_context(warnings.catch_warnings())
        warnings.simplefilter("ignore", Image.DecompressionBombWarning)
        return self

    def __exit__(self, *exc):
        self.stack.close()


class PdfRebuildTests(SimpleTestCase):
    def setUp(self):
        translation.activate("en")
        self.addCleanup(translation.deactivate)

    def test_a_photo_inside_a_pdf_loses_its_camera_and_gps_position(self):
        source = pdf_with_gps_photo()
        # The test file really carries them, as a phone's photo saved as PDF does.
        self.assertIn(CAMERA_CANARY.encode(), source)
        (before,) = exif_of_jpegs_in(source)
        self.assertEqual(before[0x010F], CAMERA_CANARY)
        self.assertEqual(before[GPS_IFD][1], "N")

        result = cleaned(source)
        self.assertNotIn(CAMERA_CANARY.encode(), result)
        self.assertNotIn(b"Exif", result)
        (after,) = exif_of_jpegs_in(result)
        self.assertEqual(after, {GPS_IFD: {}})

    def test_scripts_actions_links_forms_files_and_metadata_do_not_survive(self):
        source = pdf_with_hidden_things()
        for secret in [SCRIPT_CANARY, *HIDDEN_CANARIES.values()]:
            self.assertIn(secret.encode(), source)
        for key in (b"/JavaScript", b"/OpenAction", b"/AA", b"/AcroForm", b"/EmbeddedFiles"):
            self.assertIn(key, source)

        result = cleaned(source)
        for secret in [SCRIPT_CANARY, *HIDDEN_CANARIES.values()]:
            self.assertNotIn(secret.encode(), result)
        structure = outside_streams(result)
        for key in HIDDEN_KEYS:
            self.assertNotIn(key, structure)
        reader = PdfReader(io.BytesIO(result))
        self.assertEqual(set(reader.trailer), {"/Size", "/Root"})
        self.assertEqual(set(reader.root_object.keys()), {"/Type", "/Pages"})
        self.assertIsNone(reader.metadata)
        self.assertIsNone(reader.xmp_metadata)
        self.assertEqual(reader.attachments, {})
        (page,) = reader.pages
        self.assertEqual(set(page), {"/Type", "/Parent", "/MediaBox", "/Resources", "/Contents"})
        self.assertEqual(set(page["/Resources"].keys()), {"/XObject"})
        self.assertEqual(len(page.images), 1)

    def test_the_rebuilt_pdf_still_shows_the_page(self):
        result = cleaned(pdf_of(page_with_black_square()))
        document = pdfium.PdfDocument(result)
        width, height = document[0].get_size()
        document.close()
        self.assertAlmostEqual(width, 595, delta=1)
        self.assertAlmostEqual(height, 842, delta=1)
        page = rendered(result)
        self.assertLess(max(page.getpixel((200, 200))), 40)  # inside the black square
        self.assertGreater(min(page.getpixel((450, 700))), 215)  # white paper

    def test_a_turned_page_is_rebuilt_as_it_is_seen(self):
        writer = PdfWriter(clone_from=PdfReader(io.BytesIO(pdf_of(page_with_black_square()))))
        writer.pages[0].rotate(90)
        source = io.BytesIO()
        writer.write(source)
        result = cleaned(source.getvalue())
        self.assertEqual(rendered(result).size, rendered(source.getvalue()).size)
        self.assertGreater(rendered(result).width, rendered(result).height)

    def test_the_same_pdf_gives_the_same_bytes_so_no_time_is_written(self):
        source = pdf_of(page_with_black_square(), page_with_black_square((300, 300)))
        self.assertEqual(cleaned(source), cleaned(source))

    def test_every_page_is_kept_in_order(self):
        pages = [Image.new("RGB", (200, 200), colour) for colour in ("red", "lime", "blue")]
        result = cleaned(pdf_of(*pages))
        self.assertEqual(len(PdfReader(io.BytesIO(result)).pages), 3)
        colours = [rendered(result, i).getpixel((100, 100)) for i in range(3)]
        self.assertEqual([max(range(3), key=c.__getitem__) for c in colours], [0, 1, 2])

    def test_a_pdf_locked_by_a_password_is_refused_with_a_clear_message(self):
        with self.assertRaisesMessage(AttachmentError, "protected by a password"):
            clean_attachment("locked.pdf", encrypted_pdf())

    def test_a_pdf_with_only_an_owner_password_is_rebuilt_without_encryption(self):
        source = encrypted_pdf(user_password="")
        self.assertIn(b"/Encrypt", source)
        result = cleaned(source)
        self.assertNotIn(b"/Encrypt", outside_streams(result))
        self.assertLess(max(rendered(result).getpixel((200, 200))), 40)

    def test_a_pdf_of_more_than_20_pages_is_refused_saying_the_limit(self):
        pages = [Image.new("RGB", (50, 50), "white") for _ in range(21)]
        with self.assertRaisesMessage(
            AttachmentError, "at most 20 pages can be attached (it has 21)"
        ):
            clean_attachment("long.pdf", pdf_of(*pages))

    def test_a_huge_page_is_rendered_at_a_bounded_size(self):
        source = io.BytesIO()
        # 200 by 200 inches, the largest page PDF allows: 900 megapixels at 150 dpi.
        Image.new("RGB", (200, 200), "white").save(source, format="PDF", resolution=1)
        result = cleaned(source.getvalue())
        (image,) = PdfReader(io.BytesIO(result)).pages[0].images
        self.assertLessEqual(image.image.width * image.image.height, attachments.MAX_PAGE_PIXELS)
        document = pdfium.PdfDocument(result)
        self.assertAlmostEqual(document[0].get_size()[0], 14400, delta=14400 * 0.01)
        document.close()

    def test_a_page_needing_more_memory_than_the_renderer_has_is_refused(self):
        source = io.BytesIO()
        Image.new("RGB", (200, 200), "white").save(source, format="PDF", resolution=1)
        # Allowed 900 megapixels, the page needs 2.7 GB; the rendering process has 1 GB.
        with (
            mock.patch.object(attachments, "MAX_PAGE_PIXELS", 1_000_000_000),
            mock.patch.object(attachments, "MAX_PDF_PIXELS", 1_000_000_000),
            self.assertRaisesMessage(AttachmentError, "too much memory or time"),
        ):
            clean_attachment("huge.pdf", source.getvalue(), Budget(pixels=1_000_000_000))

    def test_a_pdf_taking_too_long_is_refused(self):
        with (
            mock.patch.object(attachments, "RENDER_WALL_SECONDS", 0.001),
            self.assertRaisesMessage(AttachmentError, "too much memory or time"),
        ):
            clean_attachment("slow.pdf", pdf_of(page_with_black_square()))

    def test_a_pdf_growing_past_twice_the_upload_limit_is_refused_saying_the_limit(self):
        noise = Image.effect_noise((600, 600), 100).convert("RGB")
        with mock.patch.object(attachments, "MAX_REBUILT_BYTES", 1024 * 1024):
            self.assertTrue(cleaned(pdf_of(noise)).startswith(b"%PDF"))  # about 600 KB
            with self.assertRaisesMessage(AttachmentError, "larger than 1 MB as pictures"):
                clean_attachment("noise.pdf", pdf_of(noise, noise))
        self.assertEqual(attachments.MAX_REBUILT_BYTES, 10 * 1024 * 1024)

    def test_a_broken_pdf_is_refused_as_unreadable(self):
        with self.assertRaisesMessage(AttachmentError, "This PDF could not be read."):
            clean_attachment("broken.pdf", b"%PDF-1.7\n" + b"\x00garbage" * 100)

    def test_the_renderer_gets_no_environment_and_the_pdf_only_through_a_pipe(self):
        source = pdf_of(page_with_black_square())
        with mock.patch("subprocess.run", wraps=subprocess.run) as run:
            cleaned(source)
        (command,), options = run.call_args
        self.assertEqual(command[:2], [sys.executable, "-I"])
        self.assertEqual(options["env"], {})
        self.assertEqual(options["input"], source)
        self.assertFalse(any(source[:200] in arg.encode() for arg in command))

    def test_pdfium_never_runs_in_the_web_process(self):
        with mock.patch.object(pdfium, "PdfDocument", side_effect=AssertionError("in process")):
            self.assertTrue(cleaned(pdf_of(page_with_black_square())).startswith(b"%PDF-1.4"))


class ImageRebuildTests(SimpleTestCase):
    def setUp(self):
        translation.activate("en")
        self.addCleanup(translation.deactivate)

    def test_a_decompression_bomb_is_refused_before_any_decoding(self):
        bomb = png_bomb(7000, 7000)
        self.assertLess(len(bomb), 200 * 1024)
        with NoDecoding(), self.assertRaises(AssertionError):
            clean_attachment("small.png", png_bomb(100, 100))  # decoding is noticed…
        with NoDecoding(), self.assertRaisesMessage(AttachmentError, "at most 40 megapixels"):
            clean_attachment("bomb.png", bomb)  # …and none happens for the bomb

    def test_a_jpeg_claiming_a_gigantic_size_is_refused_at_its_header(self):
        giant = jpeg_claiming_size(20_000, 20_000)
        with NoDecoding(), self.assertRaisesMessage(AttachmentError, "at most 40 megapixels"):
            clean_attachment("giant.jpg", giant)

    def test_a_large_photo_is_decoded_at_a_reduced_scale(self):
        photo = io.BytesIO()
        Image.new("L", (6000, 4000), 128).save(photo, format="JPEG")
        decoded_sizes = []
        original_load = JpegImagePlugin.JpegImageFile.load

        def load(image):
            decoded_sizes.append(image.size)
            return original_load(image)

        with mock.patch.object(JpegImagePlugin.JpegImageFile, "load", load):
            attachment = clean_attachment("big.jpg", photo.getvalue())
        self.assertEqual(decoded_sizes[0], (3000, 2000))
        with Image.open(io.BytesIO(attachment.data)) as result:
            self.assertEqual(result.size, (2000, 1333))

    def test_a_photo_stands_upright_and_keeps_no_exif(self):
        photo = io.BytesIO()
        exif = Image.Exif()
        exif.load(gps_exif())
        exif[0x0112] = 6  # taken with the phone turned: shown rotated by 90°
        Image.new("RGB", (64, 48), "orange").save(photo, format="JPEG", exif=exif.tobytes())
        attachment = clean_attachment("turned.jpg", photo.getvalue())
        self.assertNotIn(CAMERA_CANARY.encode(), attachment.data)
        with Image.open(io.BytesIO(attachment.data)) as result:
            self.assertEqual(result.size, (48, 64))
            self.assertEqual(dict(result.getexif()), {})

    def test_a_phone_photo_with_extra_pictures_is_taken_as_a_photo(self):
        photo = io.BytesIO()
        first, second = Image.new("RGB", (64, 48), "red"), Image.new("RGB", (64, 48), "blue")
        first.save(photo, format="MPO", save_all=True, append_images=[second], exif=gps_exif())
        attachment = clean_attachment("IMG_0002.jpg", photo.getvalue())
        self.assertEqual(attachment.content_type, "image/jpeg")
        self.assertNotIn(CAMERA_CANARY.encode(), attachment.data)
        with Image.open(io.BytesIO(attachment.data)) as result:
            self.assertEqual(result.format, "JPEG")
            self.assertEqual(getattr(result, "n_frames", 1), 1)
            red, _green, blue = result.getpixel((32, 24))
            self.assertGreater(red, blue)

    def test_a_transparent_png_is_laid_on_white_paper_without_its_text(self):
        from PIL import PngImagePlugin

        picture = io.BytesIO()
        text = PngImagePlugin.PngInfo()
        text.add_text("Author", HIDDEN_CANARIES["author"])
        Image.new("RGBA", (40, 30), (255, 0, 0, 128)).save(picture, format="PNG", pnginfo=text)
        attachment = clean_attachment("drawing.png", picture.getvalue())
        self.assertEqual((attachment.name, attachment.content_type), ("drawing.jpg", "image/jpeg"))
        self.assertNotIn(HIDDEN_CANARIES["author"].encode(), attachment.data)
        with Image.open(io.BytesIO(attachment.data)) as result:
            red, green, blue = result.getpixel((20, 15))  # half red on white: pink
            self.assertGreater(red, 245)
            self.assertAlmostEqual(green, 127, delta=6)
            self.assertAlmostEqual(blue, 127, delta=6)

    def test_a_drawing_in_a_palette_stays_a_png_without_its_text(self):
        from PIL import PngImagePlugin

        picture = io.BytesIO()
        text = PngImagePlugin.PngInfo()
        text.add_text("Author", HIDDEN_CANARIES["author"])
        drawing = Image.new("RGB", (40, 30), "navy")
        drawing.paste((255, 255, 0), (0, 0, 20, 30))
        drawing.quantize(4).save(picture, format="PNG", pnginfo=text)
        attachment = clean_attachment("drawing.png", picture.getvalue())
        self.assertEqual((attachment.name, attachment.content_type), ("drawing.png", "image/png"))
        self.assertNotIn(HIDDEN_CANARIES["author"].encode(), attachment.data)
        with Image.open(io.BytesIO(attachment.data)) as result:
            self.assertEqual(result.mode, "P")
            self.assertEqual(result.convert("RGB").getpixel((5, 5)), (255, 255, 0))
            self.assertEqual(result.convert("RGB").getpixel((35, 5)), (0, 0, 128))

    def test_other_formats_are_refused(self):
        gif = io.BytesIO()
        Image.new("RGB", (10, 10)).save(gif, format="GIF")
        with self.assertRaisesMessage(AttachmentError, "Only photos (JPEG, PNG, WebP) and PDF"):
            clean_attachment("anim.gif", gif.getvalue())

    def test_when_two_files_are_being_read_a_third_waits_then_is_told_to_retry(self):
        holding, release = threading.Event(), threading.Event()
        original = pictures.rebuild_picture

        def slow(name, data, budget):
            holding.set()
            release.wait(10)
            return original(name, data, budget)

        with mock.patch.object(pictures, "rebuild_picture", slow):
            workers = [
                threading.Thread(target=clean_attachment, args=("a.jpg", photo_with_gps()))
                for _ in range(attachments.DECODING_AT_ONCE)
            ]
            for worker in workers:
                holding.clear()
                worker.start()
                holding.wait(10)
            try:
                with (
                    mock.patch.object(attachments, "BUSY_WAIT_SECONDS", 0.01),
                    self.assertRaisesMessage(AttachmentError, "try again in a minute"),
                ):
                    clean_attachment("c.jpg", photo_with_gps())
            finally:
                release.set()
                for worker in workers:
                    worker.join(10)
        self.assertEqual(clean_attachment("d.jpg", photo_with_gps()).content_type, "image/jpeg")


class UploadGateTests(SimpleTestCase):
    def new_file(self, gate):
        request = RequestFactory().post("/")
        handler = MemoryOnlyUploadHandler(request)
        file_starting.connect(gate, dispatch_uid="test.gate")
        self.addCleanup(file_starting.disconnect, dispatch_uid="test.gate")
        handler.new_file("attachments", "a.jpg", "image/jpeg", 10)
        return request

    def test_a_file_refused_as_it_starts_is_skipped_before_a_byte_is_kept(self):
        with self.assertRaises(SkipFile):
            self.new_file(lambda sender, request, **kwargs: False)

    def test_a_file_allowed_as_it_starts_is_kept(self):
        request = self.new_file(lambda sender, request, **kwargs: True)
        self.assertEqual(request.skipped_uploads, [])
