"""The child's way through the public pages (issue 11, points 1-8), as the server renders it."""

import datetime
import gzip
import io
import re
import zlib
from html.parser import HTMLParser
from pathlib import Path
from unittest import mock

from django.conf import settings
from django.core.cache import cache
from django.core.files.uploadedfile import SimpleUploadedFile
from django.template.loader import render_to_string
from django.test import RequestFactory, SimpleTestCase, override_settings
from django.urls import reverse
from django.utils import translation

from trustbox.box.envelope import Envelope
from trustbox.box.models import SealedAppeal
from trustbox.box.tests.helpers import appeal_data, receipt_code_on
from trustbox.lib.dates import long_date, long_date_in_text
from trustbox.public import receipt_picture
from trustbox.public.apps import receipt_fonts_check
from trustbox.public.receipt_picture import FontMissing, font_file, receipt_lines, wrap
from trustbox.registry.writer import WriterView
from trustbox.schools.models import School
from trustbox.seal import crypto
from trustbox.test import SealedBoxTestCase

ROOT = Path(settings.BASE_DIR)
HELPLINES = ("111", "102", "103", "112", "117")


class Page(HTMLParser):
    """The parts of a page these tests look at: ids, references to ids, links, form fields."""

    def __init__(self, html: str) -> None:
        super().__init__()
        self.ids: set[str] = set()
        self.described_by: list[str] = []
        self.links: list[str] = []
        self.fields: list[tuple[str, dict[str, str | None]]] = []
        self.feed(html)

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        found = dict(attrs)
        if found.get("id"):
            self.ids.add(found["id"] or "")
        self.described_by += (found.get("aria-describedby") or "").split()
        if tag == "a" and found.get("href"):
            self.links.append(found["href"] or "")
        if tag in ("input", "textarea", "select", "button"):
            self.fields.append((tag, found))


