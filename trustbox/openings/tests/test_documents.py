import datetime
import io
import subprocess

from django.conf import settings
from django.test import Client
from django.urls import reverse
from django.utils import timezone
from docx import Document

from trustbox.audit.models import AuditEntry
from trustbox.box.envelope import Envelope, Writer
from trustbox.box.models import SealedAppeal
from trustbox.box.services import appeal_submit
from trustbox.commission.models import Commission
from trustbox.lib.dates import Case, long_date, long_date_in_text
from trustbox.openings import documents
from trustbox.openings.gathering import opening_code, opening_join, opening_start
from trustbox.openings.models import Opening
from trustbox.openings.records import act_data, journal_entries
from trustbox.openings.services import opening_open, paper_appeal_add, seal_code
from trustbox.registry.keys import registry_unlock
from trustbox.test import PASSWORD, SealedBoxTestCase

SECRET_TEXT = "SECRET-TEXT-mocked-at-breaks"


def pdf_text(pdf: bytes) -> str:
    result = subprocess.run(["pdftotext", "-", "-"], input=pdf, capture_output=True, check=True)
    return result.stdout.decode()


def pdf_layout(pdf: bytes) -> str:
    """The PDF's text laid out as on the page: one line of the page, one line of text."""
    result = subprocess.run(
        ["pdftotext", "-layout", "-", "-"], input=pdf, capture_output=True, check=True
    )
    return result.stdout.decode()


def docx_text(content: bytes) -> str:
    document = Document(io.BytesIO(content))
    lines = [p.text for p in document.paragraphs]
    for table in document.tables:
        for row in table.rows:
            lines.append(" | ".join(cell.text for cell in row.cells))
    return "\n".join(lines)


