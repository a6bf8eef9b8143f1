"""The heads of the box and of the audit log leave the database at each opening."""

from django.conf import settings
from django.urls import reverse

from trustbox.audit.digests import log_head_at
from trustbox.audit.models import AuditChain, AuditEntry
from trustbox.box.envelope import Envelope
from trustbox.box.services import appeal_submit
from trustbox.openings import documents
from trustbox.openings.gathering import opening_code, opening_join, opening_start
from trustbox.openings.records import act_data, journal_entries, opening_heads
from trustbox.openings.services import opening_open, seal_code
from trustbox.openings.tests.test_documents import docx_text, pdf_text
from trustbox.registry.keys import registry_unlock
from trustbox.test import PASSWORD, SealedBoxTestCase


class HeadsAtAnOpeningTestCase(SealedBoxTestCase):
    def setUp(self):
        super().setUp()
        for text in ("one", "two", "three"):
            appeal_submit(
                school=self.school, envelope=Envelope(kind="message", category="other", text=text)
            )
        self.opening = self.box_open()
        self.open_entry = AuditEntry.objects.get(action="opening.open")
        self.log = log_head_at(self.open_entry)

    def act(self, language):
        private = registry_unlock(school=self.school, user=self.members[1], password=PASSWORD)
        return act_data(
            opening=self.opening, registry_private=private, by=self.members[1], language=language
        )

    def test_the_log_head_of_an_opening_is_its_own_entry_with_every_staff_entry_before_it(self):
        heads = opening_heads(self.opening)
        staff = AuditEntry.objects.filter(school=self.school, id__lte=self.open_entry.pk).count()
        self.assertEqual(heads.log_count, staff)
        self.assertEqual(heads.log_code, self.log.code)
        self.assertEqual((heads.box_count, heads.box_code), (3, seal_code(self.opening)))

    def test_the_act_writes_both_heads_in_every_language_and_format(self):
        for language in ("ky", "ru", "en"):
            data = self.act(language)
            for fmt, text in (
                ("pdf", pdf_text(documents.act_pdf(data=data, language=language))),
                ("docx", docx_text(documents.act_docx(data=data, language=language))),
            ):
                with self.subTest(language=language, fmt=fmt):
                    # Each code on one line, as printed: not cut by a line break.
                    self.assertIn(seal_code(self.opening), text)
                    self.assertIn(self.log.code, text)
                    self.assertIn(f"{self.log.count};", " ".join(text.split()))

    def test_the_english_act_says_what_the_codes_are(self):
        data = self.act("en")
        text = " ".join(pdf_text(documents.act_pdf(data=data, language="en")).split())
        self.assertIn(
            "Appeals sealed into the box since it was made: 3; its seal code: "
            f"{seal_code(self.opening)}.",
            text,
        )
        self.assertIn(
            f"Entries in the audit log: {self.log.count}; its head code: {self.log.code}.", text
        )

    def test_the_journal_writes_both_heads_with_each_code_on_one_line(self):
        second_opening, key = opening_start(school=self.school, by=self.members[0])
        for member in self.members[:3]:
            opening_join(
                opening=second_opening,
                member=member,
                password=PASSWORD,
                session_code=opening_code(second_opening),
            )
        second = opening_open(opening=second_opening, by=self.members[0], browser_key=key)
        for language in ("ky", "ru", "en"):
            entries = journal_entries([self.opening, second], language)
            for fmt, text in (
                (
                    "pdf",
                    pdf_text(
                        documents.journal_pdf(
                            school_name="School alatoo", entries=entries, language=language
                        )
                    ),
                ),
                (
                    "docx",
                    docx_text(
                        documents.journal_docx(
                            school_name="School alatoo", entries=entries, language=language
                        )
                    ),
                ),
            ):
                with self.subTest(language=language, fmt=fmt):
                    for opening in (self.opening, second):
                        heads = opening_heads(opening)
                        self.assertIn(heads.box_code, text)
                        self.assertIn(heads.log_code, text)
                        self.assertIn(f"{heads.log_count};", " ".join(text.split()))

    def test_entries_cut_after_the_opening_leave_its_act_as_printed(self):
        AuditEntry.raw.filter(id__gt=self.open_entry.pk).delete()
        AuditChain.objects.filter(key=AuditChain.key_for(self.school, "staff")).update(
            count=self.log.parts["staff"][0], head=self.open_entry.hash
        )
        heads = opening_heads(self.opening)
        self.assertEqual((heads.log_count, heads.log_code), (self.log.count, self.log.code))

    def test_a_log_cut_back_before_the_opening_leaves_the_act_saying_so(self):
        AuditEntry.raw.filter(id__gte=self.open_entry.pk).delete()
        heads = opening_heads(self.opening)
        self.assertIsNone(heads.log_count)
        data = self.act("en")
        text = " ".join(docx_text(documents.act_docx(data=data, language="en")).split())
        self.assertIn("The audit log's entry of this opening is missing", text)

    def test_a_log_cut_in_the_middle_gives_the_act_another_count_than_the_printed_one(self):
        earlier = AuditEntry.objects.filter(school=self.school).first()
        AuditEntry.raw.filter(pk=earlier.pk).delete()
        self.assertEqual(opening_heads(self.opening).log_count, self.log.count - 1)

    def test_the_opening_page_shows_the_heads_now(self):
        self.login(self.members[2])
        self.client.cookies.load({settings.LANGUAGE_COOKIE_NAME: "en"})
        response = self.client.get(
            reverse("openings:session", args=[self.school.slug, self.opening.pk])
        )
        self.assertContains(response, "Heads of the chains and the daily digest")
        self.assertContains(response, f"3 · <code>{seal_code(self.opening)}</code>")
