import datetime

from django.core import mail
from django.core.exceptions import ValidationError
from django.utils import timezone

from trustbox.accounts.models import User
from trustbox.audit.models import AuditEntry, WriterEntry
from trustbox.lib.dates import RU_MONTHS
from trustbox.lib.tests.mailcheck import assert_mail
from trustbox.registry.consideration import (
    appeal_close,
    appeal_decide,
    appeal_note_add,
    appeal_reply,
)
from trustbox.registry.models import CaseGrant, Entry, Outcome, Status
from trustbox.registry.notify import writer_messages_notify
from trustbox.registry.services import appeal_assign, appeal_file_read
from trustbox.registry.tests.helpers import ANONYMOUS_TEXT, SIGNED_TEXT, RegistryTestCase
from trustbox.registry.writer import writer_message_add, writer_view
from trustbox.seal.services import member_key_set
from trustbox.test import PASSWORD, captured_logs


class RegistrationTestCase(RegistryTestCase):
    def test_appeals_wait_for_registration_within_one_working_day(self):
        self.assertEqual(self.anonymous.status, Status.TAKEN_OUT)
        self.assertIsNotNone(self.anonymous.register_by)
        self.assertGreater(self.anonymous.register_by, self.anonymous.received_on)

    def test_registration_numbers_run_per_school_and_year(self):
        first = self.register(self.anonymous)
        second = self.register(self.signed)
        year = first.registered_on.year
        self.assertEqual((first.number, second.number), (f"{year}/001", f"{year}/002"))
        self.assertEqual(first.status, Status.REGISTERED)
        self.assertIsNotNone(first.due_on)

    def test_registration_corrects_kind_category_and_urgency_and_audits_it(self):
        appeal = self.register(self.anonymous, kind="message", category="violence", urgent=True)
        self.assertEqual(
            (appeal.kind, appeal.category, appeal.urgent), ("message", "violence", True)
        )
        entry = AuditEntry.objects.filter(action="appeal.register").get()
        self.assertEqual(entry.details["corrected"]["kind"], ["complaint", "message"])

    def test_an_appeal_is_registered_only_once(self):
        self.register(self.anonymous)
        with self.assertRaises(ValidationError):
            self.register(self.anonymous)

    def test_registration_moves_the_text_under_the_appeals_own_key(self):
        before = bytes(self.anonymous.sealed_content)
        appeal = self.register(self.anonymous)
        self.assertNotEqual(bytes(appeal.sealed_content), before)
        file = appeal_file_read(
            appeal=appeal,
            by=self.responsible,
            purpose="test",
            case_private=self.case_private(appeal),
        )
        self.assertEqual(file.envelope.text, ANONYMOUS_TEXT)


