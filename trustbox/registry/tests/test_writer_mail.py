"""A writer's message is announced once a day, without a number (issue 18, point 8)."""

from __future__ import annotations

import datetime
import io
import re

from django.conf import settings
from django.core import mail
from django.core.management import call_command
from django.db import models
from django.test import Client
from django.urls import reverse
from django.utils import timezone, translation

from trustbox.audit.models import WriterEntry
from trustbox.box.services import appeal_find_by_receipt
from trustbox.lib.tests.mailcheck import assert_mail
from trustbox.registry.models import Entry
from trustbox.registry.notify import writer_messages_notify
from trustbox.registry.services import appeal_assign
from trustbox.registry.tests.helpers import RegistryTestCase
from trustbox.registry.writer import writer_message_add

NOTICE_EN = "A writer wrote back on one of your appeals. See your to-do list: %(link)s"


class WriterMessageMailTestCase(RegistryTestCase):
    def setUp(self):
        super().setUp()
        self.appeal = self.register(self.anonymous)
        self.today = timezone.localdate()
        self.tomorrow = self.today + datetime.timedelta(days=1)
        for person in (self.responsible, self.members[2]):
            person.email = f"{person.username}@school.example"
            person.save(update_fields=["email"])

    def write_back(self, text="SECRET-thank you, it stopped"):
        found = appeal_find_by_receipt(school=self.school, code=self.receipt.code)
        with self.captureOnCommitCallbacks(execute=True):
            writer_message_add(found=found, text=text)

    def test_nothing_is_mailed_when_the_writer_writes_and_one_mail_without_number_next_day(self):
        self.write_back()
        self.assertEqual(mail.outbox, [])
        # The run of the same day leaves the day's messages for tomorrow's run.
        self.assertEqual(writer_messages_notify(today=self.today), 0)
        self.write_back("SECRET-and one more thing")
        self.assertEqual(mail.outbox, [])

        out = io.StringIO()
        call_command("remind", date=self.tomorrow.isoformat(), stdout=out)
        [sent] = mail.outbox
        self.assertEqual(sent.to, [self.responsible.email])
        self.assertIn("1 email sent of writers who wrote back.", out.getvalue())
        link = settings.SITE_URL + reverse("core:dashboard", args=[self.school.slug])
        text, html = assert_mail(self, sent, language="ky", secrets=["SECRET"])
        with translation.override("ky"):
            self.assertEqual(text, translation.gettext(NOTICE_EN) % {"link": link} + "\n")
        self.assertIn(f'<a href="{link}"', html)
        # No number, no date, nothing of the appeal: not a digit but in the link.
        for part in (
            sent.subject,
            text.replace(link, ""),
            re.sub(r"<[^>]*>|[^>]*//[^<]*", "", html),
        ):
            self.assertFalse(re.search(r"\d", part), part)
        # Told once: the next run mails nothing.
        self.assertEqual(writer_messages_notify(today=self.tomorrow), 0)
        self.assertEqual(len(mail.outbox), 1)

    def test_the_assignee_is_told_rather_than_the_responsible_person(self):
        appeal_assign(
            appeal=self.appeal,
            to=self.members[2],
            by=self.responsible,
            case_private=self.case_private(self.appeal),
        )
        mail.outbox.clear()
        self.write_back()
        self.members[2].language = "en"
        self.members[2].save(update_fields=["language"])
        self.assertEqual(writer_messages_notify(today=self.tomorrow), 1)
        self.assertEqual([m.to for m in mail.outbox], [[self.members[2].email]])
        text, _html = assert_mail(self, mail.outbox[0], language="en", secrets=["SECRET"])
        self.assertIn("A writer wrote back on one of your appeals.", text)

    def test_the_to_do_list_shows_the_message_meanwhile(self):
        client = self.login(self.responsible, Client())
        client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
        dashboard = reverse("core:dashboard", args=[self.school.slug])
        line = f"The writer of appeal {self.appeal.number} wrote back."
        self.assertNotContains(client.get(dashboard, HTTP_ACCEPT_LANGUAGE="en"), line)
        self.write_back()
        self.assertContains(client.get(dashboard, HTTP_ACCEPT_LANGUAGE="en"), line)
        # A teacher to whom it is not assigned does not see it.
        teacher = self.login(self.teacher, Client())
        self.assertNotContains(teacher.get(dashboard, HTTP_ACCEPT_LANGUAGE="en"), line)

    def test_nothing_stores_the_time_of_the_message_finer_than_the_day(self):
        self.write_back()
        self.write_back("SECRET-second")
        writer_messages_notify(today=self.today)
        entries = Entry.objects.filter(kind=Entry.Kind.WRITER)
        # The file's entries keep a date and nothing finer; the flags of one day are alike.
        self.assertFalse(
            [f.name for f in Entry._meta.concrete_fields if isinstance(f, models.DateTimeField)]
        )
        self.assertEqual(set(entries.values_list("created_on", "notified")), {(self.today, False)})
        writer_messages_notify(today=self.tomorrow)
        self.assertEqual(set(entries.values_list("created_on", "notified")), {(self.today, True)})
        # The audit log keeps the day only, in the writers' chain.
        for entry in WriterEntry.objects.all():
            self.assertEqual(timezone.localtime(entry.created_at).time(), datetime.time.min)
