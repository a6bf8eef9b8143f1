"""The install's counters, in Prometheus' client (one process, or gunicorn's workers together).

Under `serve` every worker writes its counts to files in PROMETHEUS_MULTIPROC_DIR and the scrape
adds them up (prometheus_client's multiprocess mode); without that variable the counts live in
this process (the development server, the tests).

Nothing here names a school, a path, a person or an address. What a writer does is counted by
the hour: an appeal accepted, and every response of a page that is not staff's (the public box,
the home page, static files), is held in this process until its hour ends and only then added
to the counter that a scrape reads. A counter that moved with each appeal, read every 15 seconds,
would date each appeal to those 15 seconds; next to a copy of the database (where an appeal's
place in its school's chain gives the order of a day's appeals) it would give each appeal its
time. Staff pages and the count of failures (5xx) move at once: an alert must not wait an hour,
and a failure is logged when it happens already (docs/deploy.md, "What the logs hold").

It imports nothing of Django or of Trust Box.
"""

from __future__ import annotations

import threading
import time
from collections.abc import Callable

from prometheus_client import CollectorRegistry, Counter, Histogram

# The counters are kept in a registry of their own; the scrape reads it (one process) or the
# files every process wrote (multiprocess mode).
REGISTRY = CollectorRegistry(auto_describe=True)

APPEALS = Counter(
    "trustbox_appeals_accepted",
    "Appeals taken into a box from the public form, install-wide, counted by the hour: the "
    "appeals of an hour appear once it has ended.",
    registry=REGISTRY,
)
RESPONSES = Counter(
    "trustbox_http_responses",
    "Responses by route group (public, staff, other) and status class; public and other by "
    "the hour.",
    ["group", "status"],
    registry=REGISTRY,
)
RESPONSE_SECONDS = Histogram(
    "trustbox_http_response_seconds",
    "Time to answer, by route group and status class; public and other by the hour.",
    ["group", "status"],
    buckets=(0.025, 0.05, 0.1, 0.25, 0.5, 1.0, 2.5, 5.0, 10.0, 30.0),
    registry=REGISTRY,
)
ERRORS = Counter(
    "trustbox_http_errors",
    "Responses with a status of 500 or more, every page, at once.",
    registry=REGISTRY,
)

# Staff pages are counted at once; whatever a writer may visit waits for the end of its hour.
LIVE_GROUPS = frozenset({"staff"})


class Hourly:
    """Counts of this process held until the hour they belong to ends, then published.

    A timer publishes them a moment after the hour ends (and the next count or scrape of this
    process does, if it comes first): the moment a counter moves tells only that an hour ended.
    Counts held by a worker that dies are lost: the counter is a lower bound.
    """

    def __init__(self, clock: Callable[[], float] = time.time) -> None:
        self.clock = clock
        self._lock = threading.Lock()
        self._hour: int | None = None
        self._increments: dict[Callable[[float], None], float] = {}
        self._observations: dict[Callable[[float], None], list[float]] = {}
        self._timer: threading.Timer | None = None

    def add(self, increment: Callable[[float], None], amount: float = 1) -> None:
        """Add to a counter (its `inc`) at the end of the hour."""
        with self._lock:
            self._roll()
            self._increments[increment] = self._increments.get(increment, 0) + amount
            self._arm()

    def observe(self, observe: Callable[[float], None], value: float) -> None:
        """Give a histogram (its `observe`) a value at the end of the hour."""
        with self._lock:
            self._roll()
            self._observations.setdefault(observe, []).append(value)
            self._arm()

    def publish_due(self) -> None:
        """Publish what is held if its hour has ended."""
        with self._lock:
            self._roll()

    def _timer_rings(self) -> None:
        with self._lock:
            self._timer = None
            self._roll()
            if self._increments or self._observations:
                self._arm()

    def held(self) -> int:
        with self._lock:
            return len(self._increments) + len(self._observations)

    def forget(self) -> None:
        """Drop what is held, unpublished (a test that counts only its own begins so)."""
        with self._lock:
            self._increments.clear()
            self._observations.clear()
            self._hour = None

    def _roll(self) -> None:
        hour = int(self.clock() // 3600)
        if self._hour is not None and hour != self._hour:
            for increment, amount in self._increments.items():
                increment(amount)
            for observe, values in self._observations.items():
                for value in values:
                    observe(value)
            self._increments.clear()
            self._observations.clear()
        self._hour = hour

    def _arm(self) -> None:
        """A timer for the end of the hour (a worker's timer does not survive a fork)."""
        if self._timer is not None and self._timer.is_alive():
            return
        wait = max(0.0, (int(self.clock() // 3600) + 1) * 3600 - self.clock()) + 0.5
        self._timer = threading.Timer(wait, self._timer_rings)
        self._timer.daemon = True
        self._timer.start()


HOURLY = Hourly()


def status_class(status: int) -> str:
    return f"{status // 100}xx" if 100 <= status < 600 else "other"


def response_count(*, group: str, status: int, seconds: float) -> None:
    """Count one response of a route group: at once for staff pages, else at the hour's end."""
    labels = {"group": group, "status": status_class(status)}
    if status >= 500:
        ERRORS.inc()
    if group in LIVE_GROUPS:
        RESPONSES.labels(**labels).inc()
        RESPONSE_SECONDS.labels(**labels).observe(seconds)
        return
    HOURLY.add(RESPONSES.labels(**labels).inc)
    HOURLY.observe(RESPONSE_SECONDS.labels(**labels).observe, seconds)


def appeal_count() -> None:
    """Count an appeal taken into a box, at the end of its hour."""
    HOURLY.add(APPEALS.inc)
