"""The box tells of an appeal being sealed; it is counted once its transaction commits."""

from __future__ import annotations

from typing import Any

from django.db import transaction

from trustbox.metrics.counters import appeal_count


def appeal_sealed(*, appeal: Any, **kwargs: Any) -> None:
    """A writer's appeal taken into the box (not a paper one typed in at an opening)."""
    if not appeal.paper:
        transaction.on_commit(appeal_count)
