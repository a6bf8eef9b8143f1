"""gunicorn's configuration under `serve` (--config=python:trustbox.metrics.gunicorn).

When a worker ends, its live gauges' files are dropped (prometheus_client's multiprocess
mode); its counters stay, so that a restarted worker's counts are not lost from the totals.
Read by gunicorn's master: imports nothing of Django or of Trust Box.
"""

from __future__ import annotations

from typing import Any

from prometheus_client import multiprocess


def child_exit(server: Any, worker: Any) -> None:
    multiprocess.mark_process_dead(worker.pid)
