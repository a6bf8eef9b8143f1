"""Every email goes out here: to one person, in their language, as plain text and simple HTML.

A message names what needs the person's attention, never what an appeal says: its templates get
numbers, dates, codes and links to this site only. Each kind of message has two templates,
`<name>.txt` and `<name>.html` (extending mail/base.txt and mail/base.html: inline styles, no
images, no link but to this site). Mail goes out through Django's email backend
(TRUSTBOX_EMAIL_BACKEND, SMTP in production).
"""

from __future__ import annotations

import logging
import re
from collections.abc import Callable, Iterable, Mapping
from typing import Any, Protocol

from django.conf import settings
from django.core.mail import EmailMultiAlternatives, get_connection
from django.template.loader import render_to_string
from django.utils import translation
from django.utils.functional import Promise

from trustbox.lib.dates import one_period

log = logging.getLogger(__name__)

MAIL_LANGUAGES = ("ky", "ru", "en")

Subject = Callable[[], str] | Promise | str
Context = Mapping[str, Any] | Callable[[], Mapping[str, Any]]


class Recipient(Protocol):
    """A person who gets mail: a staff account (accounts.models.User)."""

    email: str
    language: str


def mail_language(person: Recipient) -> str:
    """The person's own language, else the school's: Kyrgyz (schools have no other yet)."""
    language = getattr(person, "language", "")
    return language if language in MAIL_LANGUAGES else settings.LANGUAGE_CODE


def mail_render(
    person: Recipient, *, subject: Subject, template: str, context: Context | None = None
) -> EmailMultiAlternatives:
    """The message to the person: subject and both parts written in the person's language.

    subject is a string, a lazy string or a function; context a mapping or a function
    returning one (for words that depend on the language): both are evaluated with the
    person's language active.
    """
    with translation.override(mail_language(person)):
        title = str(subject() if callable(subject) else subject)
        data = dict((context() if callable(context) else context) or {})
        data["subject"] = title
        text = render_to_string(f"{template}.txt", data)
        html = render_to_string(f"{template}.html", data)
    message = EmailMultiAlternatives(
        one_period(" ".join(title.split())),
        one_period(re.sub(r"\n{3,}", "\n\n", text.strip()) + "\n"),
        settings.DEFAULT_FROM_EMAIL,
        [person.email],
    )
    message.attach_alternative(one_period(html), "text/html")
    return message


def mail_send(
    person: Recipient,
    *,
    subject: Subject,
    template: str,
    context: Context | None = None,
    connection: Any = None,
) -> int:
    """Send one message to the person in their language (mail_render); 0 without an address.

    OSError if the mail server fails.
    """
    if not person.email:
        return 0
    message = mail_render(person, subject=subject, template=template, context=context)
    message.connection = connection
    return message.send(fail_silently=False)


def mail_people(
    people: Iterable[Recipient],
    *,
    subject: Subject,
    template: str,
    context: Context | None = None,
) -> int:
    """Send the message to each person with an address, once per address, each in their
    language; return how many were sent. OSError if the mail server fails."""
    unique: dict[str, Recipient] = {}
    for person in people:
        if person.email:
            unique.setdefault(person.email, person)
    if not unique:
        return 0
    sent = 0
    with get_connection() as connection:
        for _address, person in sorted(unique.items()):
            sent += mail_send(
                person, subject=subject, template=template, context=context, connection=connection
            )
    return sent


def mail_people_or_log(
    people: Iterable[Recipient],
    *,
    subject: Subject,
    template: str,
    context: Context | None = None,
    what: str,
) -> int:
    """As mail_people, but a failing mail server is logged (without content) and not raised."""
    try:
        return mail_people(people, subject=subject, template=template, context=context)
    except OSError:
        log.warning("a notification could not be sent: %s", what)
        return 0
