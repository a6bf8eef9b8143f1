"""Abuse limits that never keep an address.

Counters are keyed by a daily-rotating hash of the client and live in the cache only.
"""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.core.cache import cache
from django.http import HttpRequest
from django.utils import timezone

from trustbox.box.attachments import MAX_FILES
from trustbox.seal.crypto import rotating_tag

WINDOW_SECONDS = 3600


def _client_address(request: HttpRequest) -> str:
    if settings.BEHIND_PROXY:
        forwarded = request.META.get("HTTP_X_FORWARDED_FOR", "")
        if forwarded:
            return forwarded.split(",")[0].strip()
    return request.META.get("REMOTE_ADDR", "")


def client_tag(request: HttpRequest) -> str:
    """Who is asking, as a keyed hash that rotates daily; the address itself goes nowhere."""
    return rotating_tag(
        settings.SECRET_KEY, timezone.localdate().isoformat(), _client_address(request)
    )


def _hit(key: str, limit: int) -> bool:
    """Count one hit; return whether it is still within the limit for this hour."""
    cache.add(key, 0, timeout=WINDOW_SECONDS)
    try:
        count = cache.incr(key)
    except ValueError:
        cache.set(key, 1, timeout=WINDOW_SECONDS)
        count = 1
    return count <= limit


def allow(
    request: HttpRequest, *, action: str, school_id: int, per_client: int, per_school: int
) -> bool:
    """Count one attempt; False once the client or the whole school is over the hourly limit."""
    hour = timezone.now().strftime("%Y%m%d%H")
    client_ok = _hit(f"tb:{action}:{hour}:c:{client_tag(request)}", per_client)
    school_ok = _hit(f"tb:{action}:{hour}:s:{school_id}", per_school)
    return client_ok and school_ok


def blocked(
    request: HttpRequest, *, action: str, school_id: int, per_client: int, per_school: int
) -> bool:
    """Whether the client or the school is already over its limit, without counting."""
    hour = timezone.now().strftime("%Y%m%d%H")
    client = cache.get(f"tb:{action}:{hour}:c:{client_tag(request)}", 0)
    school = cache.get(f"tb:{action}:{hour}:s:{school_id}", 0)
    return client >= per_client or school >= per_school


def upload_allowed(sender: Any, *, request: HttpRequest | None, **kwargs: Any) -> bool:
    """Count a file sent without a login against its client's hourly limit of files.

    Receives ``trustbox.box.uploads.file_starting``. Staff who are logged in (paper appeals
    typed in at an opening) are not counted.
    """
    user = getattr(request, "user", None)
    if request is None or (user is not None and user.is_authenticated):
        return True
    hour = timezone.now().strftime("%Y%m%d%H")
    limit = settings.APPEALS_PER_CLIENT_HOUR * MAX_FILES
    return _hit(f"tb:attachment:{hour}:c:{client_tag(request)}", limit)
