import csv
import io
import subprocess

from django.conf import settings
from django.urls import reverse
from django.utils import timezone, translation
from docx import Document
from openpyxl import load_workbook

from trustbox.audit.models import AuditEntry
from trustbox.box.envelope import Attachment, Category, Envelope, Kind, Writer
from trustbox.box.services import appeal_submit
from trustbox.registry.consideration import appeal_note_add, appeal_reply, entry_add
from trustbox.registry.models import Appeal, Status
from trustbox.registry.services import appeal_assign
from trustbox.registry.tests.helpers import ANONYMOUS_TEXT, SIGNED_TEXT, RegistryTestCase
from trustbox.seal.services import member_key_set
from trustbox.test import PASSWORD

SECRETS = (ANONYMOUS_TEXT, SIGNED_TEXT, "SECRET", "Nazira", "+996 555")
PHOTO = b"\x89PNG\r\n\x1a\n-not-really-a-photo-\x00\xff"


def pdf_text(pdf: bytes) -> str:
    """The words of a PDF, whitespace folded, as pdftotext reads them."""
    result = subprocess.run(["pdftotext", "-", "-"], input=pdf, capture_output=True, check=True)
    return " ".join(result.stdout.decode().split())


def docx_text(content: bytes) -> str:
    document = Document(io.BytesIO(content))
    lines = [p.text for p in document.paragraphs]
    for table in document.tables:
        for row in table.rows:
            lines.append(" | ".join(cell.text for cell in row.cells))
    return " ".join("\n".join(lines).split())


class DocumentsTestCase(RegistryTestCase):
    """The signed appeal registered; pages in English; helpers to unlock and fetch."""

    def setUp(self):
        super().setUp()
        self.appeal = self.register(self.signed)
        self.client.cookies.load({settings.LANGUAGE_COOKIE_NAME: "en"})

    def unlock(self, user):
        self.login(user)
        response = self.client.post(
            reverse("registry:unlock", args=["alatoo"]), {"password": PASSWORD}
        )
        self.assertRedirects(
            response, reverse("registry:list", args=["alatoo"]), fetch_redirect_response=False
        )

    def url(self, name, *args, appeal=None):
        return reverse(f"registry:{name}", args=["alatoo", (appeal or self.appeal).pk, *args])

    def reply(self, text="We checked the canteen: the soup is hot now.", channel="paper"):
        return appeal_reply(appeal=self.appeal, by=self.responsible, text=text, channel=channel)


class ExportTestCase(DocumentsTestCase):
    def setUp(self):
        super().setUp()
        self.register(self.anonymous)
        self.login(self.responsible)

    def export(self, fmt, **period):
        return self.client.get(reverse("registry:export", args=["alatoo", fmt]), period)

    def csv_rows(self, **period):
        raw = self.export("csv", **period).getvalue()
        return list(csv.reader(io.StringIO(raw.decode("utf-8-sig")), delimiter=";"))

    def test_the_xlsx_export_lists_numbers_and_statuses_but_no_content(self):
        response = self.export("xlsx")
        self.assertIn("registry-", response["Content-Disposition"])
        sheet = load_workbook(io.BytesIO(response.content)).active
        rows = list(sheet.iter_rows(values_only=True))
        self.assertEqual(rows[0][:2], ("Registration number", "Received on"))
        self.assertEqual(
            [row[0] for row in rows[1:]], [self.appeal.number, f"{self.appeal.year}/002"]
        )
        self.assertEqual({row[7] for row in rows[1:]}, {"registered"})
        self.assertEqual(rows[1][5], "Canteen and food")
        flat = " ".join(str(cell) for row in rows for cell in row)
        for secret in SECRETS:
            self.assertNotIn(secret, flat)
        self.assertEqual(
            AuditEntry.objects.get(action="registry.export").details, {"fmt": "xlsx", "count": 2}
        )

    def test_the_csv_export_starts_with_a_bom_and_carries_no_content(self):
        response = self.export("csv")
        raw = response.getvalue()
        self.assertTrue(raw.startswith("\ufeff".encode()))
        rows = list(csv.reader(io.StringIO(raw.decode("utf-8-sig")), delimiter=";"))
        self.assertEqual(rows[0][-1], "Overdue")
        self.assertEqual(
            rows[1][:3],
            [self.appeal.number, str(self.appeal.received_on), str(self.appeal.registered_on)],
        )
        self.assertEqual(rows[1][7:], ["registered", "", str(self.appeal.due_on), "", "", "", "no"])
        for secret in SECRETS:
            self.assertNotIn(secret, raw.decode())

    def test_the_export_speaks_the_language_of_the_page(self):
        self.client.cookies.load({settings.LANGUAGE_COOKIE_NAME: "ru"})
        rows = self.csv_rows()
        with translation.override("ru"):
            expected = [str(Kind.COMPLAINT.label), str(Category.CANTEEN.label)]
            status = str(Status.REGISTERED.label)
        self.assertEqual(expected, ["Жалоба", "Столовая и питание"])
        self.assertEqual(rows[1][4:6], expected)
        self.assertEqual(rows[1][7], status)

    def test_the_export_takes_the_period_of_registration(self):
        today = timezone.localdate().isoformat()
        self.assertEqual(len(self.csv_rows(start=today, end=today)), 3)
        self.assertEqual(len(self.csv_rows(start="2099-01-01")), 1)
        self.assertEqual(len(self.csv_rows(end="2000-01-01")), 1)
        response = self.export("csv", start="2026-10-02", end="2026-10-01")
        self.assertRedirects(response, reverse("registry:list", args=["alatoo"]))

    def test_an_assignees_name_that_looks_like_a_formula_stays_text(self):
        self.members[2].full_name = "=HYPERLINK(1)"
        self.members[2].save()
        appeal_assign(
            appeal=self.appeal,
            to=self.members[2],
            by=self.responsible,
            case_private=self.case_private(self.appeal),
        )
        sheet = load_workbook(io.BytesIO(self.export("xlsx").content)).active
        self.assertEqual(sheet["I2"].value, "'=HYPERLINK(1)")
        self.assertEqual(sheet["I2"].data_type, "s")

    def test_only_the_responsible_person_exports_and_only_known_formats(self):
        self.assertEqual(self.export("pdf").status_code, 404)
        self.login(self.members[1])
        self.assertEqual(self.export("xlsx").status_code, 403)
        self.assertFalse(AuditEntry.objects.filter(action="registry.export").exists())


