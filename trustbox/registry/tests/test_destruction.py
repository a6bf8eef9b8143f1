"""A closed case destroyed by an act: no member's password opens it again (issue 24, point 2)."""

from __future__ import annotations

import base64

from django.conf import settings
from django.core.cache import cache
from django.urls import reverse

from trustbox.audit.models import AuditEntry
from trustbox.audit.services import audit_verify
from trustbox.box.chain import chain_verify
from trustbox.box.envelope import Attachment, Envelope
from trustbox.box.models import SealedAppeal
from trustbox.box.services import appeal_find_by_receipt, appeal_submit
from trustbox.openings.records import act_data
from trustbox.registry.actions import AppealAction
from trustbox.registry.consideration import (
    appeal_close,
    appeal_decide,
    appeal_note_add,
    appeal_reply,
)
from trustbox.registry.destruction import (
    Destroyed,
    DestructionRefused,
    appeal_destroy,
    appeal_destroyed,
    appeals_destroy,
    destruction_reapply,
)
from trustbox.registry.keys import registry_unlock
from trustbox.registry.models import Appeal, CaseGrant, CaseKey, Entry, Status
from trustbox.registry.services import appeal_assign, appeal_file_read
from trustbox.registry.tests.helpers import ANONYMOUS_TEXT, RegistryTestCase
from trustbox.registry.tests.shredding import secrets_readable
from trustbox.registry.writer import writer_message_add, writer_view
from trustbox.reports.district import district_rows, district_view
from trustbox.reports.figures import appeals_between, cube, school_figures
from trustbox.reports.freeze import tallies_freeze
from trustbox.reports.publication import quarter_truth
from trustbox.schools.periods import Quarter
from trustbox.seal.services import member_key_set
from trustbox.test import PASSWORD, make_person

NOTE = "SECRET-note on the case"
REPLY = "SECRET-reply to the writer"
WRITER = "SECRET-the writer wrote back"
LATE_NOTE = "SECRET-note after the renewal"
DECISION = "SECRET-the decision's words"
PHOTO = b"SECRET-photo-bytes"
SECRETS = [ANONYMOUS_TEXT, NOTE, REPLY, WRITER, LATE_NOTE, DECISION]
ACT = "2031/1"


