"""Every email goes out through lib/mail.py: one person, their language, two parts."""

from __future__ import annotations

import re
from pathlib import Path
from types import SimpleNamespace

from django.core import mail
from django.test import SimpleTestCase, override_settings
from django.utils.translation import gettext, gettext_lazy

from trustbox.lib.mail import mail_language, mail_people, mail_send
from trustbox.lib.tests.mailcheck import assert_mail, mail_parts

PACKAGE = Path(__file__).resolve().parents[2]
SENDERS = re.compile(r"\b(send_mail|send_mass_mail|mail_admins|mail_managers|EmailMessage|"
                     r"EmailMultiAlternatives|get_connection)\b")  # fmt: skip


def person(email, language=""):
    return SimpleNamespace(email=email, language=language)


class OneWayOutTestCase(SimpleTestCase):
    def test_nothing_but_lib_mail_sends_mail(self):
        senders = [
            str(path.relative_to(PACKAGE))
            for path in PACKAGE.rglob("*.py")
            if "tests" not in path.parts
            and path.name != "mail.py"
            and SENDERS.search(path.read_text())
        ]
        self.assertEqual(senders, [])

    def test_every_kind_of_email_has_a_text_and_an_html_template(self):
        kinds = {
            path.with_suffix("")
            for path in PACKAGE.glob("*/templates/*/mail/*")
            if not path.stem.endswith("_who")  # a sentence both parts include
        }
        self.assertGreaterEqual(len(kinds), 11)
        for kind in kinds:
            for suffix in (".txt", ".html"):
                self.assertTrue(kind.with_suffix(suffix).exists(), f"{kind}{suffix}")

    def test_a_person_without_a_language_reads_the_schools_kyrgyz(self):
        self.assertEqual(mail_language(person("a@x.kg")), "ky")
        self.assertEqual(mail_language(person("a@x.kg", "ru")), "ru")
        self.assertEqual(mail_language(person("a@x.kg", "de")), "ky")


@override_settings(SITE_URL="https://trustbox.example.kg")
class MailSendTestCase(SimpleTestCase):
    context = {
        "school": "Мектеп <№1> & «Ала-Тоо»",
        "link": "https://trustbox.example.kg/accounts/login/",
        "login": "jypar",
    }

    def send(self, to):
        return mail_send(
            to,
            subject=gettext_lazy("Trust Box: your director's account"),
            template="schools/mail/director_invitation",
            context=self.context,
        )

    def test_each_person_gets_one_message_in_their_language_with_two_parts(self):
        sent = mail_people(
            [person("b@x.kg", "ru"), person("a@x.kg"), person("b@x.kg", "en"), person("")],
            subject=lambda: gettext("Trust Box: your director's account"),
            template="schools/mail/director_invitation",
            context=lambda: self.context,
        )
        self.assertEqual(sent, 2, "one message per address; none without one")
        self.assertEqual([m.to for m in mail.outbox], [["a@x.kg"], ["b@x.kg"]])
        ky_text, _ = assert_mail(self, mail.outbox[0], language="ky")
        ru_text, ru_html = assert_mail(self, mail.outbox[1], language="ru")
        self.assertIn("Мектеп <№1> & «Ала-Тоо»", ru_text, "the plain text is not escaped")
        self.assertIn("Мектеп &lt;№1&gt; &amp; «Ала-Тоо»", ru_html, "the HTML is")
        self.assertIn(
            '<a href="https://trustbox.example.kg/accounts/login/"', ru_html, "a link to the site"
        )
        self.assertNotEqual(ky_text, ru_text)

    def test_a_link_elsewhere_is_never_made_a_link(self):
        self.context = {**self.context, "link": "https://evil.example.com/login/"}
        self.send(person("a@x.kg", "en"))
        _text, html = mail_parts(mail.outbox[0])
        self.assertNotIn("href=", html)
        self.assertIn("https://evil.example.com/login/", html)

    def test_nobody_without_an_address_is_mailed(self):
        self.assertEqual(self.send(person("")), 0)
        self.assertEqual(mail.outbox, [])
