"""Read the exposition as Prometheus would, and move this process's clock past the hour."""

from __future__ import annotations

import time
from collections.abc import Iterator
from contextlib import contextmanager
from unittest import mock

from prometheus_client.parser import text_string_to_metric_families

from trustbox.metrics.counters import HOURLY
from trustbox.metrics.exposition import exposition


def samples(text: str) -> dict[tuple[str, tuple[tuple[str, str], ...]], float]:
    """Every sample of an exposition: (name, sorted labels) -> value."""
    return {
        (sample.name, tuple(sorted(sample.labels.items()))): sample.value
        for family in text_string_to_metric_families(text)
        for sample in family.samples
    }


def value(name: str, directory: str | None = None, **labels: str) -> float:
    """A sample's value in a scrape (0 when it is not there yet)."""
    return samples(exposition(directory).decode()).get((name, tuple(sorted(labels.items()))), 0.0)


def held_forgotten() -> None:
    """Drop what this process holds for the hour, so that a test counts only its own."""
    HOURLY.forget()


@contextmanager
def hour_frozen() -> Iterator[None]:
    """This process's clock held in the middle of the hour: nothing is published by itself."""
    middle = int(time.time() // 3600) * 3600 + 1800
    with mock.patch.object(HOURLY, "clock", lambda: middle):
        yield


@contextmanager
def hour_ended() -> Iterator[None]:
    """This process's clock an hour ahead: what it held for the hour is published."""
    with mock.patch.object(HOURLY, "clock", lambda: time.time() + 3600):
        HOURLY.publish_due()
        yield
