"""An appeal hidden in the database is named as damage, and the log vouches for the opening."""

from django.conf import settings
from django.core.cache import cache
from django.db import connection
from django.urls import reverse

from trustbox.audit.models import AuditEntry
from trustbox.audit.services import ChainBreak, audit_check, audit_verify
from trustbox.box.envelope import Envelope
from trustbox.box.models import Box, SealedAppeal
from trustbox.box.services import appeal_submit
from trustbox.openings import documents
from trustbox.openings.models import Opening
from trustbox.openings.records import act_data
from trustbox.openings.services import seal_code
from trustbox.openings.tests.test_documents import docx_text, pdf_text
from trustbox.registry.keys import registry_unlock
from trustbox.registry.models import Appeal
from trustbox.test import PASSWORD, SealedBoxTestCase

HIDDEN = (
    "Appeal № {} was marked in the database as taken out or set aside, though no opening had "
    "done so; this opening accounted for it."
)


def envelope(text):
    return Envelope(kind="complaint", category="bullying", text=text)


class HiddenAppealsTestCase(SealedBoxTestCase):
    def setUp(self):
        super().setUp()
        cache.clear()
        self.client.cookies.load({settings.LANGUAGE_COOKIE_NAME: "en"})

    def submit(self, *texts):
        return [appeal_submit(school=self.school, envelope=envelope(text)) for text in texts]

    def act_text(self, opening):
        private = registry_unlock(school=self.school, user=self.members[1], password=PASSWORD)
        data = act_data(
            opening=opening, registry_private=private, by=self.members[1], language="en"
        )
        texts = (
            pdf_text(documents.act_pdf(data=data, language="en")),
            docx_text(documents.act_docx(data=data, language="en")),
        )
        return [" ".join(text.split()) for text in texts]

    def status_page(self, receipt):
        return self.client.post(
            reverse("box:status", args=[self.school.slug]),
            {"code": receipt.code},
            REMOTE_ADDR="192.0.2.77",
        )

    def test_appeals_marked_taken_out_and_set_aside_in_the_database_are_named_in_the_act(self):
        receipts = self.submit("one", "two", "three", "four")
        SealedAppeal.objects.filter(school=self.school, seq=2).update(opened=True)
        with connection.cursor() as cursor:
            cursor.execute(
                "UPDATE box_sealedappeal SET set_aside = %s WHERE school_id = %s AND seq = 3",
                [True, self.school.pk],
            )
        opening = self.box_open()
        self.assertIn({"seq": 2, "what": "hidden"}, opening.damage)
        self.assertIn({"seq": 3, "what": "hidden"}, opening.damage)
        for text in self.act_text(opening):
            self.assertIn("The digital seal was found broken", text)
            self.assertIn(HIDDEN.format(2), text)
            self.assertIn(HIDDEN.format(3), text)
        # Accounted for: taken out into the registry with the others.
        self.assertEqual(opening.online_count, 4)
        self.assertEqual(
            set(Appeal.objects.values_list("sealed_appeal__seq", flat=True)), {1, 2, 3, 4}
        )
        self.assertFalse(SealedAppeal.objects.filter(set_aside=True).exists())
        for receipt in receipts[1:3]:
            response = self.status_page(receipt)
            self.assertContains(response, "Taken out of the box by the commission.")
            self.assertNotContains(response, "In the box")

    def test_an_appeal_hidden_after_an_earlier_opening_is_named_at_the_next(self):
        self.submit("one", "two")
        self.box_open()
        receipts = self.submit("three", "four")
        SealedAppeal.objects.filter(school=self.school, seq=4).update(opened=True)
        second = self.box_open()
        self.assertEqual(second.damage, [{"seq": 4, "what": "hidden"}])
        self.assertEqual(second.online_count, 2)
        self.assertNotContains(self.status_page(receipts[1]), "In the box")

    def test_an_appeal_that_does_not_open_is_never_in_the_box_on_its_writers_page(self):
        receipts = self.submit("one", "two")
        damaged = SealedAppeal.objects.get(school=self.school, seq=2)
        SealedAppeal.objects.filter(pk=damaged.pk).update(
            ciphertext=b"\x00" * len(bytes(damaged.ciphertext))
        )
        opening = self.box_open()
        self.assertIn({"seq": 2, "what": "unreadable"}, opening.damage)
        # Even with its flag cleared in the database afterwards, the opening passed it.
        SealedAppeal.objects.filter(pk=damaged.pk).update(set_aside=False)
        response = self.status_page(receipts[1])
        self.assertContains(response, "Not taken out of the box.")
        self.assertNotContains(response, "In the box")
        self.assertContains(self.status_page(receipts[0]), "Taken out of the box")

    def test_an_appeal_not_yet_reached_by_an_opening_is_in_the_box(self):
        self.submit("one")
        self.box_open()
        (later,) = self.submit("two")
        self.assertContains(self.status_page(later), "In the box, not yet opened.")
        self.assertEqual(Box.objects.get(school=self.school).opened_to, 1)

    def test_a_checkpoint_moved_on_in_the_database_is_named_and_what_it_hid_is_taken_out(self):
        self.submit("one", "two")
        first = self.box_open()
        self.submit("three", "four")
        last = SealedAppeal.objects.get(school=self.school, seq=4)
        Opening.objects.filter(pk=first.pk).update(to_seq=4, new_head=bytes(last.chain_hash))
        SealedAppeal.objects.filter(school=self.school, seq__gt=2).update(opened=True)
        second = self.box_open()
        self.assertEqual(
            second.damage,
            [
                {"seq": 4, "what": "checkpoint"},
                {"seq": 3, "what": "hidden"},
                {"seq": 4, "what": "hidden"},
            ],
        )
        self.assertEqual((second.from_seq, second.online_count), (2, 2))
        self.assertEqual(Appeal.objects.count(), 4)

    def test_a_forged_opening_without_an_entry_in_the_log_does_not_move_the_checkpoint(self):
        self.submit("one", "two")
        first = self.box_open()
        self.submit("three")
        last = SealedAppeal.objects.get(school=self.school, seq=3)
        forged = Opening.objects.get(pk=first.pk)
        forged.pk, forged.journal_number = None, 2
        forged.to_seq, forged.new_head = 3, bytes(last.chain_hash)
        forged.save()
        SealedAppeal.objects.filter(school=self.school, seq=3).update(opened=True)
        second = self.box_open()
        self.assertEqual(
            second.damage, [{"seq": 3, "what": "checkpoint"}, {"seq": 3, "what": "hidden"}]
        )
        self.assertEqual(Appeal.objects.filter(sealed_appeal__seq=3).count(), 1)
        # The chain check names the forged opening too: a held opening with no entry.
        self.assertIn(ChainBreak(0, "record"), audit_verify(school=self.school))

    def test_an_appeal_put_back_in_the_box_is_named_and_not_taken_out_twice(self):
        self.submit("one", "two")
        self.box_open()
        SealedAppeal.objects.filter(school=self.school, seq=1).update(opened=False)
        self.submit("three")
        second = self.box_open()
        self.assertEqual(second.damage, [{"seq": 1, "what": "returned"}])
        self.assertEqual(second.online_count, 1)
        self.assertEqual(Appeal.objects.filter(sealed_appeal__seq=1).count(), 1)
        self.assertTrue(SealedAppeal.objects.get(school=self.school, seq=1).opened)


