"""Who may do what with a school's people."""

from __future__ import annotations

from collections.abc import Set

from trustbox.accounts.access import Role

PEOPLE_MANAGERS = (Role.DIRECTOR,)


def may_manage_people(roles: Set[Role]) -> bool:
    return bool(roles & set(PEOPLE_MANAGERS))
