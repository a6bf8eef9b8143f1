"""A key that lives only in one browser: an HttpOnly, SameSite=Strict cookie.

The server keeps a secret encrypted under this key (crypto.lock_for_browser) and never
stores the key itself, so neither the database nor the browser alone opens the secret.
"""

from __future__ import annotations

import base64
import binascii

from django.conf import settings
from django.http import HttpRequest, HttpResponse


def browser_key_give(
    response: HttpResponse, *, name: str, key: bytes, path: str = "/", max_age: int | None = None
) -> None:
    """Hand the key to the browser; without max_age it is forgotten when the browser closes."""
    response.set_cookie(
        name,
        base64.urlsafe_b64encode(key).decode(),
        max_age=max_age,
        path=path,
        secure=settings.SESSION_COOKIE_SECURE,
        httponly=True,
        samesite="Strict",
    )


def browser_key_read(request: HttpRequest, *, name: str) -> bytes | None:
    """The key this browser holds under the name, or None."""
    try:
        return base64.urlsafe_b64decode(request.COOKIES[name])
    except (KeyError, binascii.Error, ValueError):
        return None


def browser_key_take_back(response: HttpResponse, *, name: str, path: str = "/") -> None:
    response.delete_cookie(name, path=path, samesite="Strict")
