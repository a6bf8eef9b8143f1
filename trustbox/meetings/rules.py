"""Who may do what with the commission's meetings and protocols (cl. 4.3, 4.5)."""

from __future__ import annotations

from collections.abc import Set

from trustbox.accounts.access import Role

# The commission and the director see that meetings happened and their protocols: the date,
# the place, who came, agenda references by number, the votes' counts and the signatures.
READERS = (Role.DIRECTOR, Role.MEMBER)
# What a meeting discussed and decided (and the agenda's own words, a correction's reason) is
# sealed to the registry key: only members of the commission in force who hold it read it,
# once they open the registry in their browser (may_read_record). The director who is not a
# member, a member who left, the district and the operator never do.
# The chair or the secretary calls a meeting and keeps its record.
SCHEDULERS = (Role.CHAIR, Role.SECRETARY)
RECORDERS = (Role.CHAIR, Role.SECRETARY)
# The secretary drafts the protocol; the chair may stand in.
DRAFTERS = (Role.SECRETARY, Role.CHAIR)
# Every member of the commission in force signs (cl. 4.3: all members, present or not).
SIGNERS = (Role.MEMBER,)


def may_read(roles: Set[Role]) -> bool:
    return bool(roles & set(READERS))


def may_read_record(roles: Set[Role], *, holds_registry_key: bool) -> bool:
    """Whether the person reads the commission's sealed words (with the key unlocked).

    A member of the commission in force, who holds the registry key in force
    (registry.keys.registry_holds): not the director as such, not a member who left.
    """
    return Role.MEMBER in roles and holds_registry_key


def may_schedule(roles: Set[Role]) -> bool:
    return bool(roles & set(SCHEDULERS))


def may_record(roles: Set[Role]) -> bool:
    return bool(roles & set(RECORDERS))


def may_draft(roles: Set[Role]) -> bool:
    return bool(roles & set(DRAFTERS))


def may_sign(roles: Set[Role]) -> bool:
    return bool(roles & set(SIGNERS))


def may_attach_scan_for_others(roles: Set[Role]) -> bool:
    """The secretary (or the chair) scans a page a member signed by hand and attaches it."""
    return bool(roles & set(DRAFTERS))
