"""The way an appeal was written (online, the foyer tablet, paper) reaches the registry sealed."""

from django.core.cache import cache
from django.urls import reverse

from trustbox.box.models import SealedAppeal
from trustbox.box.tests.helpers import appeal_data
from trustbox.registry.models import Appeal, Source
from trustbox.test import SealedBoxTestCase


class ChannelTestCase(SealedBoxTestCase):
    def setUp(self):
        cache.clear()

    def test_an_appeal_written_at_the_foyer_tablet_is_registered_as_such(self):
        self.client.post(reverse("box:appeal", args=["alatoo"]), appeal_data(text="from home"))
        self.client.post(reverse("box:kiosk", args=["alatoo"]), appeal_data(text="in the foyer"))
        self.assertEqual(SealedAppeal.objects.filter(school=self.school).count(), 2)
        self.box_open()
        self.assertEqual(
            list(Appeal.objects.order_by("number_in_act").values_list("source", flat=True)),
            [Source.ONLINE, Source.KIOSK],
        )

    def test_the_box_keeps_no_plain_mark_of_the_tablet(self):
        self.client.post(reverse("box:appeal", args=["alatoo"]), appeal_data(text="from home"))
        self.client.post(reverse("box:kiosk", args=["alatoo"]), appeal_data(text="in the foyer"))
        home, foyer = SealedAppeal.objects.order_by("seq")
        plain = [
            field.attname
            for field in SealedAppeal._meta.concrete_fields
            # Its number, its receipt's lookup and its sealed bytes are each appeal's own.
            if field.attname not in ("id", "seq", "receipt_lookup")
            and not isinstance(getattr(home, field.attname), bytes | memoryview)
        ]
        self.assertIn("paper", plain)
        self.assertEqual(
            [getattr(home, name) for name in plain], [getattr(foyer, name) for name in plain]
        )