class CardTestCase(DocumentsTestCase):
    def test_the_card_pdf_names_the_writer_but_not_the_text(self):
        self.unlock(self.responsible)
        response = self.client.get(self.url("card", "en", "pdf"))
        self.assertEqual(response["Content-Type"], "application/pdf")
        self.assertIn("no-store", response["Cache-Control"])
        text = pdf_text(response.content)
        self.assertIn(f"Registration card of appeal № {self.appeal.number}", text)
        self.assertIn("Nazira Abdykadyrova, parent", text)
        self.assertIn("+996 555", text)
        self.assertIn("Canteen and food", text)
        self.assertIn("School alatoo", text)
        self.assertNotIn(SIGNED_TEXT, text)
        self.assertNotIn("SECRET", text)

    def test_the_card_docx_names_the_writer_but_not_the_text(self):
        self.unlock(self.responsible)
        response = self.client.get(self.url("card", "en", "docx"))
        self.assertIn(".docx", response["Content-Disposition"])
        text = docx_text(response.content)
        self.assertIn(self.appeal.number, text)
        self.assertIn("From whom | Nazira Abdykadyrova, parent", text)
        self.assertNotIn("SECRET", text)

    def test_an_anonymous_card_says_so_and_dates_are_written_out(self):
        appeal = self.register(self.anonymous)
        self.unlock(self.responsible)
        text = pdf_text(self.client.get(self.url("card", "en", "pdf", appeal=appeal)).content)
        self.assertIn("From whom anonymous", text)
        self.assertIn(f"{appeal.due_on.day} ", text)
        self.assertIn(str(appeal.due_on.year), text)
        self.assertNotIn("SECRET", text)

    def test_a_kyrgyz_card_writes_its_dates_the_kyrgyz_way(self):
        self.unlock(self.responsible)
        text = docx_text(self.client.get(self.url("card", "ky", "docx")).content)
        self.assertIn(f"{self.appeal.due_on.year}-жылдын {self.appeal.due_on.day}-", text)
        self.assertIn("Ашкана жана тамак-аш", text)

    def test_the_card_is_printed_in_the_language_chosen_not_in_the_officials_own(self):
        self.unlock(self.responsible)  # her pages are in English
        response = self.client.get(self.url("card", "ru", "pdf"))
        self.assertIn("-ru.pdf", response["Content-Disposition"])
        text = pdf_text(response.content)
        self.assertIn(f"Регистрационная карточка обращения № {self.appeal.number}", text)
        self.assertIn("Столовая и питание", text)
        self.assertNotIn("Registration card", text)
        page = self.client.get(self.url("detail")).content.decode()
        for language in ("ky", "ru"):
            self.assertIn(self.url("card", language, "pdf"), page)
        self.assertIn(">PDF in Kyrgyz</a>", page)
        self.assertEqual(self.client.get(self.url("card", "de", "pdf")).status_code, 404)

    def test_an_appeal_not_yet_registered_has_no_card_and_unknown_formats_none(self):
        self.unlock(self.responsible)
        self.assertEqual(
            self.client.get(self.url("card", "en", "pdf", appeal=self.anonymous)).status_code, 404
        )
        self.assertEqual(self.client.get(self.url("card", "en", "odt")).status_code, 404)


