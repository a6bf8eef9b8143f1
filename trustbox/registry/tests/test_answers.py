"""Issue 21, point 1: an answer counts only where it reaches its writer."""

from __future__ import annotations

import re
import subprocess

from django.conf import settings
from django.core.cache import cache
from django.core.exceptions import ValidationError
from django.test import Client
from django.urls import reverse
from django.utils import timezone, translation

from trustbox.audit.models import AuditEntry
from trustbox.audit.services import audit_verify
from trustbox.box.envelope import Envelope, Writer
from trustbox.box.services import Receipt, appeal_submit
from trustbox.core.daily import daily_run
from trustbox.registry.answers import unreached_answers_reopen
from trustbox.registry.consideration import appeal_reply, entry_add
from trustbox.registry.forms import ReplyForm
from trustbox.registry.integrity import appeal_backdate
from trustbox.registry.models import Appeal, Entry, Source, Status
from trustbox.registry.tests.helpers import RegistryTestCase
from trustbox.test import PASSWORD

PAPER_TEXT = "SECRET-someone takes our phones in 5a"


def pdf_text(pdf: bytes) -> str:
    result = subprocess.run(["pdftotext", "-", "-"], input=pdf, capture_output=True, check=True)
    return " ".join(result.stdout.decode().split())


class AnswerWaysTestCase(RegistryTestCase):
    """Three writers: anonymous online (a receipt), signed online (a receipt kept), and an
    anonymous paper note (no name, no receipt)."""

    signed_receipt: Receipt
    paper: Appeal

    @classmethod
    def setUpTestData(cls) -> None:
        super(RegistryTestCase, cls).setUpTestData()  # the box is opened below, with four
        cls.receipt = appeal_submit(
            school=cls.school, envelope=Envelope(kind="complaint", category="bullying", text="A")
        )
        cls.signed_receipt = appeal_submit(
            school=cls.school,
            envelope=Envelope(
                kind="complaint",
                category="canteen",
                text="B",
                writer=Writer(name="Nazira Abdykadyrova", class_or_role="parent", contact="+996"),
            ),
        )
        appeal_submit(
            school=cls.school,
            envelope=Envelope(kind="complaint", category="extortion", text=PAPER_TEXT),
            paper=True,
        )
        appeal_submit(
            school=cls.school,
            envelope=Envelope(
                kind="request",
                category="learning",
                text="C",
                writer=Writer(name="Aibek", class_or_role="7b"),
            ),
            paper=True,
        )
        cls.opening = cls.box_open()
        cls.anonymous, cls.signed, cls.paper, cls.signed_paper = Appeal.objects.order_by(
            "number_in_act"
        )

    def setUp(self) -> None:
        super().setUp()
        cache.clear()

    def channels(self, appeal: Appeal) -> list[str]:
        return [value for value, _label in ReplyForm(appeal=appeal).fields["channel"].choices]

    def refused(self, appeal: Appeal, channel: str) -> None:
        with self.assertRaises(ValidationError):
            appeal_reply(appeal=appeal, by=self.responsible, text="Hello", channel=channel)
        appeal.refresh_from_db()
        self.assertEqual(appeal.status, Status.REGISTERED)
        self.assertFalse(appeal.entries.exists())

    def status_page(self, code: str) -> str:
        client = Client()
        client.cookies.load({settings.LANGUAGE_COOKIE_NAME: "en"})
        response = client.post(reverse("box:status", args=["alatoo"]), {"code": code})
        return " ".join(response.content.decode().split())


