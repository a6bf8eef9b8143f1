import datetime
import re
from io import StringIO

from django.core import mail
from django.core.management import CommandError, call_command
from django.utils import translation

from trustbox.box.envelope import Category, Envelope, Kind
from trustbox.box.services import appeal_submit
from trustbox.lib.dates import Case, ky_month
from trustbox.lib.tests.mailcheck import assert_mail, mail_parts
from trustbox.registry.models import Appeal
from trustbox.registry.notify import deadline_reminders_send
from trustbox.registry.obligations import appeals_overdue
from trustbox.registry.services import appeal_assign
from trustbox.registry.tests.helpers import ANONYMOUS_TEXT, SIGNED_TEXT, RegistryTestCase

DAY = datetime.timedelta(days=1)


class DeadlineRemindersTestCase(RegistryTestCase):
    """The anonymous appeal is registered and assigned; the signed one waits for registration."""

    def setUp(self):
        super().setUp()
        self.assignee = self.members[2]
        self.appeal = self.register(self.anonymous)
        appeal_assign(
            appeal=self.appeal,
            to=self.assignee,
            by=self.responsible,
            case_private=self.case_private(self.appeal),
        )
        self.appeal.refresh_from_db()
        self.signed.refresh_from_db()
        mail.outbox.clear()

    def give_email(self, user, language=""):
        user.email = f"{user.username}@school.invalid"
        user.language = language
        user.save(update_fields=["email", "language"])
        return user.email

    def emails_to(self, address):
        return [message for message in mail.outbox if address in message.to]

    def test_an_appeal_due_in_two_days_brings_one_due_soon_reminder_naming_its_number(self):
        address = self.give_email(self.assignee, "ru")
        sent = deadline_reminders_send(today=self.appeal.due_on - 2 * DAY)
        self.assertEqual(sent, 1)
        self.assertEqual(len(mail.outbox), 1)
        message = mail.outbox[0]
        self.assertEqual(message.to, [address])
        text, html = assert_mail(self, message, language="ru")
        self.assertIn("скоро истекает", message.subject)
        self.assertIn(self.appeal.number, text)
        self.assertIn(self.appeal.number, html)

    def test_a_second_run_on_the_same_day_sends_nothing(self):
        self.give_email(self.assignee)
        day = self.appeal.due_on - 2 * DAY
        deadline_reminders_send(today=day)
        self.assertEqual(deadline_reminders_send(today=day), 0)
        self.assertEqual(len(mail.outbox), 1)
        self.appeal.refresh_from_db()
        self.assertEqual(self.appeal.reminded_on, day)

    def test_the_reminder_comes_again_on_the_next_day(self):
        self.give_email(self.assignee)
        deadline_reminders_send(today=self.appeal.due_on - 2 * DAY)
        self.assertEqual(deadline_reminders_send(today=self.appeal.due_on - DAY), 1)

    def test_an_appeal_further_from_its_deadline_brings_no_reminder(self):
        self.give_email(self.assignee)
        self.assertEqual(deadline_reminders_send(today=self.appeal.due_on - 3 * DAY), 0)
        self.assertEqual(mail.outbox, [])

    def test_an_appeal_past_its_answer_date_brings_an_overdue_reminder(self):
        address = self.give_email(self.assignee)
        deadline_reminders_send(today=self.appeal.due_on + DAY)
        [message] = self.emails_to(address)
        text, html = assert_mail(self, message, language="ky")
        self.assertIn("мөөнөтү өтүп кеткен", message.subject)
        self.assertIn(self.appeal.number, text)
        self.assertIn(self.appeal.number, html)

    def test_the_responsible_person_is_reminded_of_an_assigned_appeal_too(self):
        self.give_email(self.assignee)
        responsible = self.give_email(self.responsible)
        deadline_reminders_send(today=self.appeal.due_on - 2 * DAY)
        about_it = [m for m in self.emails_to(responsible) if self.appeal.number in m.body]
        self.assertEqual(len(about_it), 1)

    def test_an_unregistered_appeal_past_its_registration_day_reminds_the_responsible(self):
        address = self.give_email(self.responsible, "ru")
        day = self.signed.register_by + DAY
        self.assertLess(day, self.appeal.due_on - 2 * DAY, "the registered one is not due yet")
        self.assertEqual(deadline_reminders_send(today=day), 1)
        [message] = self.emails_to(address)
        assert_mail(self, message, language="ru")
        self.assertIn("просрочено", message.subject)
        self.assertIn(f"вскрытии № {self.opening.journal_number}", message.body)
        self.assertIn(f"строка {self.signed.number_in_act}", message.body)

    def open_box_with(self, count):
        for number in range(count):
            appeal_submit(
                school=self.school,
                envelope=Envelope(kind="message", category="other", text=f"SECRET-{number}"),
            )
        return self.box_open()

    def test_each_person_gets_one_digest_a_run_listing_every_appeal_with_its_link(self):
        responsible = self.give_email(self.responsible, "ru")
        assignee = self.give_email(self.assignee)
        second = self.open_box_with(24)
        # 26 appeals need the responsible person: the one assigned, the signed one and 24 more
        # not registered in time; the official gets the one assigned to her.
        day = self.appeal.due_on + DAY
        self.assertEqual(Appeal.objects.filter(appeals_overdue(day)).count(), 26)
        with self.settings(SITE_URL="https://trustbox.example.kg"):
            sent = deadline_reminders_send(today=day)
        self.assertEqual(sent, 2)
        [digest] = self.emails_to(responsible)
        links = re.findall(r"https://trustbox\.example\.kg/s/alatoo/registry/(\d+)/", digest.body)
        # Each appeal once, in Russian, the responsible person's language.
        with self.settings(SITE_URL="https://trustbox.example.kg"):
            _text, html = assert_mail(self, digest, language="ru")
        self.assertEqual(
            sorted(map(int, links)), sorted(Appeal.objects.values_list("pk", flat=True))
        )
        self.assertEqual(
            len(re.findall(r'href="https://trustbox.example.kg/s/alatoo/registry/\d+/"', html)), 26
        )
        self.assertIn("https://trustbox.example.kg/s/alatoo/registry/\n", digest.body + "\n")
        self.assertIn("26", digest.subject)
        self.assertIn(f"вскрытии № {second.journal_number}", digest.body)
        [for_assignee] = self.emails_to(assignee)
        self.assertIn(self.appeal.number, for_assignee.body)
        self.assertNotIn(f"вскрытии № {second.journal_number}", for_assignee.body)

    def test_the_digest_writes_the_kyrgyz_deadline_in_the_dative(self):
        assignee = self.give_email(self.assignee)
        responsible = self.give_email(self.responsible, "ru")
        due = self.appeal.due_on
        deadline_reminders_send(today=due - 2 * DAY)
        [kyrgyz] = self.emails_to(assignee)
        for part in assert_mail(self, kyrgyz, language="ky"):
            self.assertIn(f"{due.day}-{ky_month(due.month, Case.DATIVE)} чейин", part)
        [russian] = self.emails_to(responsible)
        for part in assert_mail(self, russian, language="ru"):
            self.assertIn(f"до {due.day} ", part)

    def test_an_answered_appeal_is_not_reminded(self):
        self.give_email(self.assignee)
        Appeal.objects.filter(pk=self.appeal.pk).update(status="answered")
        self.assertEqual(deadline_reminders_send(today=self.appeal.due_on + DAY), 0)

    def test_no_reminder_carries_the_text_the_kind_or_the_category(self):
        self.give_email(self.assignee, "en")
        self.give_email(self.responsible, "ru")
        for day in (
            self.signed.register_by + DAY,
            self.appeal.due_on - 2 * DAY,
            self.appeal.due_on + DAY,
        ):
            deadline_reminders_send(today=day)
        self.assertGreaterEqual(len(mail.outbox), 3)
        forbidden = {ANONYMOUS_TEXT, SIGNED_TEXT, "SECRET", "Nazira", "+996"}
        for code in ("bullying", "canteen"):
            forbidden.add(code)
            for language in ("ky", "ru", "en"):
                with translation.override(language):
                    forbidden.add(str(Category(code).label))
        for language in ("ky", "ru", "en"):
            with translation.override(language):
                forbidden.add(str(Kind.COMPLAINT.label))
        forbidden.add(Kind.COMPLAINT.value)
        for message in mail.outbox:
            text, html = mail_parts(message)
            for secret in forbidden:
                for part in (message.subject, text, html):
                    self.assertNotIn(secret.lower(), part.lower())


