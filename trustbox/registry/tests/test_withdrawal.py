"""Issue 24, point 4 after the opening: a writer asks to close her appeal; a thread closed."""

from __future__ import annotations

import re

from django.conf import settings
from django.core.cache import cache
from django.core.exceptions import ValidationError
from django.test import Client
from django.urls import reverse
from django.utils import timezone, translation

from trustbox.audit.models import AuditEntry, WriterEntry
from trustbox.audit.services import audit_check
from trustbox.box.services import appeal_find_by_receipt
from trustbox.box.tests.helpers import CLIENT_IP, database_rows_as_bytes
from trustbox.public.forms import submission_token
from trustbox.registry.actions import AppealAction
from trustbox.registry.consideration import appeal_reply
from trustbox.registry.models import Appeal, Entry, Outcome, Status
from trustbox.registry.tests.helpers import RegistryTestCase
from trustbox.registry.withdrawal import (
    appeal_close_decline,
    appeal_close_withdrawn,
    appeal_messages_close,
    appeal_messages_reopen,
    close_requests_to_decide,
)
from trustbox.registry.writer import (
    ConversationClosed,
    writer_close_ask,
    writer_message_add,
    writer_view,
)
from trustbox.reports.documents import report_text
from trustbox.reports.figures import school_figures
from trustbox.schools.periods import Quarter
from trustbox.test import PASSWORD

SCHOOL = "alatoo"
STATUS_URL = reverse("box:status", args=[SCHOOL])
WRITE_URL = reverse("box:write_back", args=[SCHOOL])
CLOSE_URL = reverse("box:close_ask", args=[SCHOOL])
REASON = "REASON-insults the class teacher in every message"


def plain(response) -> str:
    return " ".join(re.sub(r"<[^>]+>", " ", response.content.decode()).split())


class AnsweredAppealTestCase(RegistryTestCase):
    """The anonymous writer's appeal, registered and answered through her receipt."""

    def setUp(self) -> None:
        super().setUp()
        cache.clear()
        self.appeal = self.register(self.anonymous)
        appeal_reply(
            appeal=self.appeal, by=self.responsible, text="We hear you.", channel="receipt"
        )
        self.client.cookies.load({settings.LANGUAGE_COOKIE_NAME: "en"})

    def found(self):
        return appeal_find_by_receipt(school=self.school, code=self.receipt.code)

    def fresh(self) -> Appeal:
        return Appeal.objects.get(pk=self.appeal.pk)

    def staff(self, user, language="en") -> Client:
        client = self.login(user, Client())
        client.cookies.load({settings.LANGUAGE_COOKIE_NAME: language})
        client.post(reverse("registry:unlock", args=[SCHOOL]), {"password": PASSWORD})
        return client

    def detail(self) -> str:
        return reverse("registry:detail", args=[SCHOOL, self.appeal.pk])


class CloseRequestTestCase(AnsweredAppealTestCase):
    def test_a_writers_request_to_close_is_kept_by_the_day_and_lands_on_the_to_do_list(self):
        writer_close_ask(found=self.found())
        self.assertIsNotNone(self.fresh().close_asked_on)
        self.assertEqual(close_requests_to_decide(school=self.school), [self.fresh()])
        self.assertEqual(WriterEntry.objects.filter(action=AppealAction.CLOSE_ASK.value).count(), 1)
        client = self.login(self.responsible, Client())
        client.cookies.load({settings.LANGUAGE_COOKIE_NAME: "en"})
        page = plain(client.get(reverse("core:dashboard", args=[SCHOOL])))
        self.assertIn(f"The writer of appeal {self.appeal.number} asks to close it: decide.", page)
        self.assertEqual(
            writer_view(found=self.found()).close_asked_on, self.fresh().close_asked_on
        )

    def test_the_responsible_person_closes_it_as_withdrawn_by_its_writer(self):
        writer_close_ask(found=self.found())
        appeal = appeal_close_withdrawn(appeal=self.appeal, by=self.responsible)
        self.assertEqual((appeal.status, appeal.outcome), (Status.CLOSED, Outcome.WITHDRAWN))
        self.assertIsNone(self.fresh().close_asked_on)
        self.assertEqual(close_requests_to_decide(school=self.school), [])
        self.assertTrue(audit_check(school=self.school).whole)
        view = writer_view(found=self.found())
        self.assertTrue(view.closed)
        self.assertFalse(view.can_ask_close)

    def test_the_responsible_person_answers_why_the_appeal_stays_open(self):
        writer_close_ask(found=self.found())
        appeal_close_decline(
            appeal=self.appeal, by=self.responsible, text="We must finish talking to the class."
        )
        self.assertIsNone(self.fresh().close_asked_on)
        self.assertEqual(self.fresh().status, Status.ANSWERED)
        messages = [m.text for m in writer_view(found=self.found()).messages]
        self.assertIn("We must finish talking to the class.", messages)
        self.assertTrue(audit_check(school=self.school).whole)

    def test_nobody_decides_on_a_request_the_writer_never_made(self):
        with self.assertRaises(ValidationError):
            appeal_close_withdrawn(appeal=self.appeal, by=self.responsible)
        self.assertEqual(self.fresh().status, Status.ANSWERED)

    def test_the_writer_asks_from_her_status_page_after_a_confirmation(self):
        page = self.client.post(STATUS_URL, {"code": self.receipt.code}, REMOTE_ADDR=CLIENT_IP)
        self.assertContains(page, "Ask to close my appeal")
        token = page.context["step_form"]["token"].value()
        asked = self.client.post(
            CLOSE_URL, {"code": self.receipt.code, "token": token}, REMOTE_ADDR=CLIENT_IP
        )
        self.assertContains(asked, "You cannot take this request back.")
        self.assertIsNone(self.fresh().close_asked_on)
        confirm = asked.context["step_form"]
        data = {"code": self.receipt.code, "token": confirm["token"].value(), "confirm": "True"}
        done = self.client.post(CLOSE_URL, data, REMOTE_ADDR=CLIENT_IP)
        self.assertContains(done, "Your request is sent to the commission.")
        self.assertContains(done, "you asked to close your appeal")
        self.assertIsNotNone(self.fresh().close_asked_on)
        again = self.client.post(CLOSE_URL, data, REMOTE_ADDR=CLIENT_IP)
        self.assertEqual(again.status_code, 200)
        self.assertEqual(WriterEntry.objects.filter(action=AppealAction.CLOSE_ASK.value).count(), 1)

    def test_the_responsible_person_decides_from_the_appeals_page(self):
        writer_close_ask(found=self.found())
        member = self.staff(self.members[2])
        self.assertNotContains(member.get(self.detail()), 'value="close_withdrawn"')
        self.assertEqual(member.post(self.detail(), {"action": "close_withdrawn"}).status_code, 403)
        client = self.staff(self.responsible)
        self.assertContains(client.get(self.detail()), "The writer asks to close the appeal")
        response = client.post(self.detail(), {"action": "close_withdrawn"})
        self.assertRedirects(response, self.detail())
        self.assertEqual(self.fresh().outcome, Outcome.WITHDRAWN)