class ConsiderationTestCase(RegistryTestCase):
    def setUp(self):
        super().setUp()
        self.appeal = self.register(self.anonymous)
        member_key_set(user=self.teacher, password=PASSWORD, school=self.school)

    def test_an_assigned_teacher_reads_that_appeal_and_no_other(self):
        with self.captureOnCommitCallbacks(execute=True):
            appeal_assign(
                appeal=self.appeal,
                to=self.teacher,
                by=self.responsible,
                case_private=self.case_private(self.appeal),
            )
        self.appeal.refresh_from_db()
        self.assertEqual(self.appeal.status, Status.CONSIDERING)
        case_private = self.case_private(self.appeal, self.teacher)
        file = appeal_file_read(
            appeal=self.appeal, by=self.teacher, purpose="test", case_private=case_private
        )
        self.assertEqual(file.envelope.text, ANONYMOUS_TEXT)
        signed = self.register(self.signed)
        with self.assertRaises(ValidationError):
            self.case_private(signed, self.teacher)
        self.assertEqual(len(mail.outbox), 0, "the teacher has no email address")

    def test_reassigning_takes_the_key_back_from_the_first_official(self):
        case_private = self.case_private(self.appeal)
        appeal_assign(
            appeal=self.appeal, to=self.teacher, by=self.responsible, case_private=case_private
        )
        appeal_assign(
            appeal=self.appeal, to=self.members[2], by=self.responsible, case_private=case_private
        )
        self.assertFalse(CaseGrant.objects.filter(holder=self.teacher).exists())

    def test_someone_without_a_personal_key_cannot_be_assigned(self):
        from trustbox.test import make_person

        newcomer = make_person(self.school, "newcomer")
        with self.assertRaisesMessage(ValidationError, "no personal key"):
            appeal_assign(
                appeal=self.appeal,
                to=newcomer,
                by=self.responsible,
                case_private=self.case_private(self.appeal),
            )

    def test_the_whole_workflow_from_note_to_closing(self):
        appeal_note_add(appeal=self.appeal, by=self.responsible, text="talk to the class teacher")
        appeal_reply(
            appeal=self.appeal, by=self.responsible, text="We hear you.", channel="receipt"
        )
        self.appeal.refresh_from_db()
        self.assertEqual(self.appeal.status, Status.ANSWERED)
        with self.assertRaises(ValidationError):
            appeal_close(appeal=self.appeal, by=self.responsible)
        appeal_decide(
            appeal=self.appeal, by=self.responsible, outcome=Outcome.PSYCHOLOGIST, text="Referred."
        )
        appeal_close(appeal=self.appeal, by=self.responsible)
        self.appeal.refresh_from_db()
        self.assertEqual(self.appeal.status, Status.CLOSED)
        kinds = list(self.appeal.entries.values_list("kind", flat=True))
        self.assertEqual(kinds, [Entry.Kind.NOTE, Entry.Kind.REPLY, Entry.Kind.DECISION])
        actions = set(AuditEntry.objects.values_list("action", flat=True))
        self.assertTrue({"appeal.note", "appeal.reply", "appeal.decide", "appeal.close"} <= actions)
        with self.assertRaises(ValidationError):
            appeal_note_add(appeal=self.appeal, by=self.responsible, text="too late")

    def test_the_writer_reads_only_replies_and_writes_back(self):
        from trustbox.box.services import appeal_find_by_receipt

        appeal_note_add(appeal=self.appeal, by=self.responsible, text="INTERNAL-note")
        appeal_reply(
            appeal=self.appeal, by=self.responsible, text="We hear you.", channel="receipt"
        )
        found = appeal_find_by_receipt(school=self.school, code=self.receipt.code)
        texts = [message.text for message in writer_view(found=found).messages]
        self.assertEqual(texts, ["We hear you."])

        self.responsible.email = "responsible@school.invalid"
        self.responsible.save()
        with self.captureOnCommitCallbacks(execute=True):
            writer_message_add(found=found, text="It got better, thank you.")
        self.appeal.refresh_from_db()
        self.assertEqual(self.appeal.status, Status.ANSWERED)
        texts = [message.text for message in writer_view(found=found).messages]
        self.assertEqual(texts, ["We hear you.", "It got better, thank you."])
        # Told the next day, without the number (test_writer_mail.py).
        self.assertEqual(len(mail.outbox), 0)
        writer_messages_notify(today=timezone.localdate() + datetime.timedelta(days=1))
        self.assertEqual(len(mail.outbox), 1)
        self.assertNotIn("better", mail.outbox[0].body)
        self.assertNotIn(self.appeal.number, mail.outbox[0].subject)
        self.assertFalse(AuditEntry.objects.filter(action="appeal.writer_message").exists())
        entry = WriterEntry.objects.get(action="appeal.writer_message")
        self.assertEqual(entry.actor, None)
        self.assertEqual(entry.created_at.astimezone(datetime.UTC).second, 0)

    def test_a_paper_reply_is_not_shown_to_the_receipt(self):
        signed = self.register(self.signed)
        appeal_reply(appeal=signed, by=self.responsible, text="Letter", channel="paper")
        self.assertIsNone(signed.entries.get().sealed_for_writer)
        file = appeal_file_read(
            appeal=signed, by=self.responsible, purpose="t", case_private=self.case_private(signed)
        )
        self.assertEqual(file.envelope.text, SIGNED_TEXT)
        self.assertEqual([t for _e, t in file.entries], ["Letter"])


class NotificationsCarryNoContentTestCase(RegistryTestCase):
    def test_an_assignment_email_names_the_number_not_the_text(self):
        appeal = self.register(self.anonymous)
        self.members[2].email = "m2@school.invalid"
        self.members[2].save()
        with self.captureOnCommitCallbacks(execute=True):
            appeal_assign(
                appeal=appeal,
                to=self.members[2],
                by=self.responsible,
                case_private=self.case_private(appeal),
            )
        self.assertEqual(len(mail.outbox), 1)
        message = mail.outbox[0]
        self.assertIn(appeal.number, message.subject)
        # In Kyrgyz, the school's language, as the official chose none; both parts content-free.
        for part in assert_mail(
            self, message, language="ky", secrets=("SECRET", "mock", "bullying", "Nazira")
        ):
            self.assertIn(appeal.number, part)

    def test_a_russian_assignment_email_puts_one_period_after_the_year(self):
        User.objects.filter(pk=self.members[2].pk).update(
            email="member3@school.example", language="ru"
        )
        self.members[2].refresh_from_db()
        appeal = self.register(self.anonymous)
        with self.captureOnCommitCallbacks(execute=True):
            appeal_assign(
                appeal=appeal,
                to=self.members[2],
                by=self.responsible,
                case_private=self.case_private(appeal),
            )
        [message] = mail.outbox
        due = f"{appeal.due_on.day} {RU_MONTHS[appeal.due_on.month - 1]} {appeal.due_on.year} г."
        for part in assert_mail(self, message, language="ru"):
            # «Ответить до 10 декабря 2026 г. Открыть …», never «г..».
            self.assertIn(f"{due} ", part)
            self.assertNotIn("г..", part)

    def test_writer_keys_are_never_handed_to_the_log(self):
        with captured_logs() as logs:
            self.register(self.anonymous)
        for line in logs:
            self.assertNotIn("SECRET", line)