class ChildPagesTestCase(SealedBoxTestCase):
    url = reverse("box:appeal", args=["alatoo"])

    def setUp(self):
        super().setUp()
        cache.clear()
        self.client.cookies.load({settings.LANGUAGE_COOKIE_NAME: "en"})

    def post(self, data=None, url=None):
        return self.client.post(url or self.url, data or appeal_data())

    def opened(self) -> Envelope:
        appeal = SealedAppeal.objects.latest("seq")
        return Envelope.from_bytes(
            crypto.open_with_box_key(self.box_private_key(), bytes(appeal.ciphertext))
        )

    # --- point 5: the text first, four plain kinds ------------------------------------------

    def test_the_text_box_is_the_first_field_of_the_form(self):
        page = Page(self.client.get(self.url).content.decode())
        visible = [
            attrs.get("name")
            for tag, attrs in page.fields
            if attrs.get("type") != "hidden" and attrs.get("name") not in ("language", None)
        ]
        self.assertEqual(visible[0], "text")

    def test_the_form_offers_four_plain_kinds_with_a_message_chosen(self):
        response = self.client.get(self.url)
        for label in (
            "Something bad is happening",
            "I have an idea",
            "I want to say thank you",
            "Something else",
        ):
            self.assertContains(response, label)
        for official in ("Application or report", "Request", "Complaint", "Proposal"):
            self.assertNotContains(response, f"> {official}</label>")
        self.assertEqual(len(re.findall(r'name="kind"', response.content.decode())), 4)
        self.assertRegex(response.content.decode(), r'value="message"[^>]*checked')

    def test_each_plain_kind_is_stored_as_a_kind_of_the_regulation(self):
        for kind in ("complaint", "proposal", "gratitude", "message"):
            with self.subTest(kind=kind):
                self.assertContains(self.post(appeal_data(kind=kind)), "Your appeal is in the box")
                self.assertEqual(self.opened().kind, kind)

    def test_the_other_kinds_of_the_regulation_are_still_taken_when_sent(self):
        self.assertContains(self.post(appeal_data(kind="request")), "Your appeal is in the box")
        self.assertEqual(self.opened().kind, "request")

    def test_an_unknown_kind_is_refused_and_the_text_kept(self):
        response = self.post(appeal_data(kind="gossip", text="kept words"))
        self.assertContains(response, "kept words", status_code=400)
        self.assertFalse(SealedAppeal.objects.exists())

    # --- point 3: the name fields --------------------------------------------------------------

    def test_the_name_fields_are_in_the_form_and_say_they_are_not_sent_if_anonymous(self):
        response = self.client.get(self.url)
        self.assertContains(response, 'class="who"')
        self.assertContains(response, 'name="name"')
        self.assertContains(response, "If you stay anonymous, they are not sent.")
        css = (ROOT / "trustbox/public/static/public/public.css").read_text()
        self.assertIn(
            "@supports selector(:has(*)){.who:not(:has(input[value=signed]:checked)) .signed"
            "{display:none}}",
            css,
        )

    def test_an_anonymous_appeal_drops_whatever_was_typed_in_the_name_fields(self):
        self.post(appeal_data(signed="anonymous", name="Aigerim", contact="+996 700 000 000"))
        self.assertIsNone(self.opened().writer)
        self.assertNotIn(b"Aigerim", bytes(SealedAppeal.objects.get().ciphertext))

    # --- point 8: what the form says after a mistake ---------------------------------------

    def test_every_description_a_field_points_to_is_on_the_page(self):
        bad_file = SimpleUploadedFile("notes.txt", b"just text", content_type="text/plain")
        for response in (
            self.client.get(self.url),
            self.client.get(reverse("box:kiosk", args=["alatoo"])),
            self.post(appeal_data(text="", attachments=[bad_file], signed="signed")),
            self.client.get(reverse("box:status", args=["alatoo"])),
        ):
            page = Page(response.content.decode())
            with self.subTest(status=response.status_code):
                self.assertTrue(page.described_by)
                self.assertEqual([i for i in page.described_by if i not in page.ids], [])

    def test_the_text_is_said_to_be_kept_only_when_there_was_text(self):
        response = self.post(appeal_data(text="  "))
        self.assertContains(response, "Please correct what is marked below.", status_code=400)
        self.assertNotContains(response, "text is kept", status_code=400)

        response = self.post(appeal_data(text="my words", signed="signed"))
        self.assertContains(response, "Your text is kept.", status_code=400)

        bad_file = SimpleUploadedFile("notes.txt", b"just text", content_type="text/plain")
        response = self.post(appeal_data(text="", attachments=[bad_file]))
        self.assertContains(response, "Files cannot be kept by the browser", status_code=400)
        self.assertNotContains(response, "Your text is kept", status_code=400)

        bad_file = SimpleUploadedFile("notes.txt", b"just text", content_type="text/plain")
        response = self.post(appeal_data(text="my words", attachments=[bad_file]))
        self.assertContains(response, "Your text is kept below.", status_code=400)

    # --- point 4: help one tap away; point 8: skip link --------------------------------------

    def test_every_public_page_dials_the_helplines_and_has_a_skip_link(self):
        receipt = self.post(appeal_data(urgent="on"))
        pages = {
            "home": self.client.get(reverse("core:home")),
            "search": self.client.get(reverse("core:home"), {"q": "alatoo"}),
            "form": self.client.get(self.url),
            "kiosk": self.client.get(reverse("box:kiosk", args=["alatoo"])),
            "receipt": receipt,
            "status": self.client.get(reverse("box:status", args=["alatoo"])),
        }
        for name, response in pages.items():
            with self.subTest(page=name):
                html = response.content.decode()
                page = Page(html)
                for number in HELPLINES:
                    self.assertIn(f"tel:{number}", page.links)
                self.assertRegex(
                    html,
                    r'class="danger-now">[^<]*<a class="call" href="tel:111">111</a> '
                    r'<a class="call" href="tel:112">112</a>',
                )
                self.assertNotIn('href="#helplines-title"', html)
                self.assertIn('<a class="skip" href="#main">', html)
                self.assertIn('<main id="main"', html)
        css = (ROOT / "trustbox/public/static/public/public.css").read_text()
        self.assertRegex(css, r"\.call\{[^}]*min-width:(4[4-9]|[5-9]\d)px;min-height:44px")

    @override_settings(HELPLINES=[("150", "children"), ("102", "police"), ("911", "unified")])
    def test_the_helplines_come_from_the_settings(self):
        html = self.client.get(self.url).content.decode()
        self.assertIn('href="tel:150"', html)
        self.assertIn('href="tel:911"', html)
        self.assertNotIn('href="tel:117"', html)
        self.assertIn("children&#x27;s helpline", html)

    # --- points 2 and 6: the receipt ---------------------------------------------------------

    @override_settings(
        SITE_URL="https://box.example.kg",
        REGISTER_WITHIN_WORKING_DAYS=2,
        ANSWER_WITHIN_DAYS=10,
        ANSWER_DAYS_ARE="working",
        URGENT_ANSWER_WITHIN_DAYS=4,
    )
    def test_the_receipt_says_what_happens_next_and_where_to_come_back(self):
        response = self.post()
        self.assertContains(response, "What happens next")
        self.assertContains(response, "within 2 working days, the commission registers")
        self.assertContains(response, "answers within 10 working days after registering")
        self.assertContains(
            response, '<strong class="address" id="status-address">box.example.kg/b/alatoo/status/'
        )
        urgent = self.post(appeal_data(urgent="on"))
        self.assertContains(urgent, "You marked it urgent")
        self.assertContains(urgent, "within 4 working days after registering")

    @override_settings(ANSWER_WITHIN_DAYS=14, ANSWER_DAYS_ARE="calendar")
    def test_the_receipt_counts_calendar_days_when_the_school_does(self):
        response = self.post()
        self.assertContains(response, "answers within 14 days after registering")

    def test_the_receipt_asks_whether_the_code_is_kept_before_the_child_leaves(self):
        html = self.post().content.decode()
        main = html[html.index("<main") : html.index("</main>")]
        page = Page(main)
        # The only ways out of the page go through the small form, which needs the tick.
        self.assertEqual(
            [link for link in page.links if not link.startswith(("tel:", "data:image/png"))], []
        )
        self.assertRegex(
            main,
            r'<form class="leave" method="get" action="/b/alatoo/">\s*'
            r'<p class="kept"><label for="kept">[^<]*<input type="checkbox" id="kept" required>',
        )
        self.assertIn('formaction="/b/alatoo/status/"', main)
        self.assertIn("I have kept my code", main)
        # The language switch would lose the code: the receipt has none.
        self.assertNotIn('name="language"', html)

    def test_the_print_button_shows_only_when_javascript_can_print(self):
        response = self.post()
        self.assertContains(response, 'id="print-receipt" hidden>')
        self.assertContains(response, "public/receipt.js")
        css = (ROOT / "trustbox/public/static/public/public.css").read_text()
        self.assertIn("[hidden]{display:none!important}", css)
        js = (ROOT / "trustbox/public/static/public/receipt.js").read_text()
        self.assertIn("print.hidden = false", js)

    def test_the_code_stays_on_one_line(self):
        css = (ROOT / "trustbox/public/static/public/public.css").read_text()
        rule = re.search(r"\.receipt\{[^}]*\}", css)
        assert rule is not None
        self.assertIn("white-space:nowrap", rule.group())

    def test_a_missing_font_costs_the_picture_not_the_receipt(self):
        with (
            mock.patch(
                "trustbox.public.views.receipt_png", side_effect=FontMissing("no DejaVu here")
            ),
            self.assertLogs("trustbox.public.views", "ERROR") as logs,
        ):
            response = self.post()
        self.assertRegex(receipt_code_on(response), r"^\d{4}-\d{4}-\d{4}-\d{4}-\d{4}$")
        self.assertNotContains(response, "download=")
        self.assertEqual(logs.output, ["ERROR:trustbox.public.views:no DejaVu here"])

    def test_the_receipt_page_with_its_stylesheet_and_picture_weighs_under_30_kb(self):
        html = self.post().content
        css = b"".join(self.client.get("/static/public/public.css").streaming_content)
        self.assertLess(len(html) + len(css), 30 * 1024)

    # --- point 8: compression ---------------------------------------------------------------

    def test_pages_are_compressed_when_the_browser_asks(self):
        for name, response in (
            ("form", self.client.get(self.url, HTTP_ACCEPT_ENCODING="gzip")),
            ("receipt", self.client.post(self.url, appeal_data(), HTTP_ACCEPT_ENCODING="gzip")),
            ("home", self.client.get(reverse("core:home"), HTTP_ACCEPT_ENCODING="gzip")),
        ):
            with self.subTest(page=name):
                self.assertEqual(response["Content-Encoding"], "gzip")
                self.assertIn("Accept-Encoding", response["Vary"])
                body = gzip.decompress(response.content)
                self.assertIn(b"<html", body)
                self.assertLess(len(response.content), len(body))
        plain = self.client.get(self.url)
        self.assertFalse(plain.has_header("Content-Encoding"))


