"""The install's health, for a monitor: `GET /health/` and `python -m trustbox health`.

It answers from the database, the task queue and the cache: the database reachable and
migrated, the jobs waiting and the oldest one's age, the last `daily` run, the last backup's
age. Nothing of a school, a person or an appeal, and no count of appeals. 200 when every
check holds, 503 when one does not (docs/deploy.md, "What to watch").
"""

from __future__ import annotations

import datetime
from dataclasses import asdict, dataclass

from django.conf import settings
from django.core.cache import cache
from django.db import DEFAULT_DB_ALIAS, DatabaseError, connections
from django.db.migrations.executor import MigrationExecutor
from django.http import HttpRequest, JsonResponse
from django.utils import timezone
from django.views.decorators.cache import never_cache
from django_tasks import TaskResultStatus
from django_tasks_db.models import DBTaskResult

from trustbox.core.models import Heartbeat


@dataclass(frozen=True)
class Check:
    name: str
    ok: bool
    detail: str


def _database() -> list[Check]:
    try:
        executor = MigrationExecutor(connections[DEFAULT_DB_ALIAS])
        pending = len(executor.migration_plan(executor.loader.graph.leaf_nodes()))
    except DatabaseError as error:
        return [Check("database", False, f"not reachable: {type(error).__name__}")]
    return [
        Check("database", True, "reachable"),
        Check("migrations", pending == 0, f"{pending} not applied"),
    ]


def _jobs(now: datetime.datetime) -> Check:
    waiting = DBTaskResult.objects.filter(status=TaskResultStatus.READY, run_after__lte=now)
    oldest = waiting.order_by("enqueued_at").values_list("enqueued_at", flat=True).first()
    age = int((now - oldest).total_seconds()) if oldest else 0
    limit = settings.HEALTH_JOB_WAIT_SECONDS
    return Check("jobs", age <= limit, f"{waiting.count()} waiting, the oldest for {age} s")


def _routine(routine: Heartbeat.Routine, limit_hours: int, now: datetime.datetime) -> Check:
    beat = Heartbeat.objects.filter(routine=routine).first()
    if beat is None:
        return Check(routine.value, False, "never ran")
    hours = (now - beat.finished_at).total_seconds() / 3600
    return Check(routine.value, hours <= limit_hours, f"{hours:.1f} hours ago")


def _cache() -> Check:
    key = "tb:health"
    try:
        cache.set(key, 1, timeout=5)
        answered = cache.get(key) == 1
    except Exception as error:  # a cache server down raises its own kind
        return Check("cache", False, f"not reachable: {type(error).__name__}")
    return Check("cache", answered, "answers" if answered else "did not keep a value")


def health_checks() -> list[Check]:
    """Every check, the database first: without it the others are not asked."""
    checks = _database()
    if not checks[0].ok:
        return [*checks, _cache()]
    now = timezone.now()
    return [
        *checks,
        _jobs(now),
        _routine(Heartbeat.Routine.DAILY, settings.HEALTH_DAILY_HOURS, now),
        _routine(Heartbeat.Routine.BACKUP, settings.HEALTH_BACKUP_HOURS, now),
        _cache(),
    ]


@never_cache
def health(request: HttpRequest) -> JsonResponse:
    checks = health_checks()
    healthy = all(check.ok for check in checks)
    return JsonResponse(
        {"healthy": healthy, "checks": [asdict(check) for check in checks]},
        status=200 if healthy else 503,
    )
