"""The install's health, for a monitor: `GET /health/` and `python -m trustbox health`.

It answers from the database, the task queue and the cache: the database reachable and
migrated, the jobs waiting and the oldest one's age, the last `daily` run, the last backup's
age. Nothing of a school, a person or an appeal, and no count of appeals. 200 when every
check holds, 503 when one does not (docs/deploy.md, "What to watch").
"""

from __future__ import annotations

import datetime
from collections.abc import Mapping
from dataclasses import dataclass, field

from django.conf import settings
from django.core.cache import cache
from django.db import DEFAULT_DB_ALIAS, DatabaseError, connections
from django.http import HttpRequest, JsonResponse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_noop
from django.views.decorators.cache import never_cache
from django_tasks import TaskResultStatus
from django_tasks_db.models import DBTaskResult

from trustbox.core.models import Heartbeat
from trustbox.core.production import migrations_pending

# What the command prints before each check's words (the JSON keeps the names as they are).
NAMES = {
    "database": gettext_noop("database"),
    "migrations": gettext_noop("migrations"),
    "jobs": gettext_noop("jobs"),
    "daily": gettext_noop("daily work"),
    "backup": gettext_noop("backup"),
    "cache": gettext_noop("cache"),
}


@dataclass(frozen=True)
class Check:
    """One check: `detail` in English for a monitor's JSON, `said()` in the operator's language."""

    name: str
    ok: bool
    words: str  # an English msgid with %(…)s placeholders, marked for translation
    values: Mapping[str, object] = field(default_factory=dict)

    @property
    def detail(self) -> str:
        return self.words % self.values

    def said(self) -> str:
        """The check's line for the operator, in the active language."""
        state = _("ok") if self.ok else _("FAILING")
        return _("%(check)s: %(state)s (%(detail)s)") % {
            "check": _(NAMES[self.name]),
            "state": state,
            "detail": _(self.words) % self.values,
        }

    def as_json(self) -> dict[str, object]:
        return {"name": self.name, "ok": self.ok, "detail": self.detail}


# Per process, the databases found with every migration applied: this process's code cannot
# gain a migration, so the graph is loaded once, not on every request of a monitor.
_MIGRATED: set[str] = set()


def _migrations_pending(alias: str = DEFAULT_DB_ALIAS) -> int:
    if alias in _MIGRATED:
        with connections[alias].cursor() as cursor:
            cursor.execute("SELECT 1")  # still reachable?
        return 0
    pending = migrations_pending(alias)
    if pending == 0:
        _MIGRATED.add(alias)
    return pending


def _database() -> list[Check]:
    try:
        pending = _migrations_pending()
    except DatabaseError as error:
        kind = {"kind": type(error).__name__}
        return [Check("database", False, gettext_noop("not reachable: %(kind)s"), kind)]
    return [
        Check("database", True, gettext_noop("reachable")),
        Check(
            "migrations", pending == 0, gettext_noop("%(count)d not applied"), {"count": pending}
        ),
    ]


def _jobs(now: datetime.datetime) -> Check:
    waiting = DBTaskResult.objects.filter(status=TaskResultStatus.READY, run_after__lte=now)
    oldest = waiting.order_by("enqueued_at").values_list("enqueued_at", flat=True).first()
    age = int((now - oldest).total_seconds()) if oldest else 0
    limit = settings.HEALTH_JOB_WAIT_SECONDS
    words = gettext_noop("%(count)d waiting, the oldest for %(age)d s")
    return Check("jobs", age <= limit, words, {"count": waiting.count(), "age": age})


def _routine(routine: Heartbeat.Routine, limit_hours: int, now: datetime.datetime) -> Check:
    beat = Heartbeat.objects.filter(routine=routine).first()
    if beat is None:
        return Check(routine.value, False, gettext_noop("never ran"))
    hours = (now - beat.finished_at).total_seconds() / 3600
    words = gettext_noop("%(hours).1f hours ago")
    return Check(routine.value, hours <= limit_hours, words, {"hours": hours})


def _cache() -> Check:
    key = "tb:health"
    try:
        cache.set(key, 1, timeout=5)
        answered = cache.get(key) == 1
    except Exception as error:  # a cache server down raises its own kind
        kind = {"kind": type(error).__name__}
        return Check("cache", False, gettext_noop("not reachable: %(kind)s"), kind)
    if answered:
        return Check("cache", True, gettext_noop("answers"))
    return Check("cache", False, gettext_noop("did not keep a value"))


def health_checks() -> list[Check]:
    """Every check, the database first: unreachable or not migrated, the others are not asked."""
    checks = _database()
    if not all(check.ok for check in checks):
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
        {"healthy": healthy, "checks": [check.as_json() for check in checks]},
        status=200 if healthy else 503,
    )
