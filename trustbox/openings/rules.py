"""Who may do what at an opening of the box (cl. 3.1)."""

from __future__ import annotations

from collections.abc import Set

from trustbox.accounts.access import Role

# Members open the box; the director may help gather, type reserve parts and cancel.
OPENERS = (Role.MEMBER,)
GATHERERS = (Role.MEMBER, Role.DIRECTOR)


def may_open(roles: Set[Role]) -> bool:
    return bool(roles & set(OPENERS))


def may_gather(roles: Set[Role]) -> bool:
    return bool(roles & set(GATHERERS))