class DestructionTestCase(RegistryTestCase):
    """The anonymous appeal considered to its end: assigned to the teacher, noted, answered
    through the receipt, written back to, its registry key rotated by a new commission (so it
    has a newer case key), decided and closed; the signed one stays open."""

    def setUp(self):
        super().setUp()
        cache.clear()
        self.newcomer = make_person(self.school, "newcomer")
        member_key_set(user=self.newcomer, password=PASSWORD, school=self.school)
        member_key_set(user=self.teacher, password=PASSWORD, school=self.school)
        self.appeal = self.register(self.anonymous)
        self.open_one = self.register(self.signed)
        appeal_assign(
            appeal=self.appeal,
            to=self.teacher,
            by=self.responsible,
            case_private=self.case_private(self.appeal),
        )
        appeal_note_add(appeal=self.appeal, by=self.members[1], text=NOTE)
        appeal_reply(appeal=self.appeal, by=self.responsible, text=REPLY, channel="receipt")
        found = appeal_find_by_receipt(school=self.school, code=self.receipt.code)
        writer_message_add(found=found, text=WRITER)
        self.new_order_and_renewal()
        appeal_note_add(appeal=self.appeal, by=self.members[1], text=LATE_NOTE)
        appeal_decide(appeal=self.appeal, by=self.responsible, outcome="resolved", text=DECISION)
        self.appeal = appeal_close(appeal=self.appeal, by=self.responsible)

    def readable(self):
        return secrets_readable(
            school=self.school, password=PASSWORD, secrets=SECRETS, receipts=[self.receipt.code]
        )

    def test_no_members_password_nor_the_receipt_opens_the_destroyed_case_in_the_database(self):
        # Before: every word of the case opens with the members' passwords (the search works).
        self.assertEqual(self.readable(), SECRETS)
        self.assertTrue(CaseKey.objects.filter(appeal=self.appeal).exists())
        self.assertTrue(CaseGrant.objects.filter(appeal=self.appeal).exists())
        appeal_destroy(appeal=self.appeal, by=self.responsible, act_reference=ACT)
        self.assertEqual(self.readable(), [])
        self.assertFalse(CaseKey.objects.filter(appeal=self.appeal).exists())
        self.assertFalse(CaseGrant.objects.filter(appeal=self.appeal).exists())
        # The open case of the other writer still reads: only the one case went.
        private = registry_unlock(school=self.school, user=self.members[1], password=PASSWORD)
        kept = appeal_file_read(
            appeal=self.open_one, by=self.members[1], purpose="view", registry_private=private
        )
        self.assertEqual(kept.envelope.writer.name, "Nazira Abdykadyrova")

    def test_the_reading_code_paths_find_nothing_to_open(self):
        appeal_destroy(appeal=self.appeal, by=self.responsible, act_reference=ACT)
        appeal = Appeal.objects.get(pk=self.appeal.pk)
        for member in (self.members[1], self.newcomer):
            private = registry_unlock(school=self.school, user=member, password=PASSWORD)
            with self.assertRaisesMessage(Exception, "destroyed"):
                appeal_file_read(appeal=appeal, by=member, purpose="view", registry_private=private)
        sealed = SealedAppeal.objects.get(pk=appeal.sealed_appeal_id)
        self.assertEqual(bytes(sealed.ciphertext), b"")
        found = appeal_find_by_receipt(school=self.school, code=self.receipt.code)
        self.assertIsNone(found.writer_private())
        view = writer_view(found=found)
        self.assertEqual((view.status, view.messages), (Status.CLOSED, []))

    def test_what_stays_is_what_the_journal_and_the_statistics_need(self):
        before = Appeal.objects.get(pk=self.appeal.pk)
        kinds = list(Entry.objects.filter(appeal=before).values_list("kind", "channel"))
        appeal_destroy(appeal=self.appeal, by=self.responsible, act_reference=ACT)
        after = Appeal.objects.get(pk=self.appeal.pk)
        for name in ("number", "kind", "category", "urgent", "signed", "source", "status"):
            self.assertEqual(getattr(after, name), getattr(before, name), name)
        for name in ("received_on", "registered_on", "due_on", "closed_on", "outcome"):
            self.assertEqual(getattr(after, name), getattr(before, name), name)
        self.assertEqual((after.destruction_act, after.destroyed_on is not None), (ACT, True))
        self.assertEqual(
            list(Entry.objects.filter(appeal=after).values_list("kind", "channel")), kinds
        )
        self.assertEqual(bytes(after.sealed_content), b"")
        for name in ("case_public_key", "case_private_sealed", "writer_public_key", "assignee"):
            self.assertIsNone(getattr(after, name), name)
        self.assertFalse(Entry.objects.filter(appeal=after).exclude(sealed_for_case=b"").exists())
        self.assertFalse(
            Entry.objects.filter(appeal=after, sealed_for_writer__isnull=False).exists()
        )

    def test_the_frozen_quarter_and_the_districts_analytics_do_not_change(self):
        quarter = Quarter.of(self.appeal.received_on)
        appeals = appeals_between(
            Appeal.objects.for_school(self.school), quarter.start, quarter.end
        )

        def figures():
            return (
                cube(appeals, as_of=quarter.end),
                school_figures(self.school, quarter.start, quarter.end, as_of=quarter.end),
                district_rows(district_view(self.district, quarter)),
            )

        tallies_freeze(schools=[self.school], quarter=quarter, reason="test")
        frozen, before = quarter_truth(quarter), figures()
        self.assertEqual(before[1]["total"], 2)
        appeal_destroy(appeal=self.appeal, by=self.responsible, act_reference=ACT)
        self.assertEqual(figures(), before)
        self.assertEqual(quarter_truth(quarter).districts, frozen.districts)

    def test_the_destruction_is_audited_without_text_and_every_chain_stays_whole(self):
        appeal_destroy(appeal=self.appeal, by=self.responsible, act_reference=ACT)
        entry = AuditEntry.objects.get(action=AppealAction.DESTROY.value)
        self.assertEqual(entry.target, f"registry.appeal:{self.appeal.pk}")
        self.assertEqual(set(entry.details), {"act", "state"})
        self.assertEqual(audit_verify(school=self.school), [])
        self.assertEqual(chain_verify(school=self.school), [])
        # A destroyed appeal brought back to life in the database is named by the log's check.
        Appeal.objects.filter(pk=self.appeal.pk).update(destroyed_on=None)
        self.assertNotEqual(audit_verify(school=self.school), [])

    def test_the_ledger_hears_of_the_destruction_once_committed_without_content(self):
        heard = []

        def hear(*, record, **kwargs):
            heard.append(record)

        appeal_destroyed.connect(hear, dispatch_uid="test.hear")
        self.addCleanup(appeal_destroyed.disconnect, dispatch_uid="test.hear")
        with self.captureOnCommitCallbacks(execute=True) as callbacks:
            appeal_destroy(appeal=self.appeal, by=self.responsible, act_reference=ACT)
            self.assertEqual(heard, [])
        self.assertTrue(callbacks)
        today = Appeal.objects.get(pk=self.appeal.pk).destroyed_on.isoformat()
        self.assertEqual(heard, [Destroyed("alatoo", self.appeal.number, 1, ACT, today)])

    def test_a_restore_destroys_again_what_the_ledger_lists_and_only_that(self):
        record = Destroyed("alatoo", self.appeal.number, 1, ACT, "2031-01-10")
        self.assertEqual(destruction_reapply(record=record), "done")
        self.assertEqual(self.readable(), [])
        entry = AuditEntry.objects.get(action=AppealAction.DESTROY.value)
        self.assertEqual((entry.actor, entry.details["reapplied"]), (None, True))
        self.assertEqual(destruction_reapply(record=record), "already")
        absent = Destroyed("alatoo", "", 99, ACT, "2031-01-10")
        self.assertEqual(destruction_reapply(record=absent), "absent")
        self.assertIsNone(Appeal.objects.get(pk=self.open_one.pk).destroyed_on)

    def test_an_open_appeal_one_in_the_box_or_one_destroyed_before_is_refused(self):
        with self.assertRaisesMessage(DestructionRefused, "Only a closed appeal"):
            appeal_destroy(appeal=self.open_one, by=self.responsible, act_reference=ACT)
        appeal_destroy(appeal=self.appeal, by=self.responsible, act_reference=ACT)
        with self.assertRaisesMessage(DestructionRefused, "destroyed already"):
            appeal_destroy(appeal=self.appeal, by=self.responsible, act_reference=ACT)
        with self.assertRaisesMessage(DestructionRefused, "Name the act"):
            appeal_destroy(appeal=self.open_one, by=self.responsible, act_reference=" ")
        SealedAppeal.objects.filter(pk=self.open_one.sealed_appeal_id).update(opened=False)
        Appeal.objects.filter(pk=self.open_one.pk).update(status=Status.CLOSED)
        with self.assertRaisesMessage(DestructionRefused, "still in the box"):
            appeal_destroy(appeal=self.open_one, by=self.responsible, act_reference=ACT)
        self.assertEqual(AuditEntry.objects.filter(action=AppealAction.DESTROY.value).count(), 1)

    def test_an_act_that_lists_a_case_it_may_not_destroy_destroys_none(self):
        with self.assertRaises(DestructionRefused):
            appeals_destroy(
                appeals=[self.appeal, self.open_one], by=self.responsible, act_reference=ACT
            )
        self.assertIsNone(Appeal.objects.get(pk=self.appeal.pk).destroyed_on)
        self.assertNotEqual(
            bytes(SealedAppeal.objects.get(seq=1, school=self.school).ciphertext), b""
        )

    def test_the_pages_show_a_destroyed_case_without_its_content(self):
        appeal_destroy(appeal=self.appeal, by=self.responsible, act_reference=ACT)
        self.client.cookies.load({settings.LANGUAGE_COOKIE_NAME: "en"})
        self.login(self.responsible)
        listed = self.client.get(reverse("registry:list", args=[self.school.slug]))
        self.assertContains(listed, "destroyed by an act", count=1)
        page = self.client.get(reverse("registry:detail", args=[self.school.slug, self.appeal.pk]))
        self.assertContains(page, f"destroyed by the act of destruction {ACT}")
        self.assertContains(page, self.appeal.number)
        card = self.client.get(
            reverse("registry:card", args=[self.school.slug, self.appeal.pk, "en", "pdf"])
        )
        self.assertEqual(card.status_code, 404)
        private = registry_unlock(school=self.school, user=self.members[1], password=PASSWORD)
        act = act_data(
            opening=self.opening, registry_private=private, by=self.members[1], language="en"
        )
        self.assertEqual(act.rows[0].note, f"destroyed by the act {ACT}")
        self.assertEqual(act.rows[1].from_whom, "Nazira Abdykadyrova, parent")
        status = self.client.post(
            reverse("box:status", args=[self.school.slug]),
            {"code": self.receipt.code},
            REMOTE_ADDR="192.0.2.77",
        )
        self.assertEqual(status.status_code, 200)
        self.assertNotContains(status, REPLY)
        self.login(self.director)
        log = self.client.get(reverse("audit:log", args=[self.school.slug]))
        self.assertContains(log, "destroyed a closed appeal&#x27;s content and keys")
        self.assertContains(log, "erased a sealed appeal&#x27;s ciphertext for good")


class AttachmentsShreddedTestCase(RegistryTestCase):
    def test_a_destroyed_cases_attachment_opens_with_no_members_password(self):
        receipt = appeal_submit(
            school=self.school,
            envelope=Envelope(
                kind="complaint",
                category="bullying",
                text="SECRET-with a photo",
                attachments=[Attachment("photo.png", "image/png", PHOTO)],
            ),
        )
        self.box_open()
        appeal = Appeal.objects.get(sealed_appeal=receipt.sealed)
        appeal = self.register(appeal)
        appeal_decide(appeal=appeal, by=self.responsible, outcome="resolved")
        appeal = appeal_close(appeal=appeal, by=self.responsible)
        photo = base64.b64encode(PHOTO).decode()
        readable = secrets_readable(school=self.school, password=PASSWORD, secrets=[photo])
        self.assertEqual(readable, [photo])
        appeal_destroy(appeal=appeal, by=self.responsible, act_reference=ACT)
        self.assertEqual(
            secrets_readable(school=self.school, password=PASSWORD, secrets=[photo]), []
        )
