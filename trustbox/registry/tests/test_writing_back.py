"""Issue 21, point 2: the writer writing back reopens nothing; the responsible person decides."""

from __future__ import annotations

import re

from django.conf import settings
from django.core.exceptions import ValidationError
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from trustbox.accounts.access import Role
from trustbox.audit.models import AuditEntry
from trustbox.audit.services import audit_verify
from trustbox.box.services import appeal_find_by_receipt
from trustbox.registry import deadlines
from trustbox.registry.answers import (
    write_back_answer,
    write_back_close,
    write_back_new_request,
    writer_reopened_restore,
)
from trustbox.registry.consideration import appeal_reply
from trustbox.registry.models import Appeal, Outcome, Status
from trustbox.registry.rules import appeal_permissions
from trustbox.registry.selectors import awaits_decision, write_back_to_decide
from trustbox.registry.tests.helpers import RegistryTestCase
from trustbox.registry.writer import writer_message_add, writer_view
from trustbox.test import PASSWORD


class WritingBackTestCase(RegistryTestCase):
    """The anonymous writer's appeal, registered and answered through her receipt."""

    def setUp(self) -> None:
        super().setUp()
        self.appeal = self.register(self.anonymous)
        appeal_reply(
            appeal=self.appeal, by=self.responsible, text="We hear you.", channel="receipt"
        )
        self.appeal.refresh_from_db()

    def found(self):
        return appeal_find_by_receipt(school=self.school, code=self.receipt.code)

    def write(self, text: str = "It got better, thank you.") -> None:
        writer_message_add(found=self.found(), text=text)

    def fresh(self) -> Appeal:
        return Appeal.objects.get(pk=self.appeal.pk)

    def audited(self, action: str) -> AuditEntry:
        [row] = AuditEntry.objects.filter(action=action, target=f"registry.appeal:{self.appeal.pk}")
        self.assertEqual(audit_verify(school=self.school), [])
        return row


class NothingReopensTestCase(WritingBackTestCase):
    def test_a_message_on_an_answered_appeal_changes_neither_status_nor_deadline(self):
        before = self.fresh()
        self.write()
        after = self.fresh()
        self.assertEqual(
            (after.status, after.due_on, after.answered_on),
            (Status.ANSWERED, before.due_on, before.answered_on),
        )
        self.assertNotIn(after, Appeal.objects.open())
        self.assertTrue(awaits_decision(after))
        self.assertEqual(write_back_to_decide(school=self.school), [after])
        self.assertEqual(audit_verify(school=self.school), [])

    def test_her_page_says_her_message_is_received_until_the_responsible_person_decides(self):
        self.assertFalse(writer_view(found=self.found()).wrote_back)
        self.write()
        view = writer_view(found=self.found())
        self.assertTrue(view.wrote_back)
        self.assertTrue(view.can_write)
        write_back_close(appeal=self.appeal, by=self.responsible, outcome=Outcome.RESOLVED)
        view = writer_view(found=self.found())
        self.assertFalse(view.wrote_back)
        self.assertTrue(view.closed)

    def test_a_decision_without_a_message_waiting_is_refused(self):
        for decide in (
            lambda: write_back_close(appeal=self.appeal, by=self.responsible, outcome="resolved"),
            lambda: write_back_answer(appeal=self.appeal, by=self.responsible, text="Again"),
            lambda: write_back_new_request(appeal=self.appeal, by=self.responsible),
        ):
            with self.assertRaises(ValidationError):
                decide()
        self.assertEqual(self.fresh().status, Status.ANSWERED)


class BeforeAnyAnswerTestCase(RegistryTestCase):
    def test_a_message_before_any_answer_needs_no_decision_and_keeps_the_deadline(self):
        appeal = self.register(self.anonymous)
        found = appeal_find_by_receipt(school=self.school, code=self.receipt.code)
        writer_message_add(found=found, text="One more thing")
        after = Appeal.objects.get(pk=appeal.pk)
        self.assertEqual((after.status, after.due_on), (Status.REGISTERED, appeal.due_on))
        self.assertFalse(awaits_decision(after))
        self.assertFalse(writer_view(found=found).wrote_back)
        self.assertEqual(write_back_to_decide(school=self.school), [])


