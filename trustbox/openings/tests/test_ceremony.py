from django.core.exceptions import ValidationError

from trustbox.audit.models import AuditEntry
from trustbox.box.envelope import Envelope, Writer
from trustbox.box.models import SealedAppeal
from trustbox.box.services import appeal_submit
from trustbox.openings.gathering import (
    opening_cancel,
    opening_code,
    opening_join,
    opening_progress,
    opening_start,
)
from trustbox.openings.models import Opening
from trustbox.openings.services import (
    opening_confirm_seal,
    opening_open,
    paper_appeal_add,
    seal_code,
)
from trustbox.registry.keys import registry_unlock
from trustbox.registry.models import Appeal, Source
from trustbox.registry.services import appeal_read
from trustbox.test import PASSWORD, SealedBoxTestCase


def envelope(text, **kwargs):
    return Envelope(kind="complaint", category="bullying", text=text, **kwargs)


class OpeningCeremonyTestCase(SealedBoxTestCase):
    def start(self):
        return opening_start(school=self.school, by=self.members[0])

    def gather(self, opening, members):
        for member in members:
            opening_join(
                opening=opening,
                member=member,
                password=PASSWORD,
                session_code=opening_code(opening),
            )

    def test_fewer_members_than_the_threshold_never_open_the_box(self):
        appeal_submit(school=self.school, envelope=envelope("one"))
        opening, key = self.start()
        self.gather(opening, self.members[:2])
        self.assertEqual(opening_progress(opening).still_needed, 1)
        with self.assertRaises(ValidationError):
            opening_open(opening=opening, by=self.members[0], browser_key=key)
        self.assertFalse(Appeal.objects.exists())
        self.assertFalse(SealedAppeal.objects.get().opened)

    def test_a_wrong_password_does_not_join(self):
        opening, _key = self.start()
        with self.assertRaises(ValidationError):
            opening_join(
                opening=opening,
                member=self.members[1],
                password="guess",
                session_code=opening_code(opening),
            )
        self.assertEqual(opening_progress(opening).present, [])

    def test_someone_outside_the_commission_cannot_join(self):
        opening, _key = self.start()
        with self.assertRaises(ValidationError):
            opening_join(
                opening=opening,
                member=self.teacher,
                password=PASSWORD,
                session_code=opening_code(opening),
            )

    def test_the_quorum_opens_the_box_and_the_appeals_move_to_the_registry(self):
        appeal_submit(school=self.school, envelope=envelope("mocked at breaks"))
        appeal_submit(
            school=self.school,
            envelope=envelope("cold food", writer=Writer(name="Nazira", contact="+996 555")),
        )
        opening, key = self.start()
        self.gather(opening, self.members[1:4])
        paper_appeal_add(opening=opening, by=self.members[1], envelope=envelope("a paper note"))
        opened = opening_open(
            opening=opening, by=self.members[0], browser_key=key, box_note="seals intact"
        )

        self.assertEqual(opened.status, Opening.Status.OPENED)
        self.assertEqual(opened.journal_number, 1)
        self.assertEqual((opened.online_count, opened.paper_count), (2, 1))
        self.assertEqual(opened.damage, [])
        self.assertRegex(seal_code(opened), r"^[0-9A-F]{4}-[0-9A-F]{4}-[0-9A-F]{4}$")
        self.assertFalse(SealedAppeal.objects.in_box().exists())
        appeals = list(Appeal.objects.order_by("number_in_act"))
        self.assertEqual([a.source for a in appeals], [Source.ONLINE, Source.ONLINE, Source.PAPER])
        self.assertEqual([a.signed for a in appeals], [False, True, False])

        private = registry_unlock(school=self.school, user=self.members[4], password=PASSWORD)
        texts = [
            appeal_read(appeal=a, registry_private=private, by=self.members[4], purpose="test").text
            for a in appeals
        ]
        self.assertEqual(texts, ["mocked at breaks", "cold food", "a paper note"])
        self.assertEqual(AuditEntry.objects.filter(action="appeal.read").count(), 3)
        self.assertEqual(bytes(opened.session_private_locked), b"")

    def test_the_box_opens_only_where_the_opening_was_started(self):
        opening, _key = self.start()
        self.gather(opening, self.members[:3])
        with self.assertRaises(ValidationError):
            opening_open(opening=opening, by=self.members[0], browser_key=b"\x00" * 32)

    def test_appeals_that_arrive_after_the_opening_wait_for_the_next_one(self):
        appeal_submit(school=self.school, envelope=envelope("first"))
        opening, key = self.start()
        self.gather(opening, self.members[:3])
        first = opening_open(opening=opening, by=self.members[0], browser_key=key)
        appeal_submit(school=self.school, envelope=envelope("second"))
        self.assertEqual(SealedAppeal.objects.in_box().count(), 1)

        opening, key = self.start()
        self.gather(opening, self.members[2:5])
        second = opening_open(opening=opening, by=self.members[2], browser_key=key)
        self.assertEqual(second.journal_number, 2)
        self.assertEqual(second.online_count, 1)
        self.assertEqual(second.damage, [])
        self.assertEqual(second.from_seq, first.to_seq)

    def test_an_opening_with_no_appeals_still_gets_its_journal_line(self):
        opening, key = self.start()
        self.gather(opening, self.members[:3])
        opened = opening_open(opening=opening, by=self.members[0], browser_key=key)
        self.assertEqual((opened.journal_number, opened.appeal_count), (1, 0))

    def test_tampering_since_the_last_opening_is_reported_as_damage(self):
        opening, key = self.start()
        self.gather(opening, self.members[:3])
        opening_open(opening=opening, by=self.members[0], browser_key=key)
        for text in ("a", "b", "c"):
            appeal_submit(school=self.school, envelope=envelope(text))
        victim = SealedAppeal.objects.get(seq=2)
        SealedAppeal.objects.filter(pk=victim.pk).update(received_on="2020-01-01")

        opening, key = self.start()
        self.gather(opening, self.members[:3])
        opened = opening_open(opening=opening, by=self.members[0], browser_key=key)
        self.assertEqual(opened.damage, [{"seq": 2, "what": "altered"}])

    def test_members_present_confirm_the_new_seal(self):
        opening, key = self.start()
        self.gather(opening, self.members[:3])
        opened = opening_open(opening=opening, by=self.members[0], browser_key=key)
        opening_confirm_seal(opening=opened, member=self.members[1])
        self.assertEqual(
            list(opened.participants.filter(confirmed_seal=True).values_list("member", flat=True)),
            [self.members[1].pk],
        )
        with self.assertRaises(ValidationError):
            opening_confirm_seal(opening=opened, member=self.members[4])

    def test_only_one_opening_gathers_at_a_time_and_it_can_be_cancelled(self):
        opening, _key = self.start()
        with self.assertRaises(ValidationError):
            self.start()
        opening_cancel(opening=opening, by=self.members[0])
        self.start()


