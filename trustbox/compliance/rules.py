"""Who sees a school's compliance with the regulation, and when the chair is warned."""

from __future__ import annotations

from collections.abc import Set

from django.conf import settings

from trustbox.accounts.access import Role

# The director and the commission see the school's page; it names members and appeal numbers.
READERS = (Role.DIRECTOR, Role.MEMBER)


def may_read(roles: Set[Role]) -> bool:
    return bool(roles & set(READERS))


def warn_days(line: str) -> int | None:
    """How many days before a line's deadline the chair is warned; None: never."""
    if line == "4.3":
        return 21
    if line in ("3.2", "law67"):
        return int(settings.REMIND_DAYS_BEFORE)
    return None
