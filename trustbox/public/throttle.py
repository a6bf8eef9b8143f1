"""Abuse limits of the writer's pages that cannot be turned against the school.

Counters live in memory only (trustbox.lib.limits), keyed by a daily-rotating tag of the
client, never by its address. The rules (docs/security-limits.md says why):

- appeals: each client may send APPEALS_PER_CLIENT_HOUR; the school takes
  APPEALS_PER_SCHOOL_HOUR, and only appeals that went into the box count there. An urgent
  appeal is never refused by the school's limit (the client's own limit still holds).
- files: each client may send APPEALS_PER_CLIENT_HOUR × 3 files an hour, and have
  UPLOAD_MEGAPIXELS_PER_CLIENT_HOUR megapixels decoded or rendered from them (the work a file
  costs); staff who are logged in are not counted.
- receipt codes: each client may get RECEIPT_TRIES_PER_CLIENT_HOUR codes wrong and have at most
  RECEIPT_LOOKUPS_PER_CLIENT_HOUR codes looked up, right or wrong (each look-up costs an Argon2
  derivation). While the whole school is over RECEIPT_TRIES_PER_SCHOOL_HOUR wrong codes, a
  client may still try one code per FLOOD_WINDOW: a flood from many addresses slows every
  client down, but keeps no writer with her right code out.
"""

from __future__ import annotations

from dataclasses import dataclass
from enum import Enum
from typing import Any

from django.conf import settings
from django.http import HttpRequest

from trustbox.box.attachments import MAX_FILES
from trustbox.lib.limits import Counter, client_tag

HOUR = 3600
FLOOD_WINDOW = 5 * 60


class Refusal(Enum):
    CLIENT = "client"  # this client is over its own limit
    SCHOOL = "school"  # the whole school is over its limit
    BUSY = "busy"  # a flood of wrong codes: one try per client per few minutes


# --- appeals ------------------------------------------------------------------------------


def _appeals_sent(school_id: int) -> Counter:
    return Counter(f"appeal:school:{school_id}", HOUR)


def appeal_refusal(request: HttpRequest, *, school_id: int, urgent: bool) -> Refusal | None:
    """Count this client's attempt to send an appeal; why it is refused, or None to go on.

    Nothing is counted for the school here: only appeal_accepted does that.
    """
    tries = Counter(f"appeal:client:{client_tag(request)}", HOUR).add()
    if tries > settings.APPEALS_PER_CLIENT_HOUR:
        return Refusal.CLIENT
    if not urgent and _appeals_sent(school_id).get() >= settings.APPEALS_PER_SCHOOL_HOUR:
        return Refusal.SCHOOL
    return None


def appeal_accepted(*, school_id: int) -> None:
    """Count an appeal that went into the box against the school's hourly limit."""
    _appeals_sent(school_id).add()


def upload_allowed(sender: Any, *, request: HttpRequest | None, **kwargs: Any) -> bool:
    """Count a file sent without a login against its client's hourly limit of files.

    Receives ``trustbox.box.uploads.file_starting``. Staff who are logged in (paper appeals
    typed in at an opening) are not counted.
    """
    user = getattr(request, "user", None)
    if request is None or (user is not None and user.is_authenticated):
        return True
    files = Counter(f"attachment:client:{client_tag(request)}", HOUR)
    return files.add() <= settings.APPEALS_PER_CLIENT_HOUR * MAX_FILES


@dataclass(frozen=True)
class PixelMeter:
    """The pixels a client's files may still cost this hour (``trustbox.box.filebudget.Meter``)."""

    counter: Counter
    limit: int

    def take(self, pixels: int) -> bool:
        if self.counter.add(pixels) <= self.limit:
            return True
        self.counter.add(-pixels)
        return False

    def give_back(self, pixels: int) -> None:
        self.counter.add(-pixels)

    def left(self) -> int:
        return max(0, self.limit - self.counter.get())


def upload_meter(request: HttpRequest) -> PixelMeter | None:
    """The meter of pixels for this request's files: None for staff who are logged in."""
    user = getattr(request, "user", None)
    if user is not None and user.is_authenticated:
        return None
    return PixelMeter(
        Counter(f"pixels:client:{client_tag(request)}", HOUR),
        settings.UPLOAD_MEGAPIXELS_PER_CLIENT_HOUR * 1_000_000,
    )


# --- receipt codes ------------------------------------------------------------------------


def _receipt_counters(request: HttpRequest, school_id: int) -> dict[str, Counter]:
    tag = client_tag(request)
    return {
        "wrong": Counter(f"receipt:wrong:{tag}", HOUR),
        "looked_up": Counter(f"receipt:lookup:{tag}", HOUR),
        "wrong_lately": Counter(f"receipt:wrong:{tag}", FLOOD_WINDOW),
        "school": Counter(f"receipt:school:{school_id}", HOUR),
    }


def receipt_refusal(request: HttpRequest, *, school_id: int) -> Refusal | None:
    """Whether this client may have a code looked up now; counts nothing."""
    counters = _receipt_counters(request, school_id)
    if (
        counters["wrong"].get() >= settings.RECEIPT_TRIES_PER_CLIENT_HOUR
        or counters["looked_up"].get() >= settings.RECEIPT_LOOKUPS_PER_CLIENT_HOUR
    ):
        return Refusal.CLIENT
    flood = counters["school"].get() >= settings.RECEIPT_TRIES_PER_SCHOOL_HOUR
    if flood and counters["wrong_lately"].get() >= 1:
        return Refusal.BUSY
    return None


def receipt_looked_up(request: HttpRequest, *, school_id: int, found: bool) -> None:
    """Count one look-up of a code; a wrong one also against the client and the school."""
    counters = _receipt_counters(request, school_id)
    counters["looked_up"].add()
    if not found:
        for name in ("wrong", "wrong_lately", "school"):
            counters[name].add()
