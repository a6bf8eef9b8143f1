"""A conversation closed and a writer's request to close are under the chain check (issue 24)."""

from __future__ import annotations

import datetime

from trustbox.audit.models import AuditEntry
from trustbox.audit.services import ChainBreak, audit_verify
from trustbox.registry.actions import AppealAction
from trustbox.registry.integrity import state_hash, state_of
from trustbox.registry.models import Appeal
from trustbox.registry.tests.test_withdrawal import AnsweredAppealTestCase
from trustbox.registry.withdrawal import (
    appeal_close_decline,
    appeal_messages_close,
    appeal_messages_reopen,
)
from trustbox.registry.writer import writer_close_ask


class WritersFieldsAuditedTestCase(AnsweredAppealTestCase):
    def target(self, appeal) -> str:
        return f"registry.appeal:{appeal.pk}"

    def last_state_entry(self) -> AuditEntry:
        return (
            AuditEntry.objects.filter(target=self.target(self.appeal), details__has_key="state")
            .order_by("id")
            .last()
        )

    def test_a_conversation_closed_or_reopened_in_the_database_is_named(self):
        self.assertEqual(audit_verify(school=self.school), [])
        Appeal.objects.filter(pk=self.appeal.pk).update(messages_closed=True)
        broken = [ChainBreak(self.last_state_entry().pk, "state", target=self.target(self.appeal))]
        self.assertEqual(audit_verify(school=self.school), broken)
        Appeal.objects.filter(pk=self.appeal.pk).update(messages_closed=False)
        appeal_messages_close(appeal=self.appeal, by=self.responsible, reason="insults")
        entry = AuditEntry.objects.get(action=AppealAction.MESSAGES_CLOSE.value)
        self.assertEqual(entry.details["state"], state_of(self.fresh())["state"])
        self.assertEqual(audit_verify(school=self.school), [])
        # Reopened behind the application's back: the closing's entry names it.
        Appeal.objects.filter(pk=self.appeal.pk).update(messages_closed=False)
        self.assertEqual(
            audit_verify(school=self.school),
            [ChainBreak(entry.pk, "state", target=self.target(self.appeal))],
        )
        Appeal.objects.filter(pk=self.appeal.pk).update(messages_closed=True)
        appeal_messages_reopen(appeal=self.appeal, by=self.responsible)
        self.assertEqual(audit_verify(school=self.school), [])

    def test_a_request_to_close_made_or_wiped_in_the_database_is_named(self):
        entry = self.last_state_entry()
        broken = [ChainBreak(entry.pk, "state", target=self.target(self.appeal))]
        Appeal.objects.filter(pk=self.appeal.pk).update(close_asked_on=datetime.date(2026, 1, 5))
        self.assertEqual(audit_verify(school=self.school), broken)  # no request in her chain
        Appeal.objects.filter(pk=self.appeal.pk).update(close_asked_on=None)
        writer_close_ask(found=self.found())  # her own, by the day: it holds
        self.assertEqual(audit_verify(school=self.school), [])
        asked_on = self.fresh().close_asked_on
        Appeal.objects.filter(pk=self.appeal.pk).update(
            close_asked_on=asked_on - datetime.timedelta(days=3)
        )
        self.assertEqual(audit_verify(school=self.school), broken)  # not the day she asked
        Appeal.objects.filter(pk=self.appeal.pk).update(close_asked_on=None)
        self.assertEqual(audit_verify(school=self.school), broken)  # her request wiped
        Appeal.objects.filter(pk=self.appeal.pk).update(close_asked_on=asked_on)
        appeal_close_decline(appeal=self.appeal, by=self.responsible, text="Not yet, sorry.")
        self.assertEqual(audit_verify(school=self.school), [])
        decided = self.last_state_entry()
        Appeal.objects.filter(pk=self.appeal.pk).update(close_asked_on=asked_on)
        self.assertEqual(
            audit_verify(school=self.school),
            [ChainBreak(decided.pk, "state", target=self.target(self.appeal))],
        )

    def test_states_recorded_before_hash_exactly_as_they_did(self):
        fields = {name: getattr(self.fresh(), name) for name in ("status", "kind", "year")}
        before = state_hash(fields)
        self.assertEqual(state_hash({**fields, "messages_closed": False}), before)
        self.assertEqual(state_hash({**fields, "close_asked_on": None}), before)
        self.assertNotEqual(state_hash({**fields, "messages_closed": True}), before)
        self.assertNotEqual(
            state_hash({**fields, "close_asked_on": datetime.date(2026, 1, 5)}), before
        )