class WhichWayTestCase(AnswerWaysTestCase):
    def test_an_anonymous_writer_with_a_receipt_is_offered_only_her_status_page(self):
        appeal = self.register(self.anonymous)
        self.assertEqual(self.channels(appeal), ["receipt"])
        form = ReplyForm(appeal=appeal)
        self.assertIn("status page", str(form.fields["channel"].help_text))

    def test_the_service_refuses_paper_contact_and_a_sheet_for_an_anonymous_writer(self):
        appeal = self.register(self.anonymous)
        for channel in ("paper", "contact", "notice"):
            with self.subTest(channel=channel):
                self.refused(appeal, channel)

    def test_a_signed_writer_may_be_answered_on_her_page_on_paper_or_by_her_contact(self):
        appeal = self.register(self.signed)
        self.assertEqual(self.channels(appeal), ["receipt", "paper", "contact"])
        self.refused(appeal, "notice")
        appeal_reply(appeal=appeal, by=self.responsible, text="Letter", channel="paper")
        appeal.refresh_from_db()
        self.assertEqual(appeal.status, Status.ANSWERED)
        self.assertEqual(appeal.answered_on, timezone.localdate())

    def test_a_signed_writer_who_gave_no_contact_is_offered_paper_only_on_the_page(self):
        appeal = self.register(self.signed_paper)
        self.assertEqual(self.channels(appeal), ["paper", "contact"])
        client = self.login(self.responsible)
        client.post(reverse("registry:unlock", args=["alatoo"]), {"password": PASSWORD})
        page = client.get(reverse("registry:detail", args=["alatoo", appeal.pk]))
        offered = [value for value, _ in page.context["forms"]["reply"].fields["channel"].choices]
        self.assertEqual(offered, ["paper"])

    def test_a_paper_note_without_name_nor_receipt_is_answered_by_a_posted_sheet_only(self):
        appeal = self.register(self.paper)
        self.assertEqual((appeal.source, appeal.writer_public_key), (Source.PAPER, None))
        self.assertEqual(self.channels(appeal), ["notice"])
        for channel in ("receipt", "paper", "contact"):
            with self.subTest(channel=channel):
                self.refused(appeal, channel)
        appeal_reply(appeal=appeal, by=self.responsible, text="We talked to 5a.", channel="notice")
        appeal.refresh_from_db()
        self.assertEqual(appeal.status, Status.ANSWERED)


class WhatTheWriterSeesTestCase(AnswerWaysTestCase):
    def test_a_signed_writers_page_says_an_answer_went_out_on_paper_and_when(self):
        appeal = self.register(self.signed)
        appeal_reply(appeal=appeal, by=self.responsible, text="PAPER-letter", channel="paper")
        page = self.status_page(self.signed_receipt.code)
        self.assertIn("Answered.", page)
        self.assertIn(
            f"On {timezone.localdate().day} {timezone.localdate():%B} "
            f"{timezone.localdate().year} the commission answered you on paper, with a letter.",
            page,
        )
        self.assertNotIn("PAPER-letter", page)
        self.assertNotIn("in another way", page)

    def test_a_signed_writers_page_says_an_answer_went_to_her_contact(self):
        appeal = self.register(self.signed)
        appeal_reply(appeal=appeal, by=self.responsible, text="By phone", channel="contact")
        page = self.status_page(self.signed_receipt.code)
        self.assertIn("the commission answered you by the contact you gave.", page)
        self.assertNotIn("By phone", page)


