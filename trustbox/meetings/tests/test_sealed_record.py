"""The commission's protocols are the commission's: sealed at rest, read by its members only."""

import base64
import datetime
import importlib
from unittest import mock

from django.apps import apps
from django.core.exceptions import ValidationError
from django.urls import reverse

from trustbox.accounts.access import Role
from trustbox.audit.models import AuditEntry
from trustbox.box.tests.helpers import database_rows_as_bytes, secrets_in
from trustbox.commission.services import commission_appoint
from trustbox.meetings import rules
from trustbox.meetings.content import FORMAT_CLEAR, content_fingerprint
from trustbox.meetings.models import AgendaItem, Decision, Protocol
from trustbox.meetings.protocols import protocol_correct, protocol_draft
from trustbox.meetings.sealing import record_opener, record_seal_leftovers_everywhere, sealed_to
from trustbox.meetings.selectors import protocol_check
from trustbox.meetings.services import AgendaEntry, meeting_agenda_add, meeting_schedule
from trustbox.meetings.signing import protocol_sign
from trustbox.meetings.tests.helpers import MeetingSteps
from trustbox.registry.models import RegistryKey, RegistryKeyWrap
from trustbox.seal import crypto
from trustbox.seal.services import member_key_unlock
from trustbox.test import PASSWORD, BaseTestCase, SealedBoxTestCase

DISCUSSION = "Aibek from 7B said the older boys take his lunch money."
DECISION = "Ask the class teacher of 7B and the social pedagogue to talk to Aibek's family."
ITEM = "What happened to Aibek in the canteen"
REASON = "The social pedagogue's name was wrong."


class SealedRecordTestCase(MeetingSteps, BaseTestCase):
    @classmethod
    def setUpTestData(cls):
        super().setUpTestData()
        cls.elect()
        cls.chair, cls.secretary = cls.members[1], cls.members[2]

    def sealed_protocol(self, sign=True) -> Protocol:
        meeting = self.hold(decision=DECISION)
        protocol = protocol_draft(meeting=meeting, by=self.secretary, text=DISCUSSION)
        if sign:
            for member in self.members[:4]:
                protocol_sign(protocol=protocol, member=member, password=PASSWORD)
        return protocol

    def test_nothing_a_meeting_discusses_or_decides_is_in_the_database_in_clear(self):
        protocol = self.sealed_protocol()
        meeting_agenda_add(meeting=self.hold(), by=self.secretary, entry=AgendaEntry(title=ITEM))
        correction = protocol_correct(
            protocol=protocol, by=self.secretary, text=DISCUSSION + " Corrected.", reason=REASON
        )
        rows = database_rows_as_bytes()
        self.assertEqual(secrets_in(rows, [DISCUSSION, DECISION, ITEM, REASON, "Aibek"]), [])
        # What is sealed opens, for a member of the commission, to exactly what was written.
        self.assertEqual(self.opened(correction.content["correction"]), REASON)
        self.assertEqual(self.opened(protocol.content["decisions"][0]["text"]), DECISION)
        self.assertEqual(self.opened(protocol.content["text"]), DISCUSSION)
        self.assertEqual(Decision.objects.filter(text="").count(), Decision.objects.count())

    def test_the_director_sees_that_the_meeting_happened_and_who_signed_but_not_what_it_said(self):
        protocol = self.sealed_protocol()
        client = self.login(self.director)
        for url in (
            reverse("meetings:detail", args=["alatoo", protocol.meeting_id]),
            reverse("meetings:protocol", args=["alatoo", protocol.pk]),
        ):
            with self.subTest(url):
                page = client.get(url)
                self.assertEqual(page.status_code, 200)
                self.assertContains(page, "room 12")
                self.assertContains(page, self.members[3].full_name)
                self.assertContains(page, "What the meeting discussed and decided is sealed")
                self.assertNotContains(page, "Aibek")
                self.assertNotContains(page, "Open the registry")
        page = client.get(reverse("meetings:protocol", args=["alatoo", protocol.pk]))
        self.assertContains(page, "4 of 5 members have signed.")
        document = reverse("meetings:document", args=["alatoo", protocol.pk, "en", "pdf"])
        self.assertEqual(client.get(document).status_code, 403)
        self.assertIsNone(
            record_opener(school=self.school, user=self.director, personal=b"\x01" * 32)
        )

    def test_a_member_reads_the_protocol_once_she_opens_the_registry_and_each_reading_is_audited(
        self,
    ):
        protocol = self.sealed_protocol()
        page_url = reverse("meetings:protocol", args=["alatoo", protocol.pk])
        document = reverse("meetings:document", args=["alatoo", protocol.pk, "en", "docx"])
        client = self.login(self.members[3])
        page = client.get(page_url)
        self.assertNotContains(page, "Aibek")
        self.assertContains(page, "Open the registry")
        response = client.get(document)
        self.assertRedirects(
            response,
            reverse("registry:unlock", args=["alatoo"]) + "?next=" + document,
            fetch_redirect_response=False,
        )
        self.unlock(self.members[3], client)
        reads = AuditEntry.objects.filter(action="meeting.read", actor=self.members[3])
        page = client.get(page_url)
        self.assertContains(page, DISCUSSION)
        self.assertContains(page, "Ask the class teacher of 7B")
        self.assertEqual(reads.count(), 1)
        response = client.get(document)
        self.assertTrue(response.content.startswith(b"PK"))
        self.assertEqual(
            [entry.details["purpose"] for entry in reads.order_by("pk")],
            ["protocol_view", "protocol_docx"],
        )
        meeting_page = client.get(reverse("meetings:detail", args=["alatoo", protocol.meeting_id]))
        self.assertContains(meeting_page, "Ask the class teacher of 7B")
        self.assertEqual(reads.count(), 3)

    def test_a_member_dropped_by_a_new_order_reads_nothing_of_the_record(self):
        protocol = self.sealed_protocol()
        leaver = self.members[3]
        newcomer = self.teacher
        commission_appoint(
            school=self.school,
            by=self.director,
            order_number="31",
            order_date=datetime.date(2026, 11, 20),
            members=[*self.members[:3], self.parent, newcomer],
            parents_representative=self.parent,
            responsible=self.responsible,
        )
        client = self.login(leaver)
        url = reverse("meetings:protocol", args=["alatoo", protocol.pk])
        self.assertEqual(client.get(url).status_code, 403)
        personal = member_key_unlock(user=leaver, password=PASSWORD)
        self.assertIsNone(record_opener(school=self.school, user=leaver, personal=personal))
        # Her wrap of the registry key is gone at once: her key opens no wrap left.
        for wrap in RegistryKeyWrap.objects.all():
            with self.assertRaises(crypto.SealError):
                crypto.open_with_member_key(personal, bytes(wrap.sealed_private_key))

    def test_who_reads_the_record_is_written_in_the_rules_for_every_role(self):
        cases = {
            "director who is not a member": ({Role.DIRECTOR}, False, False),
            "member holding the key": ({Role.MEMBER}, True, True),
            "member without the key yet": ({Role.MEMBER}, False, False),
            "chair": ({Role.MEMBER, Role.CHAIR}, True, True),
            "director who is a member": ({Role.DIRECTOR, Role.MEMBER}, True, True),
            "member who left (no role)": (set(), True, False),
            "teacher, district viewer, operator": (set(), False, False),
        }
        for name, (roles, holds, expected) in cases.items():
            with self.subTest(name):
                self.assertEqual(rules.may_read_record(roles, holds_registry_key=holds), expected)
        self.assertFalse(rules.may_read(set()))
        self.assertTrue(rules.may_read({Role.DIRECTOR}))