class RemindCommandTestCase(RegistryTestCase):
    def setUp(self):
        super().setUp()
        self.appeal = self.register(self.anonymous)
        self.responsible.email = "responsible@school.invalid"
        self.responsible.language = "ru"
        self.responsible.save(update_fields=["email", "language"])

    def test_the_command_reminds_for_the_date_given_and_prints_how_many_emails_it_sent(self):
        out = StringIO()
        day = self.appeal.due_on - 2 * DAY
        with translation.override("en"):
            call_command("remind", date=day.isoformat(), stdout=out)
        # The due-soon registered appeal and the signed one, not registered in time: one digest.
        [digest] = mail.outbox
        self.assertIn(self.appeal.number, digest.body)
        self.assertIn(f"вскрытии № {self.opening.journal_number}", digest.body)
        self.assertIn(f"1 reminder email sent for {day.isoformat()}.", out.getvalue())

    def test_the_command_run_twice_on_a_day_sends_nothing_the_second_time(self):
        day = (self.appeal.due_on - 2 * DAY).isoformat()
        call_command("remind", date=day, stdout=StringIO())
        out = StringIO()
        with translation.override("en"):
            call_command("remind", "--date", day, stdout=out)
        self.assertIn("0 reminder emails sent", out.getvalue())

    def test_the_command_refuses_a_date_it_cannot_read(self):
        with self.assertRaises(CommandError):
            call_command("remind", date="25.11.2026", stdout=StringIO())
