"""What a scrape reads: the counters of every worker, and the job queue read from the database."""

from __future__ import annotations

import os
from collections.abc import Iterable, Iterator

from django.db import DatabaseError
from django.utils import timezone
from django_tasks import TaskResultStatus
from django_tasks_db.models import DBTaskResult
from prometheus_client import CollectorRegistry, generate_latest
from prometheus_client.core import GaugeMetricFamily, Metric
from prometheus_client.multiprocess import MultiProcessCollector

from trustbox.metrics.counters import HOURLY, REGISTRY


class QueueCollector:
    """The background worker's queue, read at scrape time: jobs waiting, the oldest one's age."""

    def collect(self) -> Iterator[Metric]:
        now = timezone.now()
        reachable = GaugeMetricFamily(
            "trustbox_database_reachable", "1 when the database answered this scrape, else 0."
        )
        try:
            waiting = DBTaskResult.objects.filter(status=TaskResultStatus.READY, run_after__lte=now)
            count = waiting.count()
            oldest = waiting.order_by("enqueued_at").values_list("enqueued_at", flat=True).first()
        except DatabaseError:
            reachable.add_metric([], 0)
            yield reachable
            return
        reachable.add_metric([], 1)
        yield reachable
        yield GaugeMetricFamily(
            "trustbox_jobs_waiting", "Background jobs due and not yet started.", value=count
        )
        yield GaugeMetricFamily(
            "trustbox_jobs_oldest_wait_seconds",
            "How long the oldest job due has waited (0 when none waits).",
            value=(now - oldest).total_seconds() if oldest else 0,
        )


class ThisProcess:
    """The counters of this process, when no multiprocess directory is set."""

    def collect(self) -> Iterable[Metric]:
        return REGISTRY.collect()


def multiprocess_directory() -> str | None:
    return os.environ.get("PROMETHEUS_MULTIPROC_DIR") or None


def exposition(directory: str | None = None) -> bytes:
    """The text a scrape gets: every worker's files in multiprocess mode, else this process."""
    HOURLY.publish_due()
    registry = CollectorRegistry()
    directory = directory or multiprocess_directory()
    if directory:
        MultiProcessCollector(registry, path=directory)
    else:
        registry.register(ThisProcess())
    registry.register(QueueCollector())
    return generate_latest(registry)
