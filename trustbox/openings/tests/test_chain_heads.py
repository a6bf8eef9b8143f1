"""The heads of the box and of the audit log leave the database at each opening."""

from django.conf import settings
from django.urls import reverse
from django.utils import timezone

from trustbox.accounts.models import User
from trustbox.audit.digests import digest_send, log_head_at
from trustbox.audit.models import AuditChain, AuditEntry
from trustbox.box.envelope import Envelope
from trustbox.box.services import appeal_submit
from trustbox.openings import documents
from trustbox.openings.gathering import opening_code, opening_join, opening_start
from trustbox.openings.models import Opening
from trustbox.openings.records import act_data, journal_entries, opening_heads
from trustbox.openings.services import opening_open, seal_code
from trustbox.openings.tests.test_documents import docx_text, pdf_layout, pdf_text
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

    def fingerprints(self, opening):
        """The full heads of the box and of the log as the appendix line prints them."""
        heads = opening_heads(opening)
        return heads.box_fingerprint.upper(), heads.log_fingerprint.upper()

    def test_the_act_writes_the_seal_code_and_both_fingerprints_in_every_language_and_format(
        self,
    ):
        box, log = self.fingerprints(self.opening)
        self.assertEqual((len(box), len(log)), (64, 64))
        self.assertEqual(log, self.log.head.upper())
        for language in ("ky", "ru", "en"):
            data = self.act(language)
            for fmt, text in (
                ("pdf", pdf_text(documents.act_pdf(data=data, language=language))),
                ("docx", docx_text(documents.act_docx(data=data, language=language))),
            ):
                with self.subTest(language=language, fmt=fmt):
                    # Each code and fingerprint on one line, as printed: not cut by a break.
                    self.assertIn(seal_code(self.opening), text)
                    self.assertIn(box, text)
                    self.assertIn(log, text)

    def test_the_english_act_says_in_one_sentence_that_seal_and_log_are_whole(self):
        data = self.act("en")
        layout = pdf_layout(documents.act_pdf(data=data, language="en"))
        text = " ".join(layout.split())
        self.assertIn(
            "The digital seal and the audit log were found whole (no appeal was taken out of the "
            "box, changed or added since the last opening); the new seal code is "
            f"{seal_code(self.opening)}.",
            text,
        )
        self.assertNotIn("Entries in the audit log", text)
        box, log = self.fingerprints(self.opening)
        self.assertIn(
            "Fingerprints for the operator's check: the box (appeals sealed since it was made: "
            f"3): {box}; the audit log (entries: {self.log.count}): {log}.",
            text,
        )
        # The fingerprints are the last line, under the signatures.
        self.assertGreater(text.index(box), text.index(self.director.full_name))

    def test_a_log_changed_before_the_act_is_printed_makes_the_act_say_so(self):
        earlier = AuditEntry.objects.filter(school=self.school).first()
        AuditEntry.raw.filter(pk=earlier.pk).update(details={"changed": True})
        for language, words in (
            (
                "en",
                "The digital seal was found whole (no appeal was taken out of the box, "
                "changed or added since the last opening), the audit log was not",
            ),
            ("ru", "журнал аудита — нет (его страница показывает, где он нарушен)"),
            ("ky", "аудит журналы бүтүн эмес"),
        ):
            data = self.act(language)
            text = " ".join(pdf_text(documents.act_pdf(data=data, language=language)).split())
            with self.subTest(language=language):
                self.assertIn(words, text)
                self.assertIn(seal_code(self.opening), text)

    def test_a_broken_seal_and_log_are_said_in_one_sentence_with_what_the_check_found(self):
        Opening.objects.filter(pk=self.opening.pk).update(damage=[{"seq": 2, "what": "missing"}])
        AuditEntry.raw.filter(pk=self.open_entry.pk - 1).update(details={"changed": True})
        self.opening.refresh_from_db()
        text = " ".join(docx_text(documents.act_docx(data=self.act("en"), language="en")).split())
        self.assertIn(
            "Neither the digital seal (the check found what follows) nor the audit log (its page "
            "shows where it breaks) was found whole; the new seal code is "
            f"{seal_code(self.opening)}. Appeal № 2 is missing from the box.",
            text,
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
                        box, log = self.fingerprints(opening)
                        self.assertIn(seal_code(opening), text)
                        self.assertIn(box, text)
                        self.assertIn(log, text)
                    flat = " ".join(text.split())
                    self.assertEqual(flat.count(seal_code(second)), 2)  # sentence, fingerprint

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
        self.assertIn("the audit log was not (its page shows where it breaks)", text)
        self.assertIn("the audit log: its entry of this opening is missing.", text)

    def test_a_log_cut_in_the_middle_gives_the_act_another_count_than_the_printed_one(self):
        earlier = AuditEntry.objects.filter(school=self.school).first()
        AuditEntry.raw.filter(pk=earlier.pk).delete()
        self.assertEqual(opening_heads(self.opening).log_count, self.log.count - 1)

    def test_the_opening_page_keeps_the_counts_and_codes_folded_under_a_plain_heading(self):
        self.login(self.members[2])
        self.client.cookies.load({settings.LANGUAGE_COOKIE_NAME: "en"})
        url = reverse("openings:session", args=[self.school.slug, self.opening.pk])
        page = self.client.get(url).content.decode()
        self.assertIn("The box and the audit log since the daily mail", page)
        self.assertNotIn("Heads of the chains", page)
        card = page[page.index('id="chain-heads"') :]
        folded = card[card.index("<details>") : card.index("</details>")]
        self.assertIn("Counts and codes, to compare with the daily mail", folded)
        self.assertIn(f"3 · <code>{seal_code(self.opening)}</code>", folded)
        User.objects.filter(pk=self.members[1].pk).update(email="chair@x.kg")
        chair = User.objects.get(pk=self.members[1].pk)
        digest_send(school=self.school, today=timezone.localdate(), recipients=[chair])
        page = self.client.get(url).content.decode()
        self.assertIn("The box and the audit log still hold everything the daily mail of", page)

    def test_the_log_page_still_shows_the_heads_unfolded(self):
        self.login(self.director)
        self.client.cookies.load({settings.LANGUAGE_COOKIE_NAME: "en"})
        page = self.client.get(reverse("audit:log", args=[self.school.slug])).content.decode()
        self.assertIn("Heads of the chains and the daily digest", page)
        self.assertNotIn("<details><summary>Counts and codes", page)
