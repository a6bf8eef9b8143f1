"""An official's unlocked personal key, held for their browser session only.

The session (in the database) keeps the key encrypted; the key that opens it lives only in
an HttpOnly cookie of the official's browser. Neither alone opens anything, and signing
out or closing the browser forgets it.
"""

from __future__ import annotations

import base64
import binascii
import time

from django.conf import settings
from django.http import HttpRequest, HttpResponse

from trustbox.seal import crypto
from trustbox.seal.browser import browser_key_give, browser_key_read, browser_key_take_back

COOKIE = "tb_unlock"
SESSION_KEY = "tb_personal"


def personal_key_remember(request: HttpRequest, response: HttpResponse, personal: bytes) -> None:
    key, locked = crypto.lock_for_browser(personal)
    request.session[SESSION_KEY] = {
        "locked": base64.b64encode(locked).decode(),
        "until": int(time.time()) + settings.REGISTRY_UNLOCK_SECONDS,
    }
    browser_key_give(response, name=COOKIE, key=key, max_age=settings.REGISTRY_UNLOCK_SECONDS)


def personal_key_recall(request: HttpRequest) -> bytes | None:
    """The personal key unlocked earlier in this browser, or None."""
    held = request.session.get(SESSION_KEY)
    key = browser_key_read(request, name=COOKIE)
    if not held or key is None or held.get("until", 0) < time.time():
        return None
    try:
        return crypto.unlock_from_browser(key, base64.b64decode(held["locked"]))
    except (crypto.SealError, binascii.Error, ValueError, KeyError):
        return None


def personal_key_forget(request: HttpRequest, response: HttpResponse) -> None:
    request.session.pop(SESSION_KEY, None)
    browser_key_take_back(response, name=COOKIE)