class CaseFileAndLetterTestCase(DocumentsTestCase):
    def test_the_case_file_holds_the_text_the_writer_and_every_entry(self):
        appeal_note_add(appeal=self.appeal, by=self.responsible, text="Talk to the cook.")
        self.reply()
        self.unlock(self.responsible)
        response = self.client.get(self.url("case_file", "en"))
        self.assertIn("no-store", response["Cache-Control"])
        text = pdf_text(response.content)
        self.assertIn(f"File of appeal № {self.appeal.number}", text)
        self.assertIn(SIGNED_TEXT, text)
        self.assertIn("Nazira Abdykadyrova", text)
        self.assertIn("internal note", text)
        self.assertIn("Talk to the cook.", text)
        self.assertIn("reply to the writer (on paper)", text)
        self.assertIn("We checked the canteen: the soup is hot now.", text)
        self.assertIn(self.responsible.full_name, text)

    def test_the_letter_is_addressed_to_the_writer_and_signed_by_the_author(self):
        entry = self.reply()
        self.unlock(self.responsible)
        text = pdf_text(self.client.get(self.url("letter", entry.pk, "en")).content)
        self.assertIn("To: Nazira Abdykadyrova, parent", text)
        self.assertIn("+996 555", text)
        self.assertIn(f"Re: appeal № {self.appeal.number} of", text)
        self.assertIn("We checked the canteen: the soup is hot now.", text)
        self.assertIn(self.responsible.full_name, text)
        self.assertNotIn(SIGNED_TEXT, text)

    def test_the_letter_is_printed_in_the_writers_language_whatever_the_officials(self):
        entry = self.reply()
        self.unlock(self.responsible)  # her pages are in English
        text = pdf_text(self.client.get(self.url("letter", entry.pk, "ky")).content)
        self.assertIn("Nazira Abdykadyrova", text)
        self.assertIn(f"№ {self.appeal.number} кайрылуу боюнча", text)
        self.assertNotIn("Re: appeal", text)
        page = self.client.get(self.url("detail")).content.decode()
        self.assertIn(self.url("letter", entry.pk, "ru"), page)

    def test_a_paper_reply_given_to_an_anonymous_writer_before_issue_21_prints_her_number_only(
        self,
    ):
        appeal = self.register(self.anonymous)
        # Since issue 21 appeal_reply refuses paper for an anonymous writer (test_answers.py).
        entry = entry_add(
            appeal=appeal,
            kind="reply",
            text="Thank you.",
            author=self.responsible,
            channel="paper",
        )
        self.unlock(self.responsible)
        text = pdf_text(self.client.get(self.url("letter", entry.pk, "en", appeal=appeal)).content)
        self.assertIn(f"To the writer of appeal № {appeal.number}", text)
        self.assertIn("Thank you.", text)

    def test_only_a_reply_of_this_appeal_makes_a_letter(self):
        note = appeal_note_add(appeal=self.appeal, by=self.responsible, text="internal")
        other = self.register(self.anonymous)
        reply = appeal_reply(appeal=other, by=self.responsible, text="Hi", channel="receipt")
        self.unlock(self.responsible)
        self.assertEqual(self.client.get(self.url("letter", note.pk, "en")).status_code, 404)
        self.assertEqual(self.client.get(self.url("letter", reply.pk, "en")).status_code, 404)
        self.assertFalse(AuditEntry.objects.filter(action="appeal.read").exists())


