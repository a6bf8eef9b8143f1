from django.conf import settings
from django.core.cache import cache
from django.test import override_settings
from django.urls import reverse

from trustbox.box.chain import chain_verify
from trustbox.box.envelope import Envelope
from trustbox.box.models import Box, SealedAppeal
from trustbox.box.services import ChainDamage, appeal_submit
from trustbox.box.tests.helpers import CLIENT_IP
from trustbox.test import SealedBoxTestCase


def envelope(text="hello", urgent=False):
    return Envelope(kind="message", category="other", text=text, urgent=urgent)


class ReceiptStatusTestCase(SealedBoxTestCase):
    url = reverse("box:status", args=["alatoo"])

    def setUp(self):
        cache.clear()
        self.client.cookies.load({settings.LANGUAGE_COOKIE_NAME: "en"})

    def check(self, code, address=CLIENT_IP):
        return self.client.post(self.url, {"code": code}, REMOTE_ADDR=address)

    def test_the_receipt_shows_the_appeal_is_in_the_box(self):
        receipt = appeal_submit(school=self.school, envelope=envelope())
        response = self.check(receipt.code.replace("-", " "))
        self.assertContains(response, "In the box, not yet opened.")

    def test_a_wrong_code_tells_nothing(self):
        appeal_submit(school=self.school, envelope=envelope())
        for code in ("0000-0000-0000-0000", "12", "not a code"):
            response = self.check(code)
            self.assertContains(response, "No appeal has this code")
            self.assertNotContains(response, "In the box")

    def test_the_code_of_another_school_does_not_work_here(self):
        receipt = appeal_submit(school=self.school, envelope=envelope())
        response = self.client.post(reverse("box:status", args=["other"]), {"code": receipt.code})
        self.assertContains(response, "No appeal has this code")

    @override_settings(RECEIPT_TRIES_PER_CLIENT_HOUR=3)
    def test_guessing_is_throttled_even_for_a_right_code(self):
        receipt = appeal_submit(school=self.school, envelope=envelope())
        for _ in range(3):
            self.check("1111-1111-1111-1111")
        response = self.check(receipt.code)
        self.assertContains(response, "Too many tries", status_code=429)
        self.assertNotContains(response, "In the box", status_code=429)
        self.assertContains(
            self.check(receipt.code, address="198.51.100.5"), "In the box, not yet opened."
        )

    def test_the_code_is_asked_for_by_post_so_it_never_sits_in_an_address(self):
        response = self.client.get(self.url)
        self.assertContains(response, 'method="post"')
        self.assertContains(response, 'autocomplete="off"')