class VerifyWithoutOpeningTestCase(MeetingSteps, BaseTestCase):
    @classmethod
    def setUpTestData(cls):
        super().setUpTestData()
        cls.elect()

    def test_the_public_page_checks_the_signatures_without_opening_anything(self):
        protocol = self.drafted(decision=DECISION)
        for member in self.members[:2]:
            protocol_sign(protocol=protocol, member=member, password=PASSWORD)
        url = reverse("verify:protocol", args=[protocol.verify_code_display])
        with (
            mock.patch.object(crypto, "open_with_commission_key") as opening,
            mock.patch.object(crypto, "open_with_member_key") as unwrapping,
        ):
            page = self.client.get(url)
        self.assertEqual((opening.call_count, unwrapping.call_count), (0, 0))
        self.assertContains(page, "The content is unchanged since it was signed")
        self.assertContains(page, self.members[1].full_name)
        self.assertNotContains(page, "Aibek")
        self.assertNotContains(page, protocol.content["decisions"][0]["text"]["sealed"])
        # Whoever writes the database can seal other words to the public key: it shows.
        public = base64.b64decode(protocol.content["text"]["to"])
        forged = {
            **protocol.content,
            "decisions": [{**protocol.content["decisions"][0], "text": sealed_to(public, "No.")}],
        }
        Protocol.objects.filter(pk=protocol.pk).update(
            content=forged, fingerprint=content_fingerprint(forged)
        )
        page = self.client.get(url)
        self.assertContains(page, "The content of this protocol was changed after it was signed")


