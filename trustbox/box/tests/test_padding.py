"""A sealed envelope's length tells neither where it was written nor much of its size."""

from unittest import mock

from django.core.cache import cache
from django.urls import reverse

from trustbox.box.envelope import KIOSK, ONLINE, Envelope, Writer
from trustbox.box.models import SealedAppeal
from trustbox.box.services import appeal_submit
from trustbox.box.tests.helpers import CLIENT_IP, appeal_data
from trustbox.registry.actions import ReadPurpose
from trustbox.registry.keys import registry_unlock
from trustbox.registry.models import Appeal
from trustbox.registry.services import appeal_read
from trustbox.seal import crypto
from trustbox.test import PASSWORD, SealedBoxTestCase


def sealed_length(receipt) -> int:
    return len(bytes(SealedAppeal.objects.get(pk=receipt.sealed.pk).ciphertext))


class PaddedEnvelopesTestCase(SealedBoxTestCase):
    def setUp(self):
        super().setUp()
        cache.clear()

    def submit(self, text, **kwargs):
        envelope = Envelope(kind="complaint", category="bullying", text=text, **kwargs)
        return appeal_submit(school=self.school, envelope=envelope)

    def test_an_online_and_a_kiosk_appeal_of_the_same_text_seal_to_the_same_length(self):
        for name in ("box:appeal", "box:kiosk"):
            response = self.client.post(
                reverse(name, args=[self.school.slug]),
                appeal_data(text="Мени тыныгууда шылдыңдашат."),
                REMOTE_ADDR=CLIENT_IP,
            )
            self.assertEqual(response.status_code, 200)
        online, kiosk = SealedAppeal.objects.filter(school=self.school).order_by("seq")
        self.assertEqual(len(bytes(online.ciphertext)), len(bytes(kiosk.ciphertext)))
        # Without the padding they would differ by the channel's name inside.
        self.assertNotEqual(len(ONLINE), len(KIOSK))

    def test_texts_of_10_and_400_characters_land_in_the_same_size(self):
        short = self.submit("ы" * 10)
        long = self.submit("ы" * 400, writer=Writer(name="Айгүл Токтогулова", contact="0555"))
        self.assertEqual(sealed_length(short), sealed_length(long))
        # A few sizes, not one: the longest text lands in a larger one.
        longest = self.submit("ы" * 5000)
        self.assertGreater(sealed_length(longest), sealed_length(short))
        self.assertEqual(
            sealed_length(longest) - sealed_length(short),
            crypto.padded_length(10_000) - crypto.padded_length(20),
        )

    def test_the_sizes_are_few(self):
        sizes = {crypto.padded_length(length) for length in range(1, 3 * 1024 * 1024, 1000)}
        self.assertEqual(len(sizes), 7)  # 2, 8, 32, 128, 512 KiB, 2 MiB, then 3 MiB
        self.assertEqual(crypto.padded_length(2 * 1024 * 1024 + 1), 3 * 1024 * 1024)

    def test_a_padded_and_an_unpadded_appeal_come_out_of_the_opening_exactly_as_written(self):
        text = "  Мени шылдыңдашат.\n\nАлар күлөт   \t"
        self.submit(text)
        # An envelope sealed before the padding: the JSON alone.
        with mock.patch.object(crypto, "padded_length", side_effect=lambda length: length):
            old = self.submit(text + " old")
        self.assertLess(sealed_length(old), 2048)
        opening = self.box_open()
        self.assertEqual((opening.online_count, opening.damage), (2, []))
        private = registry_unlock(school=self.school, user=self.members[0], password=PASSWORD)
        texts = [
            appeal_read(
                appeal=appeal,
                registry_private=private,
                by=self.members[0],
                purpose=ReadPurpose.VIEW,
            ).text
            for appeal in Appeal.objects.filter(opening=opening).order_by("number_in_act")
        ]
        self.assertEqual(texts, [text, text + " old"])
        facts = Appeal.objects.filter(opening=opening).values_list("kind", "category")
        self.assertEqual(set(facts), {("complaint", "bullying")})
