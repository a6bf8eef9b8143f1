"""What every email must be (lib/mail.py): one language, two parts, simple HTML, no content.

Tests of each kind of email call assert_mail on the messages in django.core.mail.outbox.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from typing import Any

from django.conf import settings
from django.core.mail import EmailMessage, EmailMultiAlternatives

# How the product's name reads in each language: every subject starts with it.
NAMES = {"ky": "Ишеним кутусу", "ru": "Ящик доверия", "en": "Trust Box"}
# What an HTML part of a mail must never hold: pictures, styles or scripts from elsewhere.
NOT_IN_HTML = ("<img", "src=", "<style", "<link", "<script", "url(", "@import", "<iframe")


def mail_parts(message: EmailMessage) -> tuple[str, str]:
    """The plain text and the HTML of a message, as the mail carries them (decoded)."""
    assert isinstance(message, EmailMultiAlternatives), type(message)
    raw = message.message()
    parts = {
        part.get_content_type(): part.get_payload(decode=True).decode(part.get_content_charset())
        for part in raw.walk()
        if part.get_content_maintype() == "text"
    }
    assert sorted(parts) == ["text/html", "text/plain"], sorted(parts)
    return parts["text/plain"], parts["text/html"]


def assert_mail(
    test: Any, message: EmailMessage, *, language: str, secrets: Iterable[str] = ()
) -> tuple[str, str]:
    """Check the message is in the language, with both parts, simple, and without the secrets.

    Return its text and HTML parts for more checks.
    """
    text, html = mail_parts(message)
    test.assertTrue(message.subject.startswith(NAMES[language] + ":"), message.subject)
    test.assertIn(f'<html lang="{language}">', html)
    for other, name in NAMES.items():
        if other != language:
            for part in (message.subject, text, html):
                test.assertNotIn(name, part, f"{other} in a {language} mail")
    for secret in secrets:
        for part in (message.subject, text, html):
            test.assertNotIn(secret, part)
    for word in NOT_IN_HTML:
        test.assertNotIn(word, html.lower())
    for link in re.findall(r'href="([^"]*)"', html):
        test.assertTrue(link.startswith(settings.SITE_URL + "/"), link)
    test.assertIn('style="', html, "styles are inline")
    for part in (message.subject, text, html):
        test.assertNotIn("г..", part)
    return text, html
