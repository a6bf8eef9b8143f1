import datetime

from django.core.exceptions import ValidationError

from trustbox.box.envelope import Envelope
from trustbox.box.services import appeal_submit
from trustbox.commission.services import commission_appoint
from trustbox.openings.gathering import opening_code, opening_join, opening_start, reserve_share_add
from trustbox.openings.models import Opening
from trustbox.openings.renewal import rekey_finish
from trustbox.openings.services import opening_open
from trustbox.registry.keys import registry_unlock
from trustbox.registry.models import Appeal
from trustbox.registry.services import appeal_read
from trustbox.seal import crypto
from trustbox.seal.models import BoxKey, KeyShare
from trustbox.seal.services import box_key_create, member_key_reset, member_key_set, share_unlock
from trustbox.test import PASSWORD, SealedBoxTestCase, make_person


class KeyLifecycleTestCase(SealedBoxTestCase):
    def gather(self, members, purpose=Opening.Purpose.REKEY, reserve=()):
        opening, key = opening_start(school=self.school, by=self.members[0], purpose=purpose)
        for member in members:
            opening_join(
                opening=opening,
                member=member,
                password=PASSWORD,
                session_code=opening_code(opening),
            )
        for words in reserve:
            reserve_share_add(opening=opening, by=self.members[0], words=words)
        return opening, key

    def test_a_new_commission_gets_a_new_key_from_a_quorum_of_the_old_one(self):
        appeal_submit(
            school=self.school, envelope=Envelope(kind="message", category="other", text="before")
        )
        newcomers = [make_person(self.school, f"new{i}") for i in range(2)]
        commission_appoint(
            school=self.school,
            by=self.director,
            order_number="20",
            order_date=datetime.date(2026, 11, 1),
            members=[self.members[0], self.members[1], self.parent, *newcomers],
            parents_representative=self.parent,
            responsible=self.members[0],
        )
        for person in newcomers:
            member_key_set(user=person, password=PASSWORD, school=self.school)
        with self.assertRaises(ValidationError):
            box_key_create(school=self.school, by=self.members[0])

        opening, key = self.gather(self.members[2:5])
        new_key, reserve = rekey_finish(opening=opening, by=self.members[0], browser_key=key)
        self.assertNotEqual(bytes(new_key.public_key), bytes(self.box_key.public_key))
        self.assertEqual(BoxKey.objects.current(self.school), new_key)
        self.assertEqual(len(reserve), 2)
        self.assertFalse(new_key.shares.filter(holder=self.members[2]).exists())

        # The appeal sealed under the old key opens with the new commission's quorum.
        opening, key = self.gather([self.members[0], *newcomers], purpose=Opening.Purpose.OPEN)
        opened = opening_open(opening=opening, by=self.members[0], browser_key=key)
        self.assertEqual((opened.online_count, opened.damage), (1, []))
        private = registry_unlock(school=self.school, user=newcomers[0], password=PASSWORD)
        self.assertEqual(
            appeal_read(
                appeal=Appeal.objects.get(), registry_private=private, by=newcomers[0], purpose="t"
            ).text,
            "before",
        )

    def test_a_member_who_forgot_the_password_gets_a_new_share_from_a_quorum(self):
        forgetful = self.members[3]
        forgetful.set_password("a brand new password")
        forgetful.save()
        member_key_reset(user=forgetful, password="a brand new password", school=self.school)
        self.assertFalse(KeyShare.objects.filter(box_key=self.box_key, holder=forgetful).exists())

        opening, key = self.gather(self.members[:3])
        new_key, _reserve = rekey_finish(opening=opening, by=self.members[0], browser_key=key)
        self.assertNotEqual(bytes(new_key.public_key), bytes(self.box_key.public_key))
        share = share_unlock(box_key=new_key, user=forgetful, password="a brand new password")
        others = [
            share_unlock(box_key=new_key, user=m, password=PASSWORD) for m in self.members[:2]
        ]
        private = crypto.combine_box_key([share, *others])
        self.assertEqual(crypto.box_public_from_private(private), bytes(new_key.public_key))
        # The old reserve parts no longer combine with the new shares.
        with self.assertRaises(crypto.SealError):
            crypto.combine_box_key([share, *self.reserve])

    def test_the_reserve_parts_and_one_member_recover_the_box(self):
        opening, key = self.gather(self.members[:1], reserve=self.reserve)
        new_key, _reserve = rekey_finish(opening=opening, by=self.members[0], browser_key=key)
        self.assertNotEqual(bytes(new_key.public_key), bytes(self.box_key.public_key))
        self.assertEqual(new_key.shares.count(), 5)

    def test_a_mistyped_reserve_part_is_refused(self):
        opening, _key = self.gather(self.members[:1])
        words = self.reserve[0].split()
        words[5] = "zebra" if words[5] != "zebra" else "academic"
        with self.assertRaises(ValidationError):
            reserve_share_add(opening=opening, by=self.members[0], words=" ".join(words))

    def test_two_members_are_not_a_quorum_for_renewal(self):
        opening, key = self.gather(self.members[:2])
        with self.assertRaises(ValidationError):
            rekey_finish(opening=opening, by=self.members[0], browser_key=key)