class ActOfRemovalTestCase(SealedBoxTestCase):
    def open_box(self, *, paper=True, box_note="The box is whole, the seal intact."):
        opening, key = opening_start(school=self.school, by=self.members[0])
        for member in self.members[:3]:
            opening_join(
                opening=opening,
                member=member,
                password=PASSWORD,
                session_code=opening_code(opening),
            )
        if paper:
            paper_appeal_add(
                opening=opening,
                by=self.members[0],
                envelope=Envelope(kind="message", category="other", text="paper note text"),
            )
        return opening_open(opening=opening, by=self.members[0], browser_key=key, box_note=box_note)

    def submit_two(self):
        appeal_submit(
            school=self.school,
            envelope=Envelope(kind="complaint", category="bullying", text=SECRET_TEXT),
        )
        appeal_submit(
            school=self.school,
            envelope=Envelope(
                kind="complaint",
                category="canteen",
                text="the soup is cold SECRET-TEXT-2",
                writer=Writer(name="Nazira Abdykadyrova", class_or_role="7b", contact="+996 555"),
            ),
        )

    def act(self, opening, language):
        private = registry_unlock(school=self.school, user=self.members[1], password=PASSWORD)
        return act_data(
            opening=opening, registry_private=private, by=self.members[1], language=language
        )

    def test_the_kyrgyz_act_lists_the_appeals_without_their_text(self):
        self.submit_two()
        opening = self.open_box()
        data = self.act(opening, "ky")
        for text in (
            pdf_text(documents.act_pdf(data=data, language="ky")),
            docx_text(documents.act_docx(data=data, language="ky")),
        ):
            with self.subTest():
                normalized = " ".join(text.split())
                self.assertIn("алып коюу актысы", normalized)
                self.assertIn("-жылдын", normalized)
                self.assertIn("Кайтарым дареги", normalized)
                self.assertIn("Nazira Abdykadyrova, 7b", normalized)
                self.assertIn("+996 555", normalized)
                self.assertIn("анонимдүү", normalized.lower())
                self.assertIn(self.members[0].full_name, normalized)
                self.assertIn(self.director.full_name, normalized)
                self.assertIn("The box is whole, the seal intact.", normalized)
                self.assertNotIn("SECRET-TEXT", text)
                self.assertNotIn("paper note text", text)

    def test_the_russian_act_says_the_seal_is_undamaged_and_how_many_sheets(self):
        self.submit_two()
        data = self.act(self.open_box(), "ru")
        text = " ".join(pdf_text(documents.act_pdf(data=data, language="ru")).split())
        self.assertIn("Акт изъятия", text)
        self.assertIn("Цифровая пломба и журнал аудита найдены целыми", text)
        self.assertNotIn("Механическ", text)
        self.assertRegex(text, r"Акт составлен на 1 лист\w* в 2 экземпляр")
        self.assertIn("От кого поступило обращение", text)
        self.assertEqual([row.number for row in data.rows], [1, 2, 3])

    def test_damage_of_the_seal_is_named_in_the_act(self):
        appeal_submit(
            school=self.school, envelope=Envelope(kind="message", category="other", text="one")
        )
        appeal_submit(
            school=self.school, envelope=Envelope(kind="message", category="other", text="two")
        )
        SealedAppeal.objects.filter(seq=1).delete()
        data = self.act(self.open_box(paper=False), "en")
        text = " ".join(pdf_text(documents.act_pdf(data=data, language="en")).split())
        self.assertIn(
            "The digital seal was found broken (the check found what follows) and the audit log "
            "whole; the new seal code is",
            text,
        )
        self.assertIn("Appeal № 1 is missing from the box.", text)
        self.assertNotIn("Mechanical", text)

    def test_an_opening_with_no_appeals_still_gets_its_act(self):
        data = self.act(self.open_box(paper=False, box_note=""), "en")
        text = " ".join(docx_text(documents.act_docx(data=data, language="en")).split())
        self.assertIn("No appeal was found in the box.", text)
        self.assertIn("The digital seal and the audit log were found whole", text)

    def test_the_kyrgyz_act_reads_as_a_school_writes_it(self):
        self.director.full_name = "Бектурганова Жыпар Дуйшеновна"
        self.director.save(update_fields=["full_name"])
        self.submit_two()
        opening = self.open_box()
        local = timezone.localtime(opening.opened_at)
        data = self.act(opening, "ky")
        layout = pdf_layout(documents.act_pdf(data=data, language="ky"))
        text = " ".join(layout.split())
        day = long_date(local.date(), "ky", Case.LOCATIVE)
        self.assertIn(f"{day} саат {local:%H:%M}", text)
        self.assertIn("«Ишеним кутусу» ачылды", text)
        self.assertIn("Санариптик мөөр жана аудит журналы бүтүн деп табылды", text)
        self.assertIn("Кутудан 3 кайрылуу табылды (онлайн: 2, кагаз: 1).", text)
        self.assertNotIn("механикалык", text.lower())
        self.assertNotIn('"', text)
        # Each name stands on its own line, whole, under the signature line of its role.
        lines = [line.strip() for line in layout.splitlines() if line.strip()]
        self.assertIn("Бектурганова Жыпар Дуйшеновна", lines)
        director = lines.index("Бектурганова Жыпар Дуйшеновна")
        self.assertEqual(lines[director - 1], "Мектеп директору")
        for member in self.members[:3]:
            self.assertIn(member.full_name, lines)
            self.assertEqual(lines[lines.index(member.full_name) - 1], "Комиссиянын мүчөсү")

    def test_the_chair_signs_the_act_once_as_chair_though_present(self):
        commission = Commission.objects.current(self.school)
        commission.chair = self.members[0]
        commission.save(update_fields=["chair"])
        opening = self.open_box(paper=False)
        for language, chair, member in (
            ("ky", "Комиссиянын төрагасы", "Комиссиянын мүчөсү"),
            ("ru", "Председатель комиссии", "Член комиссии"),
        ):
            data = self.act(opening, language)
            layout = pdf_layout(documents.act_pdf(data=data, language=language))
            lines = [line.strip() for line in layout.splitlines() if line.strip()]
            with self.subTest(language=language):
                self.assertEqual(lines.count(self.members[0].full_name), 1)
                self.assertEqual(lines[lines.index(self.members[0].full_name) - 1], chair)
                self.assertEqual(lines.count(member), 2)  # the two other members present
                docx = docx_text(documents.act_docx(data=data, language=language))
                self.assertEqual(docx.count(self.members[0].full_name), 1)

    def test_the_russian_act_says_one_sheet_and_the_time_plainly(self):
        opening = self.open_box(paper=False, box_note="")
        local = timezone.localtime(opening.opened_at)
        data = self.act(opening, "ru")
        text = " ".join(pdf_text(documents.act_pdf(data=data, language="ru")).split())
        self.assertIn(f"{long_date_in_text(local.date(), 'ru')} в {local:%H:%M} вскрыт", text)
        self.assertIn("Акт составлен на 1 листе в 2 экземплярах.", text)
        self.assertIn("Обращений в ящике не обнаружено.", text)
        self.assertIn("«Ящик доверия»", text)
        self.assertNotIn('"', text)
        docx = docx_text(documents.act_docx(data=data, language="ru"))
        self.assertIn("Акт составлен на 1 листе в 2 экземплярах.", docx)
        self.assertIn(f"Директор школы | {'_' * 30}\n{self.director.full_name}", docx)

    def test_the_act_page_asks_for_the_password_and_audits_the_print(self):
        self.submit_two()
        opening = self.open_box()
        client = self.login(self.members[2], Client())
        client.cookies.load({settings.LANGUAGE_COOKIE_NAME: "en"})
        url = reverse("openings:act", args=["alatoo", opening.pk, "ky", "docx"])
        self.assertContains(client.get(url), "Enter your password")
        response = client.post(url, {"password": "wrong"})
        self.assertEqual(response.status_code, 200)
        self.assertFalse(response.has_header("Content-Disposition"))
        response = client.post(url, {"password": PASSWORD})
        self.assertIn("act-1-ky.docx", response["Content-Disposition"])
        self.assertIn("Nazira Abdykadyrova", docx_text(response.content))
        self.assertTrue(
            AuditEntry.objects.filter(actor=self.members[2], action="appeal.read").exists()
        )

    def test_someone_outside_the_commission_cannot_print_the_act(self):
        opening = self.open_box(paper=False)
        self.login(self.teacher)
        url = reverse("openings:act", args=["alatoo", opening.pk, "ky", "pdf"])
        self.assertEqual(self.client.post(url, {"password": PASSWORD}).status_code, 403)