class ReplySheetTestCase(AnswerWaysTestCase):
    def setUp(self) -> None:
        super().setUp()
        self.appeal = self.register(self.paper)
        self.entry = appeal_reply(
            appeal=self.appeal, by=self.responsible, text="We talked to 5a.", channel="notice"
        )
        self.client = self.login(self.responsible)
        self.client.cookies.load({settings.LANGUAGE_COOKIE_NAME: "en"})
        self.client.post(reverse("registry:unlock", args=["alatoo"]), {"password": PASSWORD})

    def sheet(self, language: str) -> str:
        url = reverse("registry:notice", args=["alatoo", self.appeal.pk, self.entry.pk, language])
        response = self.client.get(url)
        self.assertEqual(response["Content-Type"], "application/pdf")
        return pdf_text(response.content)

    def test_the_sheet_names_the_appeal_by_its_number_only_in_kyrgyz_and_russian(self):
        received = self.appeal.received_on
        for language, words in (
            ("ky", f"№ {self.appeal.number}"),
            ("ru", f"Автору обращения № {self.appeal.number}"),
        ):
            with self.subTest(language=language):
                text = self.sheet(language)
                self.assertIn(words, text)
                self.assertIn("We talked to 5a.", text)
                self.assertNotIn(PAPER_TEXT, text)
                for told in ("extortion", "Extortion", "вымогат", "opening", "№ 1,"):
                    self.assertNotIn(told, text)
                self.assertNotIn(f"{received:%d.%m.%Y}", text)
        self.assertEqual(
            AuditEntry.objects.filter(action="appeal.read", details__purpose="notice").count(), 2
        )

    def test_the_sheet_is_built_as_the_model_and_its_pdf_says_every_line_in_large_print(self):
        from trustbox.lib.docmodel import document_lines
        from trustbox.lib.docmodel_pdf import document_html
        from trustbox.lib.tests.readers import pdf_info, pdf_language, pdf_pages, unhyphenated
        from trustbox.registry.documents import notice_document

        for language in ("ky", "ru"):
            url = reverse(
                "registry:notice", args=["alatoo", self.appeal.pk, self.entry.pk, language]
            )
            pdf = self.client.get(url).content
            with translation.override(language):
                document = notice_document(
                    school_name="School alatoo", appeal=self.appeal, reply=self.entry, text="x"
                )
            words = unhyphenated(" ".join(pdf_pages(pdf)))
            with self.subTest(language=language):
                lines = [line for line in document_lines(document) if line != "x"]
                self.assertEqual(len(lines), 5)  # school, date, title, to whom, why posted here
                for line in [*lines, "We talked to 5a."]:
                    self.assertIn(unhyphenated(line), words)
                self.assertEqual(pdf_info(pdf)["Title"], document.title)
                self.assertEqual(pdf_info(pdf)["Tagged"], "yes")
                self.assertEqual(pdf_language(pdf), language)
                self.assertIn("body { font-size: 14pt;", document_html(document))

    def test_the_page_and_the_registry_say_it_was_answered_by_a_posted_sheet(self):
        detail = self.client.get(reverse("registry:detail", args=["alatoo", self.appeal.pk]))
        self.assertContains(detail, "on a reply sheet posted in the foyer")
        self.assertContains(
            detail, reverse("registry:notice", args=["alatoo", self.appeal.pk, self.entry.pk, "ky"])
        )
        listed = self.client.get(reverse("registry:list", args=["alatoo"]))
        rows = re.findall(r"<tr.*?</tr>", listed.content.decode(), re.S)
        [row] = [row for row in rows if self.appeal.number in row]
        self.assertIn("by a reply sheet posted in the foyer", row)
        self.assertEqual(sum("by a reply sheet posted" in row for row in rows), 1)

    def test_a_reply_that_is_not_a_sheet_prints_no_sheet(self):
        signed = self.register(self.signed)
        letter = appeal_reply(appeal=signed, by=self.responsible, text="Hi", channel="paper")
        url = reverse("registry:notice", args=["alatoo", signed.pk, letter.pk, "en"])
        self.assertEqual(self.client.get(url).status_code, 404)


class AnsweredBeforeTheRuleTestCase(AnswerWaysTestCase):
    """Appeals marked answered by a way that cannot reach the writer, before issue 21."""

    def answered_before(self, appeal: Appeal, channel: str) -> Appeal:
        appeal = self.register(appeal)
        entry_add(appeal=appeal, kind="reply", text="Old", author=self.responsible, channel=channel)
        return appeal_backdate(
            appeal=appeal, by=None, status=Status.ANSWERED, answered_on=timezone.localdate()
        )

    def test_they_go_back_under_consideration_with_their_deadline_and_an_audit_row(self):
        unreached = self.answered_before(self.anonymous, "paper")
        reached = self.answered_before(self.signed, "paper")
        lines = daily_run(today=timezone.localdate()).lines
        self.assertIn(
            "answers: answers that could not reach their writer, reopened: 1; "
            "appeals a writer's message had reopened, back to answered: 0",
            lines,
        )
        unreached.refresh_from_db()
        reached.refresh_from_db()
        self.assertEqual((unreached.status, unreached.answered_on), (Status.CONSIDERING, None))
        self.assertIn(unreached, Appeal.objects.open())
        self.assertEqual(reached.status, Status.ANSWERED)
        [row] = AuditEntry.objects.filter(action="appeal.unreached")
        self.assertEqual(row.target, f"registry.appeal:{unreached.pk}")
        self.assertEqual(audit_verify(school=self.school), [])
        self.assertEqual(unreached_answers_reopen(), 0)

    def test_an_old_answer_on_paper_to_a_paper_note_without_name_is_not_an_answer(self):
        appeal = self.answered_before(self.paper, "paper")
        self.assertEqual(unreached_answers_reopen(), 1)
        appeal.refresh_from_db()
        self.assertEqual(appeal.status, Status.CONSIDERING)
        appeal_reply(appeal=appeal, by=self.responsible, text="Posted", channel="notice")
        appeal.refresh_from_db()
        self.assertEqual(appeal.status, Status.ANSWERED)
        self.assertEqual(unreached_answers_reopen(), 0)
        self.assertEqual(Entry.objects.filter(appeal=appeal, channel="notice").count(), 1)
