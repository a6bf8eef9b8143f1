"""Who may do what with analytical reports and the district's and nation's analytics."""

from __future__ import annotations

from collections.abc import Set
from typing import Any

from trustbox.accounts.access import Role
from trustbox.reports.models import NationalViewer

# The commission and the director read the school's reports (counts only, never a text).
READERS = (Role.MEMBER, Role.DIRECTOR)
# The responsible person prepares the report (cl. 4.6): drafts, documents, signature.
PREPARERS = (Role.RESPONSIBLE,)


def may_read(roles: Set[Role]) -> bool:
    return bool(roles & set(READERS))


def may_prepare(roles: Set[Role]) -> bool:
    return bool(roles & set(PREPARERS))


def may_see_nation(user: Any) -> bool:
    """The operator and the national education office's viewers see the national view."""
    if not user.is_authenticated:
        return False
    return bool(user.is_operator) or NationalViewer.objects.filter(user=user).exists()