class JournalOfOpeningsTestCase(ActOfRemovalTestCase):
    def test_the_journal_has_a_line_per_opening_with_its_seal_code(self):
        self.submit_two()
        first = self.open_box()
        second = self.open_box(paper=False)
        entries = journal_entries([first, second], "ky")
        text = " ".join(
            pdf_text(
                documents.journal_pdf(school_name="School alatoo", entries=entries, language="ky")
            ).split()
        )
        self.assertIn("Комиссия мүчөлөрүнүн колу", text)
        self.assertIn(seal_code(first), text)
        self.assertIn(seal_code(second), text)
        self.assertIn(self.members[2].full_name, text)
        self.assertNotIn("SECRET-TEXT", text)

    def test_the_journal_prints_for_a_period(self):
        first = self.open_box()
        second = self.open_box()
        Opening.objects.filter(pk=first.pk).update(
            opened_at=datetime.datetime(2026, 9, 20, 9, 0, tzinfo=datetime.UTC)
        )
        self.login(self.director)
        url = reverse("openings:journal_document", args=["alatoo", "ru", "docx"])
        response = self.client.get(url, {"start": "2026-10-01"})
        text = docx_text(response.content)
        self.assertIn("Журнал", text)
        self.assertIn("1 октября 2026 г.", text)
        self.assertNotIn("г..", text, "one period after «г.»")
        self.assertIn(seal_code(second), text)
        self.assertNotIn(seal_code(first), text)

        response = self.client.get(url, {"start": "2026-10-01", "end": "2026-09-01"})
        self.assertRedirects(response, reverse("openings:journal", args=["alatoo"]))
