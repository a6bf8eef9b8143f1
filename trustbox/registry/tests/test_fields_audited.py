"""An appeal's registry fields changed in the database show at the chain check (issue 18, 9)."""

from __future__ import annotations

import datetime

from django.conf import settings
from django.test import Client
from django.urls import reverse

from trustbox.audit.models import AuditEntry
from trustbox.audit.services import ChainBreak, audit_check, audit_checkpoint, audit_verify
from trustbox.box.services import appeal_find_by_receipt
from trustbox.registry.consideration import appeal_reply
from trustbox.registry.models import Appeal, Status
from trustbox.registry.services import appeal_assign
from trustbox.registry.tests.helpers import RegistryTestCase
from trustbox.registry.writer import writer_message_add


class RegistryFieldsAuditedTestCase(RegistryTestCase):
    def setUp(self):
        super().setUp()
        self.appeal = self.register(self.anonymous)
        appeal_assign(
            appeal=self.appeal,
            to=self.members[2],
            by=self.responsible,
            case_private=self.case_private(self.appeal),
        )
        self.last = AuditEntry.objects.filter(action="appeal.assign").get()

    def target(self, appeal):
        return f"registry.appeal:{appeal.pk}"

    def test_the_application_s_own_changes_keep_the_check_whole(self):
        self.assertEqual(audit_verify(school=self.school), [])
        appeal_reply(appeal=self.appeal, by=self.members[2], text="We hear you.", channel="receipt")
        # The writer answers back: the appeal's fields stay (the responsible person decides).
        writer_message_add(
            found=appeal_find_by_receipt(school=self.school, code=self.receipt.code),
            text="thank you",
        )
        self.assertEqual(Appeal.objects.get(pk=self.appeal.pk).status, Status.ANSWERED)
        self.assertEqual(audit_verify(school=self.school), [])
        # A row her message moved back under consideration before issue 21 still holds.
        Appeal.objects.filter(pk=self.appeal.pk).update(status=Status.CONSIDERING)
        self.assertEqual(audit_verify(school=self.school), [])

    def test_status_assignee_kind_and_more_changed_in_the_database_name_the_appeal(self):
        changes = {
            "status": Status.CLOSED,
            "assignee": self.members[1],
            "kind": "gratitude",
            "category": "other",
            "urgent": True,
            "due_on": datetime.date(2030, 1, 1),
            "outcome": "resolved",
            "registered_by": self.members[1],
            "serial": 999,
        }
        expected = [ChainBreak(self.last.pk, "state", target=self.target(self.appeal))]
        for name, value in changes.items():
            with self.subTest(field=name):
                before = Appeal.objects.filter(pk=self.appeal.pk).values(f"{name}").get()
                Appeal.objects.filter(pk=self.appeal.pk).update(**{name: value})
                self.assertEqual(audit_verify(school=self.school), expected)
                self.assertEqual(audit_check(school=self.school).breaks, expected)
                Appeal.objects.filter(pk=self.appeal.pk).update(**before)
                self.assertEqual(audit_verify(school=self.school), [])

    def test_an_appeal_not_yet_registered_is_held_to_what_the_opening_took_in(self):
        taken_in = AuditEntry.objects.get(action="registry.take_in")
        self.assertEqual(taken_in.details["appeals"], 2)
        Appeal.objects.filter(pk=self.signed.pk).update(kind="gratitude")
        Appeal.objects.filter(pk=self.signed.pk).update(status=Status.CLOSED)
        self.assertEqual(
            audit_verify(school=self.school),
            [ChainBreak(taken_in.pk, "state", target=self.target(self.signed))],
        )

    def test_the_daily_check_and_the_log_page_name_the_changed_appeal(self):
        self.commission.chair = self.members[1]
        self.commission.save(update_fields=["chair"])
        Appeal.objects.filter(pk=self.appeal.pk).update(assignee=self.teacher)

        # The daily job's full check: not whole, so its digest mails the chain as broken.
        check = audit_checkpoint(school=self.school)
        self.assertFalse(check.whole)
        self.assertEqual(
            check.breaks, [ChainBreak(self.last.pk, "state", target=self.target(self.appeal))]
        )
        client = self.login(self.members[1], Client())
        client.cookies.load({settings.LANGUAGE_COOKIE_NAME: "en"})
        response = client.get(reverse("audit:log", args=[self.school.slug]))
        self.assertContains(response, "Warning: appeals were changed outside the application.")
        self.assertContains(
            response,
            f"{self.appeal.number}</a>: not as entry № {self.last.pk} of the log recorded it.",
        )
        self.assertNotContains(response, "The chain of the audit log is whole")

    def test_an_appeal_removed_from_the_database_is_named_or_its_opening_is(self):
        taken_in = AuditEntry.objects.get(action="registry.take_in")
        Appeal.objects.filter(pk__in=[self.appeal.pk, self.signed.pk]).delete()
        self.assertEqual(
            audit_verify(school=self.school),
            [
                ChainBreak(self.last.pk, "state", target=self.target(self.appeal)),
                ChainBreak(taken_in.pk, "state", target=f"openings.opening:{self.opening.pk}"),
            ],
        )