class AccessTestCase(DocumentsTestCase):
    def setUp(self):
        super().setUp()
        member_key_set(user=self.teacher, password=PASSWORD, school=self.school)
        self.entry = self.reply()

    def documents(self):
        return [
            self.url("card", "en", "pdf"),
            self.url("card", "en", "docx"),
            self.url("case_file", "en"),
            self.url("letter", self.entry.pk, "en"),
            self.url("attachment", 0),
        ]

    def test_a_locked_registry_sends_the_official_to_unlock_it_first(self):
        self.login(self.responsible)
        unlock = reverse("registry:unlock", args=["alatoo"])
        for url in self.documents():
            with self.subTest(url):
                response = self.client.get(url)
                self.assertRedirects(
                    response, f"{unlock}?next={url}", fetch_redirect_response=False
                )

    def test_a_teacher_the_appeal_is_not_assigned_to_gets_404(self):
        self.login(self.teacher)
        response = self.client.post(
            reverse("registry:unlock", args=["alatoo"]), {"password": PASSWORD}
        )
        self.assertEqual(response.status_code, 403, "nothing of the registry opens to her")
        for url in self.documents():
            with self.subTest(url):
                self.assertEqual(self.client.get(url).status_code, 404)
        self.assertFalse(AuditEntry.objects.filter(action="appeal.read").exists())

    def test_the_teacher_it_is_assigned_to_prints_its_card_with_their_own_key(self):
        appeal_assign(
            appeal=self.appeal,
            to=self.teacher,
            by=self.responsible,
            case_private=self.case_private(self.appeal),
        )
        self.unlock(self.teacher)
        text = pdf_text(self.client.get(self.url("card", "en", "pdf")).content)
        self.assertIn("Nazira Abdykadyrova", text)
        self.assertIn(f"Assigned to {self.teacher.full_name}", text)

    def test_staff_of_another_school_do_not_find_it(self):
        self.login(self.other_director)
        self.assertEqual(self.client.get(self.url("card", "en", "pdf")).status_code, 404)

    def test_every_document_writes_its_reading_into_the_audit_log(self):
        self.unlock(self.responsible)
        for url in self.documents()[:4]:
            self.assertEqual(self.client.get(url).status_code, 200)
        reads = AuditEntry.objects.filter(action="appeal.read", actor=self.responsible)
        self.assertEqual(
            [entry.details["purpose"] for entry in reads], ["card", "card", "case_file", "letter"]
        )
        self.assertEqual({entry.target for entry in reads}, {f"registry.appeal:{self.appeal.pk}"})


class AttachmentTestCase(DocumentsTestCase):
    """A third appeal, with a photo and a stray HTML file, taken out at a second opening."""

    def setUp(self):
        super().setUp()
        appeal_submit(
            school=self.school,
            envelope=Envelope(
                kind="complaint",
                category="safety",
                text="SECRET-the railing is broken",
                writer=Writer(name="Aibek"),
                attachments=[
                    Attachment("railing фото.png", "image/png", PHOTO),
                    Attachment("page.html", "text/html", b"<script>alert(1)</script>"),
                ],
            ),
        )
        opening = self.box_open()
        self.taken_out = Appeal.objects.get(opening=opening)
        self.appeal = self.register(self.taken_out)
        self.unlock(self.responsible)

    def test_an_attachment_downloads_byte_for_byte_and_is_never_cached(self):
        response = self.client.get(self.url("attachment", 0))
        self.assertEqual(response.content, PHOTO)
        self.assertEqual(response["Content-Type"], "image/png")
        self.assertTrue(response["Content-Disposition"].startswith("attachment;"))
        self.assertIn("railing", response["Content-Disposition"])
        self.assertEqual(response["X-Content-Type-Options"], "nosniff")
        self.assertIn("no-store", response["Cache-Control"])
        entry = AuditEntry.objects.get(action="appeal.read")
        self.assertEqual(entry.details, {"purpose": "attachment"})

    def test_a_file_of_another_type_is_only_downloaded(self):
        response = self.client.get(self.url("attachment", 1))
        self.assertEqual(response["Content-Type"], "application/octet-stream")

    def test_the_attachments_of_an_appeal_not_yet_registered_open_from_its_page(self):
        appeal_submit(
            school=self.school,
            envelope=Envelope(
                kind="message",
                category="other",
                text="SECRET-look at this",
                attachments=[Attachment("wall.png", "image/png", PHOTO)],
            ),
        )
        opening = self.box_open()
        waiting = Appeal.objects.get(opening=opening)
        self.assertEqual(waiting.status, Status.TAKEN_OUT)
        page = self.client.get(self.url("detail", appeal=waiting)).content.decode()
        link = self.url("attachment", 0, appeal=waiting)
        self.assertIn(f'href="{link}"', page)
        response = self.client.get(link)
        self.assertEqual(response.status_code, 200)
        self.assertEqual(response.content, PHOTO)
        # A registration card needs a number: none yet.
        self.assertEqual(
            self.client.get(self.url("card", "ky", "pdf", appeal=waiting)).status_code, 404
        )

    def test_an_attachment_past_the_last_is_not_found(self):
        self.assertEqual(self.client.get(self.url("attachment", 2)).status_code, 404)

    def test_the_case_file_lists_attachments_by_name_only(self):
        text = pdf_text(self.client.get(self.url("case_file", "en")).content)
        self.assertIn("Attachments", text)
        self.assertIn("railing фото.png", text)
        self.assertIn("page.html", text)
        self.assertNotIn("alert(1)", text)