class ChainTestCase(SealedBoxTestCase):
    def submit_three(self):
        for text in ("one", "two", "three"):
            appeal_submit(school=self.school, envelope=envelope(text))
        return list(SealedAppeal.objects.order_by("seq"))

    def test_an_untouched_box_verifies(self):
        self.submit_three()
        self.assertEqual(chain_verify(school=self.school), [])

    def test_each_appeal_links_to_the_one_before(self):
        first, second, third = self.submit_three()
        self.assertEqual(bytes(second.prev_hash), bytes(first.chain_hash))
        self.assertEqual(bytes(Box.objects.get(school=self.school).head), bytes(third.chain_hash))

    def test_an_altered_ciphertext_is_detected(self):
        _, second, _ = self.submit_three()
        ciphertext = bytes(second.ciphertext)
        # Flip a bit of the last byte: always a change, whatever the byte was.
        SealedAppeal.objects.filter(pk=second.pk).update(
            ciphertext=ciphertext[:-1] + bytes([ciphertext[-1] ^ 1])
        )
        self.assertEqual(self.damage(), [ChainDamage(2, "altered")])

    def test_an_altered_day_or_urgency_is_detected(self):
        first, _, _ = self.submit_three()
        SealedAppeal.objects.filter(pk=first.pk).update(urgent=True)
        self.assertEqual(self.damage(), [ChainDamage(1, "altered")])

    def damage(self):
        return chain_verify(school=self.school)

    def test_a_deleted_appeal_is_named_missing_and_the_intact_one_after_it_is_not_blamed(self):
        _, second, _ = self.submit_three()
        SealedAppeal.objects.filter(pk=second.pk).delete()
        self.assertEqual(self.damage(), [ChainDamage(2, "missing")])

    def test_two_deleted_appeals_are_each_named_missing(self):
        self.submit_three()
        appeal_submit(school=self.school, envelope=envelope("four"))
        SealedAppeal.objects.filter(seq__in=[2, 3]).delete()
        self.assertEqual(self.damage(), [ChainDamage(2, "missing"), ChainDamage(3, "missing")])

    def test_a_deleted_last_appeal_is_named_missing_by_the_boxs_count(self):
        *_, third = self.submit_three()
        SealedAppeal.objects.filter(pk=third.pk).delete()
        self.assertEqual(self.damage(), [ChainDamage(3, "missing")])

    def test_a_box_row_that_does_not_match_the_last_appeal_is_damage_of_the_head(self):
        self.submit_three()
        Box.objects.filter(school=self.school).update(head=b"\x01" * 32)
        self.assertEqual(self.damage(), [ChainDamage(3, "head")])

    def test_swapped_appeals_are_detected(self):
        first, second, _ = self.submit_three()
        SealedAppeal.objects.filter(pk=first.pk).update(seq=99)
        SealedAppeal.objects.filter(pk=second.pk).update(seq=1)
        SealedAppeal.objects.filter(pk=first.pk).update(seq=2)
        # The place is part of each link, and the third no longer follows the second place.
        self.assertEqual(
            self.damage(),
            [
                ChainDamage(1, "inserted or reordered"),
                ChainDamage(1, "altered"),
                ChainDamage(2, "inserted or reordered"),
                ChainDamage(2, "altered"),
                ChainDamage(3, "inserted or reordered"),
            ],
        )

    def test_a_forged_appeal_after_the_last_is_detected(self):
        first, _, _ = self.submit_three()
        forged = SealedAppeal.objects.get(pk=first.pk)
        forged.pk = None
        forged.seq = 4
        forged.receipt_lookup = None
        forged.save()
        self.assertEqual(self.damage(), [ChainDamage(4, "inserted or reordered")])

    def test_a_forged_appeal_with_the_box_row_moved_on_is_detected(self):
        first, _, _ = self.submit_three()
        forged = SealedAppeal.objects.get(pk=first.pk)
        forged.pk = None
        forged.seq = 4
        forged.receipt_lookup = None
        forged.save()
        Box.objects.filter(school=self.school).update(count=4, head=bytes(forged.chain_hash))
        self.assertEqual(
            self.damage(),
            [ChainDamage(4, "inserted or reordered"), ChainDamage(4, "altered")],
        )

    def test_the_check_from_a_checkpoint_reads_only_what_came_after_it(self):
        _first, second, _third = self.submit_three()
        SealedAppeal.objects.filter(seq=1).delete()
        self.assertEqual(
            chain_verify(school=self.school, since_seq=2, since_head=bytes(second.chain_hash)),
            [],
        )

    def test_a_box_rolled_back_behind_the_checkpoint_is_damage_of_the_head(self):
        _first, second, third = self.submit_three()
        SealedAppeal.objects.filter(pk=third.pk).delete()
        Box.objects.filter(school=self.school).update(count=2, head=bytes(second.chain_hash))
        self.assertEqual(
            chain_verify(school=self.school, since_seq=3, since_head=bytes(third.chain_hash)),
            [ChainDamage(2, "head")],
        )

    def test_removing_the_newest_appeals_and_rolling_back_the_box_passes_this_check(self):
        # What the chain alone cannot see: the digest and the opening's records catch it
        # (trustbox/audit/tests/test_digests.py, trustbox/openings/tests/test_chain_heads.py).
        _first, second, third = self.submit_three()
        SealedAppeal.objects.filter(pk=third.pk).delete()
        Box.objects.filter(school=self.school).update(count=2, head=bytes(second.chain_hash))
        self.assertEqual(self.damage(), [])
