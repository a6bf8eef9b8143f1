"""Records outside the log that the log vouches for, checked with the chains.

Some rows of the apps above say what the log also says: an opening's damage list, its counts
and how far it went in the box. Whoever can write the database changes such a row without
touching the log, and no chain breaks. So the app that owns the rows registers a check that
compares them with the entries that wrote them down; the chain check (the log page, the daily
full check) runs every such check and names each entry whose record no longer matches it.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from typing import Any

# school -> the ids of the staff entries whose record no longer matches them (0: a record
# the log should vouch for has no entry at all).
RecordCheck = Callable[[Any], Iterable[int]]

_CHECKS: dict[str, RecordCheck] = {}


def record_check_register(name: str, check: RecordCheck) -> None:
    """Check one kind of record against the log; called from the owner's AppConfig.ready()."""
    _CHECKS[name] = check


def records_disagreeing(school: Any) -> list[int]:
    """The entries of the school's log whose records were changed outside the application."""
    found: list[int] = []
    for check in _CHECKS.values():
        found.extend(check(school))
    return sorted(set(found))
