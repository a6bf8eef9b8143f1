"""A person's own page: the language their email is written in (issue 21, point 7)."""

from __future__ import annotations

from django.conf import settings
from django.core import mail
from django.test import Client
from django.urls import reverse

from trustbox.accounts.models import User
from trustbox.audit.models import AuditEntry
from trustbox.box.notify import urgent_appeal_notify
from trustbox.lib.tests.mailcheck import assert_mail
from trustbox.test import BaseTestCase


class LanguageOfEmailTestCase(BaseTestCase):
    def setUp(self):
        super().setUp()
        self.member = self.members[2]
        User.objects.filter(pk=self.member.pk).update(email="member3@school.example")
        self.client = self.login(self.member, Client())
        self.client.cookies.load({settings.LANGUAGE_COOKIE_NAME: "en"})
        self.page = reverse("accounts:account")

    def mail_of_the_member(self):
        mail.outbox.clear()
        urgent_appeal_notify(school=self.school)
        return next(message for message in mail.outbox if message.to == [self.member_email()])

    def member_email(self):
        return User.objects.get(pk=self.member.pk).email

    def test_the_page_offers_each_language_and_the_schools_kyrgyz_is_chosen_at_first(self):
        page = self.client.get(self.page)
        self.assertContains(page, "Language of your email")
        for code, name in (("ky", "Кыргызча"), ("ru", "Русский"), ("en", "English")):
            self.assertContains(page, f'value="{code}"')
            self.assertContains(page, name)
        self.assertRegex(page.content.decode(), r'value="ky"[^>]*checked')
        self.assertContains(page, self.member.username)

    def test_choosing_russian_on_the_page_writes_the_next_email_in_russian(self):
        before = self.mail_of_the_member()
        assert_mail(self, before, language="ky")
        response = self.client.post(self.page, {"language": "ru"})
        self.assertRedirects(response, self.page)
        self.assertEqual(User.objects.get(pk=self.member.pk).language, "ru")
        after = self.mail_of_the_member()
        text, html = assert_mail(self, after, language="ru")
        for part in (text, html):
            self.assertIn("срочно", part)
        entry = AuditEntry.objects.get(action="account.language_chosen")
        self.assertEqual((entry.actor, entry.details), (self.member, {"language": "ru"}))
        # And back to English: the mail after that is English.
        self.client.post(self.page, {"language": "en"})
        assert_mail(self, self.mail_of_the_member(), language="en")

    def test_an_unknown_language_is_refused_and_nothing_changes(self):
        response = self.client.post(self.page, {"language": "de"})
        self.assertEqual(response.status_code, 200)
        self.assertContains(response, "Select a valid choice")
        self.assertEqual(User.objects.get(pk=self.member.pk).language, "")
        self.assertFalse(AuditEntry.objects.filter(action="account.language_chosen").exists())

    def test_the_name_in_the_header_leads_to_the_page_and_strangers_are_sent_to_log_in(self):
        home = self.client.get(reverse("core:home"), follow=True)  # staff land on their list
        self.assertContains(home, f'href="{self.page}"')
        stranger = Client().get(self.page)
        self.assertRedirects(stranger, f"{reverse('accounts:login')}?next={self.page}")
