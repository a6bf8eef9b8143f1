"""Counters of abuse limits and tags of clients, kept in memory only.

Everything here lives in the default cache, which must be process memory (the default) or a
shared in-memory store for several processes (Redis without persistence, TRUSTBOX_REDIS_URL):
a cache on disk would keep who came and when. ``check_cache_in_memory`` refuses one.

A client is known by a tag: a keyed hash of its address under a random key of the day that is
made in memory, never derived from anything on disk, and forgotten the next day. With the
process-memory cache every process has its own key, so limits count per process.
"""

from __future__ import annotations

import hashlib
import hmac
import ipaddress
import math
import os
import secrets
import time
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any

from django.conf import settings
from django.core.cache import cache
from django.core.checks import CheckMessage, Error, Warning
from django.http import HttpRequest
from django.utils import timezone

DAY = 24 * 3600


def clock() -> float:
    """Seconds since the epoch: the one clock of the limits (tests move it)."""
    return time.time()


def _local(now: float) -> datetime:
    return datetime.fromtimestamp(now, tz=timezone.get_default_timezone())


def seconds_to_midnight_after(seconds: float) -> float:
    """How long until the first local midnight at least `seconds` from now.

    An expiry written this way tells the day, never the time of day, of what was stored
    (the cache adds the timeout to its own clock, so it lands within a blink of midnight).
    """
    now = clock()
    later = _local(now + seconds)
    midnight = datetime.combine(later.date() + timedelta(days=1), datetime.min.time())
    return midnight.replace(tzinfo=later.tzinfo).timestamp() - now


# --- who is asking ------------------------------------------------------------------------


def client_address(request: HttpRequest) -> str:
    """The address of the client, from the hop our own proxy added when behind one.

    X-Forwarded-For is a list that each proxy extends on the right; everything left of what
    our proxies appended was sent by the client and can be anything. So behind
    TRUSTBOX_PROXY_HOPS proxies the client is the entry that many places from the right.
    """
    remote = request.META.get("REMOTE_ADDR", "")
    if not settings.BEHIND_PROXY:
        return remote
    hops = max(1, settings.PROXY_HOPS)
    forwarded = [part.strip() for part in request.META.get("HTTP_X_FORWARDED_FOR", "").split(",")]
    forwarded = [part for part in forwarded if part]
    if len(forwarded) < hops:
        return remote
    return forwarded[-hops]


def _network(address: str) -> str:
    """One client per IPv4 address, and per /64 for IPv6 (what one household or phone gets)."""
    try:
        parsed = ipaddress.ip_address(address.strip("[]"))
    except ValueError:
        return address
    if isinstance(parsed, ipaddress.IPv6Address):
        if parsed.ipv4_mapped is not None:
            return str(parsed.ipv4_mapped)
        return str(ipaddress.IPv6Network((parsed, 64), strict=False))
    return str(parsed)


_day_keys: dict[str, bytes] = {}


def _tag_key(now: float) -> bytes:
    """The random key of today's tags: in this process's memory, or shared in the cache."""
    day = _local(now).date().isoformat()
    key = _day_keys.get(day)
    if key is None:
        name = f"tb:tagkey:{day}"
        cache.add(name, secrets.token_hex(32), timeout=seconds_to_midnight_after(0) + 3600)
        shared = cache.get(name)
        key = bytes.fromhex(shared) if isinstance(shared, str) else secrets.token_bytes(32)
        _day_keys.clear()
        _day_keys[day] = key
    return key


def client_tag(request: HttpRequest) -> str:
    """Who is asking, as a keyed hash that rotates daily; the address itself goes nowhere."""
    address = _network(client_address(request))
    return hmac.new(_tag_key(clock()), address.encode(), hashlib.sha256).hexdigest()[:32]


# --- counting -----------------------------------------------------------------------------


@dataclass(frozen=True)
class Counter:
    """A count of events in fixed windows of `window` seconds, one cache key per window.

    Each write states the expiry (the end of its window) again: the file and database
    backends' incr writes the default timeout instead of keeping the one given.
    """

    name: str
    window: int

    def _key(self, now: float) -> str:
        return f"tb:n:{self.name}:{self.window}:{int(now // self.window)}"

    def _left(self, now: float) -> int:
        return max(1, math.ceil((int(now // self.window) + 1) * self.window - now))

    def get(self) -> int:
        return int(cache.get(self._key(clock()), 0))

    def add(self, delta: int = 1) -> int:
        """Count `delta` events now; return the count of this window."""
        now = clock()
        key, timeout = self._key(now), self._left(now)
        cache.add(key, 0, timeout=timeout)
        try:
            count = int(cache.incr(key, delta))
        except ValueError:  # gone between add and incr (culled or expired)
            count = max(0, delta)
            cache.set(key, count, timeout=timeout)
        cache.touch(key, timeout)
        return count

    def take_back(self) -> None:
        """Uncount one event of this window (one that turned out not to count)."""
        if self.get() > 0:
            self.add(-1)

    def forget(self) -> None:
        cache.delete(self._key(clock()))

    def minutes_left(self) -> int:
        """Whole minutes until this window ends, at least one."""
        return max(1, math.ceil(self._left(clock()) / 60))


# --- the cache must not be on disk --------------------------------------------------------

ON_DISK = ("filebased.FileBasedCache", "db.DatabaseCache")


def check_cache_in_memory(**kwargs: Any) -> list[CheckMessage]:
    """Refuse a cache that writes to disk: it would keep when writers came, and their tags."""
    problems: list[CheckMessage] = []
    backend = str(settings.CACHES.get("default", {}).get("BACKEND", ""))
    if backend.endswith(ON_DISK):
        problems.append(
            Error(
                f"The cache {backend} writes to disk; the abuse limits must stay in memory.",
                hint="Use the default (process memory) or TRUSTBOX_REDIS_URL (Redis without "
                "persistence) for several processes.",
                id="trustbox.E001",
            )
        )
    if os.environ.get("TRUSTBOX_CACHE_DIR"):
        problems.append(
            Warning(
                "TRUSTBOX_CACHE_DIR is no longer used: the limits live in memory only.",
                hint="Remove it; set TRUSTBOX_REDIS_URL to share the limits among processes.",
                id="trustbox.W001",
            )
        )
    return problems