class DecisionsTestCase(WritingBackTestCase):
    def setUp(self) -> None:
        super().setUp()
        self.write()

    def test_the_responsible_person_closes_with_thanks_the_writer_reads(self):
        write_back_close(
            appeal=self.appeal,
            by=self.responsible,
            outcome=Outcome.RESOLVED,
            text="Thank you for telling us.",
        )
        appeal = self.fresh()
        self.assertEqual(
            (appeal.status, appeal.outcome, appeal.closed_on),
            (Status.CLOSED, Outcome.RESOLVED, timezone.localdate()),
        )
        row = self.audited("appeal.write_back_close")
        self.assertEqual((row.actor, row.details["thanked"]), (self.responsible, True))
        texts = [message.text for message in writer_view(found=self.found()).messages]
        self.assertEqual(texts[-1], "Thank you for telling us.")
        self.assertEqual(write_back_to_decide(school=self.school), [])

    def test_answering_again_keeps_the_appeal_answered_on_its_first_day(self):
        first_day = self.fresh().answered_on
        write_back_answer(appeal=self.appeal, by=self.responsible, text="Tell us if it returns.")
        appeal = self.fresh()
        self.assertEqual((appeal.status, appeal.answered_on), (Status.ANSWERED, first_day))
        self.assertFalse(awaits_decision(appeal))
        self.assertEqual(AuditEntry.objects.filter(action="appeal.reply").count(), 2)
        self.assertEqual(audit_verify(school=self.school), [])
        texts = [message.text for message in writer_view(found=self.found()).messages]
        self.assertEqual(texts[-1], "Tell us if it returns.")

    def test_only_a_new_request_gets_a_new_deadline_of_law_67(self):
        today = timezone.localdate()
        write_back_new_request(appeal=self.appeal, by=self.responsible)
        appeal = self.fresh()
        self.assertEqual(appeal.status, Status.CONSIDERING)
        self.assertEqual(appeal.due_on, deadlines.answer_by(today, urgent=appeal.urgent))
        self.assertIn(appeal, Appeal.objects.open())
        row = self.audited("appeal.new_request")
        self.assertEqual(row.details["due_on"], str(appeal.due_on))
        self.assertFalse(writer_view(found=self.found()).wrote_back)
        self.assertTrue(writer_view(found=self.found()).considering)

    def test_only_the_responsible_person_decides(self):
        for roles, allowed in (
            ({Role.RESPONSIBLE, Role.MEMBER}, True),
            ({Role.CHAIR, Role.MEMBER}, False),
            ({Role.MEMBER}, False),
        ):
            permissions = appeal_permissions(
                roles=roles, appeal=self.appeal, user=self.members[2], wrote_back=True
            )
            self.assertEqual(permissions.allows("write_back_close"), allowed, roles)
            self.assertEqual(permissions.allows("write_back_new_request"), allowed, roles)
        nothing_waits = appeal_permissions(
            roles={Role.RESPONSIBLE}, appeal=self.appeal, user=self.responsible
        )
        self.assertFalse(nothing_waits.allows("write_back_close"))


class ReopenedBeforeTheRuleTestCase(WritingBackTestCase):
    def test_an_appeal_a_writers_message_reopened_is_answered_again_for_a_decision(self):
        self.write()
        # What a writer's message did before issue 21, with no row of the staff's chain.
        Appeal.objects.filter(pk=self.appeal.pk).update(status=Status.CONSIDERING)
        self.assertEqual(writer_reopened_restore(), 1)
        appeal = self.fresh()
        self.assertEqual(appeal.status, Status.ANSWERED)
        self.assertTrue(awaits_decision(appeal))
        self.audited("appeal.write_back_restore")
        self.assertEqual(writer_reopened_restore(), 0)

    def test_a_new_request_decided_by_the_responsible_person_stays_under_consideration(self):
        self.write()
        write_back_new_request(appeal=self.appeal, by=self.responsible)
        self.assertEqual(writer_reopened_restore(), 0)
        self.assertEqual(self.fresh().status, Status.CONSIDERING)


class PagesTestCase(WritingBackTestCase):
    def setUp(self) -> None:
        super().setUp()
        self.write()

    def enter(self, user) -> Client:
        client = self.login(user, Client())
        client.cookies.load({settings.LANGUAGE_COOKIE_NAME: "en"})
        client.post(reverse("registry:unlock", args=["alatoo"]), {"password": PASSWORD})
        return client

    def test_the_responsible_persons_to_do_list_asks_her_to_decide(self):
        client = self.login(self.responsible, Client())
        client.cookies.load({settings.LANGUAGE_COOKIE_NAME: "en"})
        page = client.get(reverse("core:dashboard", args=["alatoo"])).content.decode()
        page = " ".join(re.sub(r"<[^>]+>", " ", page).split())
        self.assertIn(f"A writer wrote back on appeal {self.appeal.number}: decide.", page)
        other = self.login(self.members[3], Client())
        other.cookies.load({settings.LANGUAGE_COOKIE_NAME: "en"})
        self.assertNotContains(
            other.get(reverse("core:dashboard", args=["alatoo"])), "wrote back on appeal"
        )

    def test_the_responsible_person_closes_with_thanks_from_the_page(self):
        client = self.enter(self.responsible)
        detail = reverse("registry:detail", args=["alatoo", self.appeal.pk])
        self.assertContains(client.get(detail), "The writer wrote back: decide")
        response = client.post(
            detail,
            {
                "action": "write_back_close",
                "thanks-outcome": "resolved",
                "thanks-text": "Thank you.",
            },
        )
        self.assertRedirects(response, detail)
        self.assertEqual(self.fresh().status, Status.CLOSED)

    def test_a_member_who_is_not_the_responsible_person_cannot_decide(self):
        client = self.enter(self.members[2])
        detail = reverse("registry:detail", args=["alatoo", self.appeal.pk])
        page = client.get(detail)
        self.assertContains(page, "The responsible person of the commission decides.")
        self.assertNotContains(page, 'value="write_back_close"')
        response = client.post(detail, {"action": "write_back_new_request"})
        self.assertEqual(response.status_code, 403)
        self.assertEqual(self.fresh().status, Status.ANSWERED)
