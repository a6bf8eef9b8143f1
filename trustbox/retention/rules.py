"""Who may do what with retention periods and acts of destruction."""

from __future__ import annotations

from collections.abc import Set

from trustbox.accounts.access import Role
from trustbox.schools import rules as school_rules

# The director edits the school's settings (schools.rules): the periods of its nomenclature.
EDITORS = school_rules.PEOPLE_MANAGERS
# The commission and the director see the cases past their period (numbers and dates only)
# and the acts of destruction.
READERS = (Role.DIRECTOR, Role.MEMBER)
# The responsible person keeps the registry: the cases past their period are on her to-do
# list; she, the secretary or the chair draws up the act once the meeting decided.
RESPONSIBLE = (Role.RESPONSIBLE,)
DRAWERS = (Role.RESPONSIBLE, Role.SECRETARY, Role.CHAIR)
# Every member of the commission signs the act, as a protocol (cl. 4.3).
SIGNERS = (Role.MEMBER,)
# The secretary or the chair withdraws an act that cannot be completed (a member left).
WITHDRAWERS = (Role.SECRETARY, Role.CHAIR)


def may_edit(roles: Set[Role]) -> bool:
    return bool(roles & set(EDITORS))


def may_read(roles: Set[Role]) -> bool:
    return bool(roles & set(READERS))


def may_keep_registry(roles: Set[Role]) -> bool:
    return bool(roles & set(RESPONSIBLE))


def may_draw_up(roles: Set[Role]) -> bool:
    return bool(roles & set(DRAWERS))


def may_sign(roles: Set[Role]) -> bool:
    return bool(roles & set(SIGNERS))


def may_withdraw(roles: Set[Role]) -> bool:
    return bool(roles & set(WITHDRAWERS))
