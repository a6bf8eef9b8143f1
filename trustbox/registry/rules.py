"""Who may do what with the registry and with one appeal, as plain functions."""

from __future__ import annotations

from collections.abc import Set
from dataclasses import dataclass
from typing import Any

from trustbox.accounts.access import Role
from trustbox.registry.models import IN_PROGRESS, Status

# The responsible person keeps the registry (cl. 4.2) and exports it.
EXPORTERS = (Role.RESPONSIBLE,)
# The responsible person and the chair hand appeals to officials.
LEADS = frozenset({Role.RESPONSIBLE, Role.CHAIR})


def may_export(roles: Set[Role]) -> bool:
    return bool(roles & set(EXPORTERS))


def may_register(roles: Set[Role]) -> bool:
    """The responsible person registers the appeals taken out of the box (cl. 3.2, 4.2)."""
    return Role.RESPONSIBLE in roles


def may_lead(roles: Set[Role]) -> bool:
    """The responsible person and the chair follow every appeal's deadline."""
    return bool(roles & LEADS)


@dataclass(frozen=True)
class AppealPermissions:
    """What one person may do with one appeal, for its page and its actions."""

    register: bool
    assign: bool
    work: bool  # write notes and replies, record the decision
    close: bool
    # The writer wrote back on the answered appeal: the responsible person decides.
    write_back: bool = False
    # The writer asked to close her appeal: the responsible person decides.
    close_asked: bool = False
    # The responsible person closes the writer's conversation to new messages, or reopens it.
    conversation: bool = False

    def allows(self, action: str) -> bool:
        """Whether the action of the appeal's page ("register", "note", …) is allowed."""
        needed = ACTIONS.get(action)
        return needed is not None and bool(getattr(self, needed))


# Each action of the appeal's page, and the permission it needs.
ACTIONS = {
    "register": "register",
    "assign": "assign",
    "note": "work",
    "reply": "work",
    "decide": "work",
    "close": "close",
    "write_back_close": "write_back",
    "write_back_answer": "write_back",
    "write_back_new_request": "write_back",
    "close_withdrawn": "close_asked",
    "close_decline": "close_asked",
    "messages_close": "conversation",
    "messages_reopen": "conversation",
}


def appeal_permissions(
    *, roles: Set[Role], appeal: Any, user: Any, wrote_back: bool = False
) -> AppealPermissions:
    """Registration is the responsible person's; work is the commission's and the assignee's.

    wrote_back: the writer wrote back on the answered appeal; the responsible person decides.
    """
    assigned = appeal.assignee_id == user.pk
    lead = bool(roles & LEADS)
    in_progress = appeal.status in IN_PROGRESS
    return AppealPermissions(
        register=may_register(roles) and appeal.status == Status.TAKEN_OUT,
        assign=lead and in_progress,
        work=in_progress and (Role.MEMBER in roles or assigned),
        close=in_progress and (lead or assigned) and bool(appeal.outcome),
        write_back=wrote_back and Role.RESPONSIBLE in roles and appeal.status == Status.ANSWERED,
        close_asked=Role.RESPONSIBLE in roles
        and appeal.close_asked_on is not None
        and appeal.status != Status.CLOSED,
        conversation=Role.RESPONSIBLE in roles
        and appeal.writer_public_key is not None
        and appeal.status != Status.CLOSED,
    )