class ClosedConversationTestCase(AnsweredAppealTestCase):
    def write(self, text, token=None):
        data = {"code": self.receipt.code, "text": text, "token": token or submission_token()}
        return self.client.post(WRITE_URL, data, REMOTE_ADDR=CLIENT_IP)

    def test_the_reason_goes_to_the_audit_log_and_never_to_the_writer(self):
        appeal_messages_close(appeal=self.appeal, by=self.responsible, reason=REASON)
        self.assertTrue(self.fresh().messages_closed)
        entry = AuditEntry.objects.get(action=AppealAction.MESSAGES_CLOSE.value)
        self.assertEqual(entry.details["reason"], REASON)
        self.assertEqual(entry.actor, self.responsible)
        page = self.client.post(STATUS_URL, {"code": self.receipt.code}, REMOTE_ADDR=CLIENT_IP)
        self.assertContains(page, "This conversation is closed for new messages.")
        self.assertContains(page, "The school still has your appeal")
        self.assertNotContains(page, "REASON")
        self.assertNotContains(page, 'name="text"')

    def test_the_message_form_refuses_and_keeps_nothing_of_what_was_posted(self):
        appeal_messages_close(appeal=self.appeal, by=self.responsible, reason=REASON)
        with self.assertRaises(ConversationClosed):
            writer_message_add(found=self.found(), text="MESSAGE-more insults")
        response = self.write("MESSAGE-more insults")
        self.assertEqual(response.status_code, 403)
        self.assertContains(
            response, "this conversation is closed for new messages", status_code=403
        )
        self.assertNotContains(response, "MESSAGE", status_code=403)
        self.assertFalse(Entry.objects.filter(kind=Entry.Kind.WRITER).exists())
        self.assertNotIn(b"MESSAGE-more insults", database_rows_as_bytes())

    def test_the_responsible_person_reopens_the_conversation(self):
        appeal_messages_close(appeal=self.appeal, by=self.responsible, reason=REASON)
        appeal_messages_reopen(appeal=self.appeal, by=self.responsible)
        self.assertFalse(self.fresh().messages_closed)
        self.assertTrue(
            AuditEntry.objects.filter(action=AppealAction.MESSAGES_REOPEN.value).exists()
        )
        self.assertContains(self.write("It got better."), "Your message is sent.")

    def test_a_conversation_is_closed_only_with_a_reason(self):
        with self.assertRaises(ValidationError):
            appeal_messages_close(appeal=self.appeal, by=self.responsible, reason="  ")
        self.assertFalse(self.fresh().messages_closed)

    def test_the_responsible_person_closes_and_reopens_from_the_appeals_page(self):
        member = self.staff(self.members[2])
        self.assertNotContains(member.get(self.detail()), 'value="messages_close"')
        client = self.staff(self.responsible)
        response = client.post(
            self.detail(), {"action": "messages_close", "conversation-reason": REASON}
        )
        self.assertRedirects(response, self.detail())
        self.assertTrue(self.fresh().messages_closed)
        self.assertContains(client.get(self.detail()), "Open the conversation again")
        client.post(self.detail(), {"action": "messages_reopen"})
        self.assertFalse(self.fresh().messages_closed)


class StatisticsTestCase(AnsweredAppealTestCase):
    def test_the_quarters_figures_and_report_count_an_appeal_withdrawn_by_its_writer(self):
        writer_close_ask(found=self.found())
        appeal_close_withdrawn(appeal=self.appeal, by=self.responsible)
        today = timezone.localdate()
        quarter = Quarter.of(today)
        figures = school_figures(self.school, quarter.start, quarter.end, as_of=today)
        self.assertEqual(figures["by_outcome"], {Outcome.WITHDRAWN.value: 1})
        self.assertEqual(figures["referred"], 0)
        with translation.override("en"):
            text = report_text(
                school_name=self.school.name,
                figures=figures,
                analysis="",
                proposals="",
                prepared_by="",
            )
        cells = [
            cell
            for section in text.sections
            for table in section.tables
            for row in table.rows
            for cell in row
        ]
        self.assertIn("withdrawn by its writer", cells)