class KioskReceiptTestCase(SealedBoxTestCase):
    def test_the_kiosk_counts_down_only_with_a_touch_resetting_script(self):
        js = (ROOT / "trustbox/public/static/public/kiosk.js").read_text()
        self.assertNotIn('http-equiv="refresh"', js)
        for event in ("pointerdown", "touchstart", "keydown", "input", "scroll"):
            self.assertIn(f'"{event}"', js)
        self.assertIn("location.replace(blank)", js)
        self.assertIn("history.replaceState", js)


class ReceiptPictureTestCase(SimpleTestCase):
    def lines(self, language):
        with translation.override(language):
            return receipt_lines(
                school_name="Школа", code="1234-5678-9012-3456-7890", address="a.kg/b/x/status/"
            )

    def test_the_picture_speaks_the_writers_language_in_every_line(self):
        english = [line.text for line in self.lines("en")]
        self.assertIn("Keep it secret. It opens the answer to your appeal.", english)
        for language in ("ky", "ru"):
            with self.subTest(language=language):
                texts = [line.text for line in self.lines(language)]
                own = [t for t in texts if t not in ("Школа", "1234-5678-9012-3456-7890")]
                own.remove("a.kg/b/x/status/")
                self.assertEqual([t for t in own if t in english], [])
                for text in own:
                    self.assertRegex(text, r"[А-Яа-яӨөҮүҢң]")

    def test_the_picture_carries_the_school_the_code_and_the_status_address(self):
        lines = self.lines("ky")
        self.assertEqual(
            [(line.style, line.text) for line in lines if line.style in ("school", "code")],
            [("school", "Школа"), ("code", "1234-5678-9012-3456-7890")],
        )
        self.assertEqual(lines[-1].text, "a.kg/b/x/status/")

    def test_a_long_school_name_wraps_inside_the_picture_and_loses_no_word(self):
        name = (
            "Жалал-Абад облусу, Сузак району, С. Мырзакматов атындагы №12 орто "
            "мектеп-гимназиясы, жалпы билим берүүчү мекеме"
        )
        font = receipt_picture._font(receipt_picture.SANS, 24)
        width = receipt_picture.WIDTH - 2 * receipt_picture.MARGIN
        lines = wrap(name, font, width)
        self.assertGreater(len(lines), 1)
        self.assertEqual(" ".join(lines), name)
        for line in lines:
            self.assertLessEqual(font.getlength(line), width)

    def test_a_word_longer_than_the_line_is_broken_inside(self):
        font = receipt_picture._font(receipt_picture.SANS, 24)
        lines = wrap("x" * 200, font, 300)
        self.assertGreater(len(lines), 1)
        self.assertEqual("".join(lines), "x" * 200)
        for line in lines:
            self.assertLessEqual(font.getlength(line), 300)

    def test_a_taller_picture_for_a_longer_name(self):
        def height(name):
            png = receipt_picture.receipt_png(
                receipt_lines(school_name=name, code="1234-5678-9012-3456-7890", address="a.kg/")
            )
            from PIL import Image

            with Image.open(io.BytesIO(png)) as image:
                return image.height

        self.assertGreater(height("Мектеп " * 30), height("Мектеп"))

    def test_a_code_of_twenty_digits_takes_one_line_of_the_picture(self):
        name, size, _colour, _above = receipt_picture.STYLES["code"]
        font = receipt_picture._font(name, size)
        inner = receipt_picture.WIDTH - 2 * receipt_picture.MARGIN
        code = crypto.receipt_code_generate()
        self.assertEqual(wrap(code, font, inner), [code])

    def test_each_code_is_drawn_on_the_card_and_no_code_is_kept(self):
        from PIL import Image

        def picture(code):
            png = receipt_picture.receipt_png(
                receipt_lines(school_name="Школа", code=code, address="a.kg/")
            )
            with Image.open(io.BytesIO(png)) as image:
                return image.convert("RGB").tobytes()

        first, second = "1234-5678-9012-3456-7890", "9876-5432-1098-7654-3210"
        self.assertEqual(picture(first), picture(first))
        self.assertNotEqual(picture(first), picture(second))
        # The card kept in memory has the code's place blank: the same for every code.
        card = receipt_picture._card(
            tuple(
                receipt_picture._shape(line)
                for line in receipt_lines(school_name="Школа", code=first, address="a.kg/")
            )
        )
        self.assertEqual(len(card.code_places), 1)
        self.assertEqual(
            receipt_picture._shape(receipt_picture.Line(first, "code")).text,
            "0000-0000-0000-0000-0000",
        )
        margin, width = receipt_picture.MARGIN, receipt_picture.WIDTH
        blank = card.band.crop((margin, 0, width - margin, card.band.height)).getcolors()
        self.assertEqual(len(blank), 1)

    def test_the_picture_is_a_whole_png_file_whose_every_check_holds(self):
        png = receipt_picture.receipt_png(
            receipt_lines(school_name="Школа", code=crypto.receipt_code_generate(), address="a/")
        )
        self.assertEqual(png[:8], b"\x89PNG\r\n\x1a\n")
        chunks, at = {}, 8
        while at < len(png):
            length = int.from_bytes(png[at : at + 4], "big")
            kind, data = png[at + 4 : at + 8], png[at + 8 : at + 8 + length]
            crc = int.from_bytes(png[at + 8 + length : at + 12 + length], "big")
            self.assertEqual(zlib.crc32(kind + data), crc, kind)
            chunks[kind] = data
            at += 12 + length
        self.assertEqual(list(chunks), [b"IHDR", b"PLTE", b"IDAT", b"IEND"])
        width = int.from_bytes(chunks[b"IHDR"][:4], "big")
        height = int.from_bytes(chunks[b"IHDR"][4:8], "big")
        # zlib checks the stream's own checksum (Adler-32) over every row, the code's included.
        rows = zlib.decompress(chunks[b"IDAT"])
        self.assertEqual(len(rows), height * (1 + width // 2))
        from PIL import Image

        with Image.open(io.BytesIO(png)) as image:
            image.load()
            self.assertEqual((image.width, image.height), (width, height))

    def test_a_missing_font_is_named_with_the_package_to_install(self):
        font_file.cache_clear()
        self.addCleanup(font_file.cache_clear)
        with (
            mock.patch.object(receipt_picture, "FONT_DIRS", ()),
            mock.patch.object(receipt_picture, "FONT_ROOTS", ()),
        ):
            with self.assertRaisesMessage(FontMissing, "fonts-dejavu-core"):
                font_file("DejaVuSans.ttf")
            warnings = receipt_fonts_check()
        self.assertEqual({w.id for w in warnings}, {"public.W001"})
        self.assertEqual(len(warnings), 3)

    def test_the_fonts_are_found_where_debian_puts_them(self):
        self.assertEqual(receipt_fonts_check(), [])
        self.assertTrue(font_file("DejaVuSansMono-Bold.ttf").is_file())


class DatesInSentencesTestCase(SimpleTestCase):
    day = datetime.date(2026, 11, 26)

    def test_a_russian_date_inside_a_sentence_ends_with_the_word(self):
        self.assertEqual(long_date_in_text(self.day, "ru"), "26 ноября 2026 года")
        self.assertEqual(long_date_in_text(self.day, "ky"), long_date(self.day, "ky"))
        self.assertEqual(long_date_in_text(self.day, "en"), "26 November 2026")

    def test_the_russian_status_page_has_no_double_full_stop_in_any_state(self):
        request = RequestFactory().get("/b/alatoo/status/")
        school = School(name="Школа", slug="alatoo")
        common = {"received_on": self.day, "opened_on": self.day, "due_on": self.day}
        states = {
            "in_box": WriterView(status="in_box", received_on=self.day),
            "taken_out": WriterView(status="taken_out", **common),
            "registered": WriterView(status="registered", number="2026/001", **common),
            "considering": WriterView(status="considering", number="2026/001", **common),
            "closed": WriterView(status="closed", closed_on=self.day, **common),
        }
        for name, writer in states.items():
            with self.subTest(state=name), translation.override("ru"):
                html = render_to_string(
                    "public/status.html",
                    {"school": school, "writer": writer, "form_url": "", "write_url": ""},
                    request=request,
                )
                self.assertIn("26 ноября 2026 года", html)
                self.assertNotIn("г..", html)

    def test_the_kyrgyz_status_page_puts_each_date_in_the_case_of_its_sentence(self):
        request = RequestFactory().get("/b/alatoo/status/")
        school = School(name="Мектеп", slug="alatoo")
        due = datetime.date(2026, 12, 10)
        common = {"received_on": self.day, "opened_on": self.day, "due_on": due}
        expected = {
            "in_box": "2026-жылдын 26-ноябрында түштү",
            "taken_out": "2026-жылдын 26-ноябрында ачты",
            "registered": "2026-жылдын 10-декабрына чейин",
            "considering": "2026-жылдын 10-декабрына чейин",
            "closed": "2026-жылдын 26-ноябрында жапты",
        }
        for name, words in expected.items():
            writer = WriterView(status=name, number="2026/001", closed_on=self.day, **common)
            with self.subTest(state=name), translation.override("ky"):
                html = render_to_string(
                    "public/status.html",
                    {"school": school, "writer": writer, "form_url": "", "write_url": ""},
                    request=request,
                )
                self.assertIn(words, " ".join(html.split()))

    def test_taken_out_is_said_the_way_a_child_says_it(self):
        with translation.override("ru"):
            text = str(translation.gettext("Taken out of the box by the commission."))
        self.assertNotIn("Изъято", text)


class EverythingIsTranslatableTestCase(SimpleTestCase):
    def test_every_template_is_of_a_kind_the_translation_check_reads(self):
        script = (ROOT / "scripts/check-translations.sh").read_text()
        extensions = re.search(r" -e ([a-z,]+) ", script)
        assert extensions is not None
        read = {f".{ext}" for ext in extensions.group(1).split(",")}
        templates = [
            path
            for folder in (ROOT / "trustbox").glob("*/templates")
            for path in folder.rglob("*")
            if path.is_file()
        ]
        self.assertGreater(len(templates), 20)
        self.assertEqual([p for p in templates if p.suffix not in read], [])

    def test_the_public_scripts_carry_no_text_of_their_own(self):
        for script in (ROOT / "trustbox/public/static/public").glob("*.js"):
            code = re.sub(r"//.*", "", script.read_text())
            literals = re.findall(r'"([^"]*)"|\'([^\']*)\'', code)
            for literal in ("".join(pair) for pair in literals):
                with self.subTest(script=script.name, literal=literal):
                    self.assertNotRegex(literal, r"[^\W\d_]{2,}\s+[^\W\d_]{2,}")
