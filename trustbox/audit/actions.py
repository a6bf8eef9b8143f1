"""What an audit entry says was done: typed actions that each app declares with their labels.

Each app subclasses AuditAction with its own actions ("area.verb", label) and registers the
class with @audit_actions(group=…), so that the log page can name every action in the
reader's language without importing the apps above it.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import TYPE_CHECKING, TypeVar

from django.db import models

if TYPE_CHECKING:
    from django_stubs_ext import StrOrPromise


class AuditAction(models.TextChoices):
    """The base of every app's audit actions; it has no members of its own."""


@dataclass(frozen=True)
class ActionGroup:
    """One app's actions: their common prefix ("appeal.") and a label for all of them."""

    prefix: str
    label: StrOrPromise
    actions: type[AuditAction]


_GROUPS: dict[str, ActionGroup] = {}

A = TypeVar("A", bound=type[AuditAction])


def audit_actions(*, group: StrOrPromise) -> Callable[[A], A]:
    """Register an app's actions under one label for the log's filter ("every action on …")."""

    def register(actions: A) -> A:
        prefixes = {member.value.split(".", 1)[0] + "." for member in actions}
        if len(prefixes) != 1:
            raise ValueError(f"{actions.__name__}: every action must share one prefix")
        (prefix,) = prefixes
        _GROUPS[prefix] = ActionGroup(prefix=prefix, label=group, actions=actions)
        return actions

    return register


def action_groups() -> list[ActionGroup]:
    return sorted(_GROUPS.values(), key=lambda group: group.prefix)


def action_label(code: str) -> StrOrPromise:
    """The label of an action code, or the code itself if no app declares it."""
    group = _GROUPS.get(code.split(".", 1)[0] + ".")
    if group is not None and code in group.actions.values:
        return group.actions(code).label
    return code


def action_known(code: str) -> bool:
    group = _GROUPS.get(code.split(".", 1)[0] + ".")
    return group is not None and code in group.actions.values