class OpeningVouchedForByTheLogTestCase(SealedBoxTestCase):
    """Point 9: the opening's damage list, counts and place in the box are in its log entry."""

    def setUp(self):
        super().setUp()
        for text in ("one", "two", "three"):
            appeal_submit(school=self.school, envelope=envelope(text))
        SealedAppeal.objects.filter(school=self.school, seq=2).update(urgent=True)
        self.opening = self.box_open()
        self.entry = AuditEntry.objects.get(action="opening.open", school=self.school)

    def test_the_entry_holds_the_damage_list_the_counts_and_the_place(self):
        details = self.entry.details
        self.assertEqual(details["damage"], [{"seq": 2, "what": "altered"}])
        self.assertEqual(details["damage"], self.opening.damage)
        self.assertEqual((details["to_seq"], details["online"]), (3, 3))
        self.assertEqual(details["head"], bytes(self.opening.new_head).hex())
        self.assertEqual(details["seal"], seal_code(self.opening))

    def test_an_untouched_opening_raises_no_alarm(self):
        self.assertEqual(audit_verify(school=self.school), [])
        self.assertTrue(audit_check(school=self.school).whole)

    def test_a_damage_list_changed_in_the_database_is_named_by_the_chain_check(self):
        Opening.objects.filter(pk=self.opening.pk).update(damage=[])
        expected = ChainBreak(self.entry.pk, "record")
        self.assertEqual(audit_verify(school=self.school), [expected])
        self.assertEqual(audit_check(school=self.school).breaks, [expected])

    def test_counts_and_the_place_changed_in_the_database_are_named_too(self):
        for change in ({"online_count": 2}, {"to_seq": 2}, {"journal_number": 7}):
            with self.subTest(change=change):
                Opening.objects.filter(pk=self.opening.pk).update(**change)
                self.assertEqual(
                    audit_verify(school=self.school), [ChainBreak(self.entry.pk, "record")]
                )
                Opening.objects.filter(pk=self.opening.pk).update(
                    online_count=3, to_seq=3, journal_number=1
                )
        self.assertEqual(audit_verify(school=self.school), [])

    def test_an_opening_taken_out_of_the_journal_is_named(self):
        Opening.objects.filter(pk=self.opening.pk).update(status=Opening.Status.CANCELLED)
        self.assertEqual(audit_verify(school=self.school), [ChainBreak(self.entry.pk, "record")])

    def test_the_log_page_names_the_entry_whose_record_changed(self):
        Opening.objects.filter(pk=self.opening.pk).update(damage=[])
        self.login(self.director)
        self.client.cookies.load({settings.LANGUAGE_COOKIE_NAME: "en"})
        response = self.client.get(reverse("audit:log", args=[self.school.slug]))
        self.assertContains(response, "Warning: the chain of the audit log is broken.")
        self.assertContains(
            response,
            f"Entry № {self.entry.pk}: what it vouches for was changed in the database "
            "outside the application (record).",
        )
