"""Opening many appeals: one pass, batched statements, one registry key agreement per opening."""

from unittest import mock

from django.db import connection
from django.test.utils import CaptureQueriesContext

from trustbox.box.chain import chain_verify
from trustbox.box.envelope import Envelope, Writer
from trustbox.box.models import SealedAppeal
from trustbox.box.services import appeal_submit
from trustbox.openings.gathering import opening_code, opening_join, opening_start
from trustbox.openings.models import Opening
from trustbox.openings.services import opening_open
from trustbox.registry.keys import registry_unlock
from trustbox.registry.models import Appeal, ContentFormat, Status
from trustbox.registry.services import appeal_read, appeal_register
from trustbox.seal import crypto
from trustbox.test import PASSWORD, SealedBoxTestCase


def envelope(number, **kwargs):
    return Envelope(kind="complaint", category="bullying", text=f"appeal {number}", **kwargs)


class OpeningAtScaleTestCase(SealedBoxTestCase):
    def submit(self, count, start=0):
        for number in range(start, start + count):
            appeal_submit(school=self.school, envelope=envelope(number))

    def gathered(self):
        opening, key = opening_start(school=self.school, by=self.members[0])
        for member in self.members[:3]:
            opening_join(
                opening=opening,
                member=member,
                password=PASSWORD,
                session_code=opening_code(opening),
            )
        return opening, key

    def open(self):
        opening, key = self.gathered()
        return opening_open(opening=opening, by=self.members[0], browser_key=key)

    def registry_private(self):
        return registry_unlock(school=self.school, user=self.members[0], password=PASSWORD)

    def test_every_appeal_of_an_opening_is_sealed_with_one_key_of_that_opening(self):
        self.submit(3)
        first = self.open()
        self.submit(2, start=3)
        second = self.open()
        keys = {}
        for opening in (first, second):
            contents = [
                bytes(appeal.sealed_content) for appeal in Appeal.objects.filter(opening=opening)
            ]
            self.assertEqual(len({c[:32] for c in contents}), 1)
            keys[opening.pk] = contents[0][:32]
            # A random nonce for each appeal.
            self.assertEqual(len({c[32:56] for c in contents}), len(contents))
        self.assertNotEqual(keys[first.pk], keys[second.pk])
        private = self.registry_private()
        texts = sorted(
            appeal_read(
                appeal=appeal, by=self.members[0], purpose="test", registry_private=private
            ).text
            for appeal in Appeal.objects.all()
        )
        self.assertEqual(texts, [f"appeal {n}" for n in range(5)])
        self.assertEqual(
            set(Appeal.objects.values_list("content_format", flat=True)),
            {ContentFormat.OPENING_SEALER},
        )

    def test_appeals_sealed_as_before_and_as_now_both_open_and_register(self):
        appeal_submit(school=self.school, envelope=envelope(0, writer=Writer(name="Aibek")))
        self.submit(1, start=1)
        self.open()
        old, new = Appeal.objects.order_by("number_in_act")
        private = self.registry_private()
        # The first as an opening sealed it before November 2026: a sealed box.
        plaintext = crypto.open_with_registry_key(private, bytes(old.sealed_content))
        old.sealed_content = crypto.seal_for_box(bytes(old.registry_key.public_key), plaintext)
        old.content_format = ContentFormat.SEALED_BOX
        old.save()
        for appeal, text in ((old, "appeal 0"), (new, "appeal 1")):
            with self.subTest(format=appeal.content_format):
                read = appeal_read(
                    appeal=appeal, by=self.members[0], purpose="test", registry_private=private
                )
                self.assertEqual(read.text, text)
                registered = appeal_register(
                    appeal=appeal,
                    by=self.members[0],
                    registry_private=private,
                    kind=appeal.kind,
                    category=appeal.category,
                    urgent=appeal.urgent,
                )
                self.assertEqual(registered.status, Status.REGISTERED)
                self.assertEqual(registered.content_format, ContentFormat.SEALED_BOX)
                again = appeal_read(
                    appeal=registered, by=self.members[0], purpose="test", registry_private=private
                )
                self.assertEqual(again.text, text)
        self.assertEqual(Appeal.objects.get(pk=old.pk).signed, True)

    def test_an_opening_makes_as_many_statements_for_forty_appeals_as_for_ten(self):
        self.submit(1)
        self.open()  # the first opening makes the registry key
        counts = []
        for count in (10, 40):
            self.submit(count)
            opening, key = self.gathered()
            with CaptureQueriesContext(connection) as statements:
                opening_open(opening=opening, by=self.members[0], browser_key=key)
            counts.append(len(statements.captured_queries))
            self.assertEqual(Appeal.objects.filter(opening=opening).count(), count)
        self.assertEqual(counts[0], counts[1])
        self.assertFalse(SealedAppeal.objects.in_box().exists())

    def test_the_chain_is_checked_in_the_same_pass(self):
        self.submit(4)
        SealedAppeal.objects.filter(seq=2).update(urgent=True)  # the link no longer holds
        opening = self.open()
        self.assertEqual(opening.damage, [{"seq": 2, "what": "altered"}])
        self.assertEqual(opening.online_count, 4)
        self.assertEqual(chain_verify(school=self.school)[0].seq, 2)

    def test_an_opening_that_fails_halfway_leaves_every_appeal_in_the_box_once(self):
        self.submit(12)
        opening, key = self.gathered()
        with (
            mock.patch("trustbox.registry.intake.STORED_AT_ONCE", 5),
            mock.patch(
                "trustbox.openings.takeout.sealed_mark_opened",
                side_effect=RuntimeError("the server stopped here"),
            ),
            self.assertRaises(RuntimeError),
        ):
            opening_open(opening=opening, by=self.members[0], browser_key=key)
        # Rolled back whole: nothing in the registry, everything still in the box, the
        # gathering still there with its parts, to open again.
        self.assertFalse(Appeal.objects.exists())
        self.assertEqual(SealedAppeal.objects.in_box().count(), 12)
        opening.refresh_from_db()
        self.assertEqual(opening.status, Opening.Status.GATHERING)
        self.assertTrue(all(bytes(p.sealed_share) for p in opening.participants.all()))
        opened = opening_open(opening=opening, by=self.members[0], browser_key=key)
        self.assertEqual(opened.online_count, 12)
        self.assertEqual(opened.damage, [])
        self.assertEqual(
            sorted(Appeal.objects.values_list("sealed_appeal__seq", flat=True)), list(range(1, 13))
        )
        self.assertFalse(SealedAppeal.objects.in_box().exists())

    def test_an_opening_stores_appeals_while_it_still_reads_the_box(self):
        self.submit(12)
        opening, key = self.gathered()
        with (
            mock.patch("trustbox.box.chain.ROWS_AT_ONCE", 5),
            mock.patch("trustbox.registry.intake.STORED_AT_ONCE", 4),
            CaptureQueriesContext(connection) as statements,
        ):
            opened = opening_open(opening=opening, by=self.members[0], browser_key=key)
        order = [
            "read" if "FROM box_sealedappeal" in sql else "store"
            for sql in (query["sql"] for query in statements.captured_queries)
            if "FROM box_sealedappeal" in sql or 'INSERT INTO "registry_appeal"' in sql
        ]
        # Streamed: the first appeals are stored before the last of the box is read, so that
        # only a batch of plaintexts is ever held.
        # Appeals put back before the last opening's checkpoint (none), then three batches.
        self.assertEqual(order.count("read"), 4)
        self.assertEqual(order.count("store"), 3)
        self.assertLess(order.index("store"), len(order) - 1 - order[::-1].index("read"))
        self.assertEqual(opened.online_count, 12)
        self.assertEqual(opened.damage, [])
        self.assertEqual(
            list(
                Appeal.objects.order_by("number_in_act").values_list(
                    "sealed_appeal__seq", flat=True
                )
            ),
            list(range(1, 13)),
        )
        self.assertFalse(SealedAppeal.objects.in_box().exists())

    def test_damage_across_batches_is_named_once_each(self):
        self.submit(12)
        SealedAppeal.objects.filter(seq=5).update(urgent=True)
        SealedAppeal.objects.filter(seq=11).delete()
        with mock.patch("trustbox.box.chain.ROWS_AT_ONCE", 5):
            opening = self.open()
        self.assertEqual(
            opening.damage,
            [{"seq": 5, "what": "altered"}, {"seq": 11, "what": "missing"}],
        )
        self.assertEqual(opening.online_count, 11)
