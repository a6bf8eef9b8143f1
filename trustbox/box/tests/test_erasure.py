"""An erased sealed appeal: its ciphertext gone for good, its place in the chain still checked."""

from unittest import mock

from django.conf import settings
from django.core.cache import cache
from django.urls import reverse

from trustbox.audit.models import AuditEntry
from trustbox.audit.services import ChainBreak, audit_verify
from trustbox.box.actions import BoxAction
from trustbox.box.chain import chain_verify
from trustbox.box.envelope import Envelope
from trustbox.box.erasure import AlreadyErased, StillInTheBox, sealed_appeal_erase
from trustbox.box.models import SealedAppeal
from trustbox.box.services import ChainDamage, appeal_submit
from trustbox.seal import crypto
from trustbox.seal.crypto.envelopes import BoxOpener
from trustbox.test import SealedBoxTestCase


def envelope(text):
    return Envelope(kind="complaint", category="bullying", text=text)


class ErasureTestCase(SealedBoxTestCase):
    def setUp(self):
        super().setUp()
        cache.clear()
        self.client.cookies.load({settings.LANGUAGE_COOKIE_NAME: "en"})

    def submit(self, *texts):
        return [appeal_submit(school=self.school, envelope=envelope(text)) for text in texts]

    def opened_and_erased(self):
        """Three appeals taken out at an opening; the second erased."""
        receipts = self.submit("one", "two", "three")
        self.box_open()
        second = SealedAppeal.objects.get(school=self.school, seq=2)
        sealed_appeal_erase(sealed_appeal=second, reason="test", by=self.members[0])
        return receipts, second

    def test_an_erased_appeal_keeps_no_ciphertext_nor_writer_key_but_the_digest_of_it(self):
        _, second = self.opened_and_erased()
        before = bytes(SealedAppeal.objects.get(seq=1, school=self.school).ciphertext)
        self.assertTrue(before)
        row = SealedAppeal.objects.get(pk=second.pk)
        self.assertEqual(bytes(row.ciphertext), b"")
        self.assertIsNone(row.writer_key_locked)
        self.assertEqual(len(bytes(row.ciphertext_digest)), 32)
        self.assertIsNotNone(row.erased_on)
        entry = AuditEntry.objects.get(action=BoxAction.ERASE.value)
        self.assertEqual(entry.target, f"box.sealedappeal:{second.pk}")
        self.assertEqual(entry.details, {"seq": 2, "reason": "test"})

    def test_erasing_keeps_the_chain_check_and_the_log_clean(self):
        self.opened_and_erased()
        self.submit("four")
        self.assertEqual(chain_verify(school=self.school), [])
        self.assertEqual(audit_verify(school=self.school), [])
        later = self.box_open()
        self.assertEqual(later.damage, [])
        self.assertEqual(later.online_count, 1)

    def test_an_altered_digest_of_an_erased_appeal_is_caught(self):
        _, second = self.opened_and_erased()
        SealedAppeal.objects.filter(pk=second.pk).update(ciphertext_digest=b"\x01" * 32)
        self.assertEqual(chain_verify(school=self.school), [ChainDamage(2, "altered")])

    def test_a_ciphertext_put_back_beside_the_digest_is_caught(self):
        _, second = self.opened_and_erased()
        SealedAppeal.objects.filter(pk=second.pk).update(ciphertext=b"\x02" * 64)
        self.assertEqual(chain_verify(school=self.school), [ChainDamage(2, "altered")])

    def test_a_digest_put_on_an_appeal_that_was_not_erased_is_caught(self):
        self.submit("one", "two")
        row = SealedAppeal.objects.get(school=self.school, seq=1)
        digest = crypto.ciphertext_digest(bytes(row.ciphertext))
        SealedAppeal.objects.filter(pk=row.pk).update(ciphertext_digest=digest)
        self.assertEqual(chain_verify(school=self.school), [ChainDamage(1, "altered")])

    def test_an_appeal_erased_in_the_database_in_the_box_is_named_and_never_opened(self):
        self.submit("one", "two", "three")
        row = SealedAppeal.objects.get(school=self.school, seq=2)
        digest = crypto.ciphertext_digest(bytes(row.ciphertext))
        SealedAppeal.objects.filter(pk=row.pk).update(ciphertext=b"", ciphertext_digest=digest)
        # The chain holds (the digest is the right one), but the log has no erasure of it.
        self.assertEqual(chain_verify(school=self.school), [])
        self.assertIn(
            ChainBreak(0, "record", target=f"box.sealedappeal:{row.pk}"),
            audit_verify(school=self.school),
        )
        with mock.patch.object(BoxOpener, "open", autospec=True, side_effect=BoxOpener.open) as op:
            opening = self.box_open()
        self.assertEqual(opening.damage, [{"seq": 2, "what": "erased"}])
        self.assertEqual(opening.online_count, 2)
        self.assertEqual(op.call_count, 2)
        self.assertNotIn(b"", [call.args[1] for call in op.call_args_list])

    def test_the_writers_receipt_still_finds_an_erased_appeal(self):
        receipts, _ = self.opened_and_erased()
        response = self.client.post(
            reverse("box:status", args=[self.school.slug]),
            {"code": receipts[1].code},
            REMOTE_ADDR="192.0.2.77",
        )
        self.assertContains(response, "Taken out of the box")

    def test_an_appeal_in_the_box_or_erased_before_is_not_erased(self):
        (receipt,) = self.submit("one")
        with self.assertRaises(StillInTheBox):
            sealed_appeal_erase(sealed_appeal=receipt.sealed, reason="test")
        self.assertTrue(bytes(SealedAppeal.objects.get(pk=receipt.sealed.pk).ciphertext))
        _, second = self.opened_and_erased()
        with self.assertRaises(AlreadyErased):
            sealed_appeal_erase(sealed_appeal=second, reason="test")
        self.assertEqual(AuditEntry.objects.filter(action=BoxAction.ERASE.value).count(), 1)