class WriterSeesTheOpeningTestCase(SealedBoxTestCase):
    def test_the_receipt_shows_the_appeal_was_taken_out(self):
        from django.conf import settings
        from django.urls import reverse

        receipt = appeal_submit(school=self.school, envelope=envelope("hello"))
        self.box_open()
        self.client.cookies.load({settings.LANGUAGE_COOKIE_NAME: "en"})
        response = self.client.post(reverse("box:status", args=["alatoo"]), {"code": receipt.code})
        self.assertContains(response, "Taken out of the box by the commission.")


class UnreadableAppealTestCase(SealedBoxTestCase):
    def open_box(self):
        return self.box_open()

    def test_an_appeal_that_does_not_open_is_named_once_then_set_aside_with_its_evidence(self):
        from trustbox.box.selectors import box_contents
        from trustbox.openings.records import act_data

        for text in ("a", "b", "c"):
            appeal_submit(school=self.school, envelope=envelope(text))
        damaged = SealedAppeal.objects.get(seq=2)
        garbage = b"\x00" * len(bytes(damaged.ciphertext))
        SealedAppeal.objects.filter(pk=damaged.pk).update(ciphertext=garbage)

        first = self.open_box()
        self.assertIn({"seq": 2, "what": "unreadable"}, first.damage)
        self.assertEqual(first.online_count, 2)
        private = registry_unlock(school=self.school, user=self.members[0], password=PASSWORD)
        act = act_data(opening=first, registry_private=private, by=self.members[0], language="en")
        self.assertIn(
            "Appeal № 2 could not be opened with the box key; it is kept aside as evidence.",
            act.damage,
        )

        appeal_submit(school=self.school, envelope=envelope("d"))
        second = self.open_box()
        self.assertEqual((second.damage, second.online_count), ([], 1))
        kept = SealedAppeal.objects.get(pk=damaged.pk)
        self.assertEqual(bytes(kept.ciphertext), garbage)
        self.assertEqual(bytes(kept.chain_hash), bytes(damaged.chain_hash))
        self.assertEqual((kept.set_aside, kept.opened), (True, False))
        self.assertFalse(Appeal.objects.filter(sealed_appeal=kept).exists())
        self.assertEqual(box_contents(self.school).waiting, 0)
