"""Who may read a school's audit log: the chair answers for confidentiality (cl. 5.1)."""

from __future__ import annotations

from collections.abc import Set

from trustbox.accounts.access import Role

LOG_READERS = (Role.CHAIR, Role.DIRECTOR)


def may_read_log(roles: Set[Role]) -> bool:
    return bool(roles & set(LOG_READERS))
