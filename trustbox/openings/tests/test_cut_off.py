"""An opening's cut-off is a day: nothing stored tells if a writer of its day came before it."""

import datetime
from unittest import mock

from django.conf import settings
from django.core.cache import cache
from django.db import transaction
from django.test import override_settings
from django.urls import reverse
from django.utils import timezone

from trustbox.audit.models import AuditEntry
from trustbox.box.envelope import Envelope
from trustbox.box.models import Box, SealedAppeal
from trustbox.box.services import appeal_submit
from trustbox.openings.checkpoint import check_cut_off_is_a_day
from trustbox.openings.gathering import opening_code, opening_join, opening_start
from trustbox.openings.services import opening_open, paper_appeal_add
from trustbox.registry.models import Appeal
from trustbox.test import PASSWORD, SealedBoxTestCase


def envelope(text, urgent=False):
    return Envelope(kind="complaint", category="bullying", text=text, urgent=urgent)


def on_day(day):
    """Everything the box dates happens on that day."""
    return mock.patch("django.utils.timezone.localdate", return_value=day)


@override_settings(OPENING_TAKES_ITS_OWN_DAY=False)
class DayCutOffTestCase(SealedBoxTestCase):
    def setUp(self):
        super().setUp()
        cache.clear()
        self.client.cookies.load({settings.LANGUAGE_COOKIE_NAME: "en"})
        self.today = timezone.localdate()
        self.yesterday = self.today - datetime.timedelta(days=1)

    def submit(self, text, urgent=False):
        return appeal_submit(school=self.school, envelope=envelope(text, urgent))

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

    def open(self, gathering=None):
        opening, key = gathering or self.gathered()
        return opening_open(opening=opening, by=self.members[0], browser_key=key)

    def status(self, receipt):
        return self.client.post(
            reverse("box:status", args=[self.school.slug]),
            {"code": receipt.code},
            REMOTE_ADDR="192.0.2.78",
        )

    def test_an_opening_leaves_the_appeals_of_its_own_day_for_the_next_one(self):
        with on_day(self.yesterday):
            older = [self.submit("one"), self.submit("two")]
        first_today = self.submit("three")
        urgent = self.submit("four", urgent=True)
        last_today = self.submit("five")
        gathering = self.gathered()
        paper = paper_appeal_add(opening=gathering[0], by=self.members[0], envelope=envelope("p"))
        opening = self.open(gathering)

        taken = set(Appeal.objects.values_list("sealed_appeal__seq", flat=True))
        self.assertEqual(taken, {1, 2, urgent.sealed.seq, paper.seq})
        self.assertEqual((opening.online_count, opening.paper_count), (3, 1))
        # Its place in the box is the last appeal of the days before, not the moment.
        self.assertEqual(opening.to_seq, 2)
        self.assertEqual(bytes(opening.new_head), bytes(older[1].sealed.chain_hash))
        self.assertEqual(opening.beyond, [urgent.sealed.seq, paper.seq])
        self.assertEqual(opening.damage, [])
        for receipt in (first_today, last_today):
            self.assertContains(self.status(receipt), "In the box, not yet opened.")
        self.assertContains(self.status(older[0]), "Taken out of the box")

        # The next day the next opening takes them, and finds nothing wrong.
        with on_day(self.today + datetime.timedelta(days=1)):
            second = self.open()
        self.assertEqual((second.damage, second.online_count), ([], 2))
        self.assertEqual((second.from_seq, second.to_seq), (2, 6))
        self.assertEqual(SealedAppeal.objects.in_box().count(), 0)

    def stored(self, opening):
        """What the database keeps of the box and the opening, but random bytes."""
        rows = list(
            SealedAppeal.objects.filter(school=self.school)
            .order_by("seq")
            .values_list("seq", "received_on", "urgent", "paper", "opened", "set_aside")
        )
        heads = {row.seq: bytes(row.chain_hash) for row in SealedAppeal.objects.all()}
        details = AuditEntry.objects.get(action="opening.open").details
        box = Box.objects.get(school=self.school)
        opening.refresh_from_db()
        return {
            "rows": rows,
            "box": (box.count, box.opened_to),
            "opening": (
                opening.from_seq,
                opening.to_seq,
                heads.get(opening.to_seq) == bytes(opening.new_head),
                opening.beyond,
                opening.damage,
                opening.online_count,
                opening.paper_count,
            ),
            "registry": sorted(Appeal.objects.values_list("sealed_appeal__seq", "received_on")),
            "logged": {k: v for k, v in details.items() if k not in {"seal", "head", "present"}},
        }

    def world(self, *, before_the_opening):
        """Yesterday's appeal, the opening, and today's appeal before or after it; undone."""
        with transaction.atomic():
            with on_day(self.yesterday):
                self.submit("yesterday")
            if before_the_opening:
                self.submit("today")
            opening = self.open()
            if not before_the_opening:
                self.submit("today")
            found = self.stored(opening)
            transaction.set_rollback(True)
        return found

    def test_nothing_stored_tells_whether_a_writer_of_its_day_came_before_or_after_it(self):
        before = self.world(before_the_opening=True)
        after = self.world(before_the_opening=False)
        self.assertEqual(before, after)
        # Not a comparison of two empty worlds: the appeal of the day is in both, in the box.
        self.assertEqual(before["rows"][1], (2, self.today, False, False, False, False))
        self.assertEqual(before["opening"][1:3], (1, True))


class CutOffSettingTestCase(SealedBoxTestCase):
    def test_the_system_check_warns_when_openings_take_their_own_day(self):
        with override_settings(OPENING_TAKES_ITS_OWN_DAY=True):
            self.assertEqual([m.id for m in check_cut_off_is_a_day()], ["trustbox.W011"])
        with override_settings(OPENING_TAKES_ITS_OWN_DAY=False):
            self.assertEqual(check_cut_off_is_a_day(), [])
