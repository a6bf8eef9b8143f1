"""A writer takes her appeal back before the opening: set aside unread, listed in the act."""

from unittest import mock

from django.core.exceptions import ValidationError
from django.utils import timezone

from trustbox.audit.models import AuditEntry, WriterEntry
from trustbox.audit.services import audit_check
from trustbox.box.chain import chain_verify
from trustbox.box.envelope import Envelope
from trustbox.box.models import SealedAppeal
from trustbox.box.services import appeal_find_by_receipt, appeal_submit
from trustbox.box.withdrawal import WithdrawalAction
from trustbox.openings import documents
from trustbox.openings.records import act_data, journal_entries
from trustbox.openings.tests.test_documents import docx_text, pdf_text
from trustbox.registry.keys import registry_unlock
from trustbox.registry.models import Appeal
from trustbox.registry.writer import writer_view, writer_withdraw
from trustbox.seal import crypto
from trustbox.test import PASSWORD, SealedBoxTestCase

TAKEN_BACK = "SECRET-I take this one back"


def envelope(text):
    return Envelope(kind="complaint", category="bullying", text=text)


class WithdrawnAppealTestCase(SealedBoxTestCase):
    def setUp(self):
        super().setUp()
        self.receipts = [
            appeal_submit(school=self.school, envelope=envelope(text))
            for text in ("SECRET-one", TAKEN_BACK, "SECRET-three")
        ]
        self.taken_back = self.receipts[1]

    def withdraw(self, receipt):
        found = appeal_find_by_receipt(school=self.school, code=receipt.code)
        writer_withdraw(found=found)
        return found

    def documents_text(self, opening, language):
        private = registry_unlock(school=self.school, user=self.members[1], password=PASSWORD)
        data = act_data(
            opening=opening, registry_private=private, by=self.members[1], language=language
        )
        entries = journal_entries([opening], language)
        texts = (
            pdf_text(documents.act_pdf(data=data, language=language)),
            docx_text(documents.act_docx(data=data, language=language)),
            pdf_text(
                documents.journal_pdf(
                    school_name=self.school.name, entries=entries, language=language
                )
            ),
        )
        return [" ".join(text.split()) for text in texts]

    def test_a_withdrawal_erases_the_ciphertext_and_is_audited_by_the_day_without_a_writer(self):
        found = self.withdraw(self.taken_back)
        sealed = SealedAppeal.objects.get(pk=found.sealed.pk)
        self.assertIsNotNone(sealed.withdrawn_on)
        self.assertEqual(bytes(sealed.ciphertext), b"")
        self.assertIsNone(sealed.writer_key_locked)
        self.assertTrue(sealed.erased)
        target = f"box.sealedappeal:{sealed.pk}"
        entries = WriterEntry.objects.filter(school=self.school, target=target)
        self.assertEqual(
            sorted(entries.values_list("action", flat=True)),
            ["box.erase", WithdrawalAction.WITHDRAW.value],
        )
        for entry in entries:
            local = timezone.localtime(entry.created_at)
            self.assertEqual((local.hour, local.minute, local.second), (0, 0, 0))
        # Nothing in the staff's chain (its entries keep the time of day).
        self.assertFalse(AuditEntry.objects.filter(target=target).exists())
        # The chain of the box and the audit log still check.
        self.assertEqual(chain_verify(school=self.school), [])
        self.assertTrue(audit_check(school=self.school).whole)
        found = appeal_find_by_receipt(school=self.school, code=self.taken_back.code)
        self.assertEqual(writer_view(found=found).status, "withdrawn")

    def test_the_opening_never_opens_a_withdrawn_appeal_and_its_act_lists_it_without_text(self):
        found = self.withdraw(self.taken_back)
        opened = []
        real_open = crypto.BoxOpener.open

        def spy(opener, ciphertext):
            opened.append(bytes(ciphertext))
            return real_open(opener, ciphertext)

        with mock.patch.object(crypto.BoxOpener, "open", spy):
            opening = self.box_open()
        self.assertEqual(len(opened), 2)
        self.assertEqual(opening.online_count, 2)
        self.assertEqual(opening.damage, [])
        self.assertEqual(
            opening.withdrawn, [{"seq": 2, "day": found.sealed.received_on.isoformat()}]
        )
        self.assertEqual(
            sorted(Appeal.objects.values_list("sealed_appeal__seq", flat=True)), [1, 3]
        )
        sealed = SealedAppeal.objects.get(pk=found.sealed.pk)
        self.assertTrue(sealed.set_aside)
        self.assertFalse(sealed.opened)
        act_pdf, act_docx, journal = self.documents_text(opening, "en")
        for text in (act_pdf, act_docx):
            self.assertIn("2 appeals were found in the box (online: 2, paper: 0).", text)
            self.assertIn(
                "1 appeal was withdrawn by its writer before the opening; it was set aside "
                "unread and is not among the appeals found:",
                text,
            )
            self.assertIn("№ 2 in the box, received on", text)
            self.assertIn("withdrawn by its writer.", text)
            self.assertIn("were found whole", text)
            self.assertNotIn("SECRET", text)
        self.assertIn(
            "2 (online: 2, paper: 0); withdrawn by their writers, set aside unread: 1", journal
        )
        # The next opening finds the appeal set aside, not in the box, and names nothing.
        found = appeal_find_by_receipt(school=self.school, code=self.taken_back.code)
        self.assertEqual(writer_view(found=found).status, "withdrawn")
        self.assertEqual(self.box_open().damage, [])

    def test_the_opening_never_tries_a_withdrawn_appeal_even_when_its_ciphertext_was_kept(self):
        with mock.patch("trustbox.box.withdrawal._erase"):
            found = self.withdraw(self.taken_back)
        kept = bytes(SealedAppeal.objects.get(pk=found.sealed.pk).ciphertext)
        self.assertNotEqual(kept, b"")
        with mock.patch.object(
            crypto.BoxOpener, "open", autospec=True, side_effect=crypto.BoxOpener.open
        ) as opener:
            opening = self.box_open()
        tried = [bytes(call.args[1]) for call in opener.call_args_list]
        self.assertEqual(len(tried), 2)
        self.assertNotIn(kept, tried)
        self.assertEqual(len(opening.withdrawn), 1)

    def test_an_appeal_marked_withdrawn_in_the_database_alone_is_opened_and_named(self):
        sealed = self.taken_back.sealed
        SealedAppeal.objects.filter(pk=sealed.pk).update(withdrawn_on=sealed.received_on)
        opening = self.box_open()
        self.assertEqual(opening.online_count, 3)
        self.assertEqual(opening.withdrawn, [])
        self.assertIn({"seq": 2, "what": "withdrawal unrecorded"}, opening.damage)
        self.assertTrue(Appeal.objects.filter(sealed_appeal=sealed).exists())

    def test_an_appeal_taken_out_of_the_box_can_no_longer_be_withdrawn(self):
        self.box_open()
        found = appeal_find_by_receipt(school=self.school, code=self.taken_back.code)
        with self.assertRaises(ValidationError):
            writer_withdraw(found=found)
        self.assertFalse(SealedAppeal.objects.exclude(withdrawn_on=None).exists())

    def test_an_appeal_is_withdrawn_once(self):
        found = self.withdraw(self.taken_back)
        with self.assertRaises(ValidationError):
            writer_withdraw(found=found)
        self.assertEqual(
            WriterEntry.objects.filter(action=WithdrawalAction.WITHDRAW.value).count(), 1
        )
