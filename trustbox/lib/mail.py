"""Content-free notifications, written in Kyrgyz and Russian in one message."""

from __future__ import annotations

import logging
from collections.abc import Callable, Iterable

from django.conf import settings
from django.core.mail import send_mass_mail
from django.utils import translation

log = logging.getLogger(__name__)

MAIL_LANGUAGES = ("ky", "ru")


def mail_bilingual(
    *, recipients: Iterable[str], subject: Callable[[], str], body: Callable[[], str]
) -> int:
    """Send one message to each address, its subject and body in Kyrgyz then Russian.

    subject and body are called once per language with that language active. Raise OSError
    if the mail server fails; return how many messages were sent.
    """
    addresses = sorted({address for address in recipients if address})
    if not addresses:
        return 0
    subjects, bodies = [], []
    for language in MAIL_LANGUAGES:
        with translation.override(language):
            subjects.append(subject())
            bodies.append(body())
    messages = [
        (" / ".join(subjects), "\n\n".join(bodies), settings.DEFAULT_FROM_EMAIL, [address])
        for address in addresses
    ]
    return send_mass_mail(messages, fail_silently=False)


def mail_bilingual_or_log(
    *, recipients: Iterable[str], subject: Callable[[], str], body: Callable[[], str], what: str
) -> int:
    """As mail_bilingual, but a failing mail server is logged (without content) and not raised."""
    try:
        return mail_bilingual(recipients=recipients, subject=subject, body=body)
    except OSError:
        log.warning("a notification could not be sent: %s", what)
        return 0