class MigrationTestCase(MeetingSteps, BaseTestCase):
    @classmethod
    def setUpTestData(cls):
        super().setUpTestData()
        cls.elect()

    def clear_protocol_signed_before_sealing(self) -> Protocol:
        """A protocol as it was kept before sealing: its free text in clear, signed over it."""
        protocol = self.drafted(decision=DECISION)
        opened = self.opened(protocol.content)
        clear = {key: value for key, value in opened.items() if key != "was"}
        clear["format"] = FORMAT_CLEAR
        Protocol.objects.filter(pk=protocol.pk).update(
            content=clear, fingerprint=content_fingerprint(clear)
        )
        AgendaItem.objects.filter(meeting=protocol.meeting).update(title=ITEM, sealed_title=None)
        Decision.objects.filter(meeting=protocol.meeting).update(text=DECISION, sealed_text=None)
        protocol.refresh_from_db()
        for member in self.members[:3]:
            protocol_sign(protocol=protocol, member=member, password=PASSWORD)
        return protocol

    def test_the_migration_seals_what_was_in_clear_and_earlier_signatures_still_verify(self):
        protocol = self.clear_protocol_signed_before_sealing()
        signed_fingerprint = protocol.fingerprint
        migration = importlib.import_module("trustbox.meetings.migrations.0003_sealed_record")
        migration.record_seal(apps, None)
        protocol.refresh_from_db()
        self.assertEqual(secrets_in(database_rows_as_bytes(), [DECISION, ITEM]), [])
        self.assertEqual(protocol.legacy_fingerprint, signed_fingerprint)
        self.assertNotEqual(protocol.fingerprint, signed_fingerprint)
        # Without the key: who signed, and that the sealed content is the one sealed from it.
        public = protocol_check(protocol)
        self.assertTrue(public.unchanged)
        self.assertEqual([c.before_sealing for c in public.checks], [True, True, True])
        # With it: the Ed25519 signatures over the clear text, in full.
        opened = self.opener().content(protocol.content)
        full = protocol_check(protocol, opened)
        self.assertTrue(full.unchanged)
        self.assertEqual([c.before_sealing for c in full.checks], [False, False, False])
        item = AgendaItem.objects.get(meeting=protocol.meeting)
        self.assertEqual(self.opener().text(item.sealed_title), ITEM)
        # Other words sealed in their place fail the full check.
        forged = {**opened, "text": "Something else"}
        self.assertFalse(protocol_check(protocol, forged).unchanged)
        # The signatures made before sealing still stand; a new one covers the sealed text.
        protocol_sign(protocol=protocol, member=self.members[3], password=PASSWORD)
        self.assertTrue(protocol_check(protocol).unchanged)

    def test_what_a_school_wrote_before_it_could_seal_is_sealed_by_the_daily_job(self):
        protocol = self.clear_protocol_signed_before_sealing()
        # The item's and the decision's words, and in the protocol: the item, decision, discussion.
        self.assertEqual(record_seal_leftovers_everywhere(), 5)
        protocol.refresh_from_db()
        self.assertEqual(secrets_in(database_rows_as_bytes(), [DECISION, ITEM]), [])
        self.assertTrue(protocol_check(protocol).unchanged)
        self.assertTrue(AuditEntry.objects.filter(action="meeting.seal_leftovers").exists())
        self.assertEqual(record_seal_leftovers_everywhere(), 0)


class KeyBeforeTheFirstOpeningTestCase(MeetingSteps, SealedBoxTestCase):
    def test_a_school_that_never_opened_its_box_seals_to_a_registry_key_the_opening_will_open(self):
        self.assertFalse(RegistryKey.objects.filter(school=self.school).exists())
        meeting = self.hold(decision=DECISION)
        registry_key = RegistryKey.objects.get(school=self.school)
        self.assertEqual(RegistryKeyWrap.objects.filter(registry_key=registry_key).count(), 5)
        # The quorum that opens the box opens the registry key sealed to it, and the decision.
        private = crypto.open_with_box_key(
            self.box_private_key(), bytes(registry_key.sealed_for_box)
        )
        sealed = meeting.decisions.get().sealed_text
        self.assertEqual(
            crypto.open_with_commission_key(private, base64.b64decode(sealed["sealed"])),
            DECISION.encode(),
        )
        self.box_open()
        self.assertEqual(RegistryKey.objects.filter(school=self.school).count(), 1)
        self.assertEqual(self.opened(sealed), DECISION)

    def test_nothing_is_written_in_clear_before_the_box_key_exists(self):
        with self.assertRaisesMessage(ValidationError, "make the box key"):
            meeting_schedule(
                school=self.other_school,
                by=self.other_director,
                held_on=datetime.date(2026, 12, 20),
                starts_at=None,
                place="",
                agenda_entries=[AgendaEntry(title=ITEM)],
            )
        self.assertFalse(AgendaItem.objects.filter(meeting__school=self.other_school).exists())
