"""Who may do what with keys: every official may hold a personal key, members hold parts."""

from __future__ import annotations

from collections.abc import Set

from trustbox.accounts.access import Role

SHARE_HOLDERS = (Role.MEMBER,)
# Renewal of the box key is started by a member or the director (a new order, a lost part).
RENEWAL_STARTERS = (Role.MEMBER, Role.DIRECTOR)


def may_hold_share(roles: Set[Role]) -> bool:
    return bool(roles & set(SHARE_HOLDERS))


def may_start_renewal(roles: Set[Role]) -> bool:
    return bool(roles & set(RENEWAL_STARTERS))
