"""What the audit log says of staff accounts, and how it names a person.

Accounts sit below the audit log: they send signals, and the log writes their entries.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from typing import Any

from django.utils.translation import gettext_lazy as _

from trustbox.accounts.models import User
from trustbox.audit.actions import AuditAction, audit_actions
from trustbox.audit.services import audit_write
from trustbox.audit.targets import TargetName


@audit_actions(group=_("every action on accounts"))
class AccountAction(AuditAction):
    PASSWORD_CHANGED = "account.password_changed", _("changed their password")
    SECOND_FACTOR_SET = "account.second_factor_set", _("set up the second factor")
    PASSWORD_RESET = "account.password_reset", _("reset a password at the server's terminal")
    LANGUAGE_CHOSEN = "account.language_chosen", _("chose the language of their email")


def people_name(school: Any, pks: Iterable[int]) -> Mapping[int, TargetName]:
    rows = User.objects.filter(pk__in=set(pks)).values_list("pk", "full_name", "username")
    return {pk: TargetName(full_name or username) for pk, full_name, username in rows}


def second_factor_recorded(sender: Any, *, user: User, **kwargs: Any) -> None:
    audit_write(school=None, actor=user, action=AccountAction.SECOND_FACTOR_SET, target=user)


def password_change_recorded(sender: Any, *, user: User, keeps_key: bool, **kwargs: Any) -> None:
    audit_write(
        school=None,
        actor=user,
        action=AccountAction.PASSWORD_CHANGED,
        target=user,
        details={"personal_key_kept": keeps_key},
    )


def password_reset_recorded(sender: Any, *, user: User, terminal_user: str, **kwargs: Any) -> None:
    # No account typed it: the operator at the server's terminal, named by their login there.
    audit_write(
        school=None,
        actor=None,
        action=AccountAction.PASSWORD_RESET,
        target=user,
        details={"terminal_user": terminal_user},
    )


def language_chosen_recorded(sender: Any, *, user: User, language: str, **kwargs: Any) -> None:
    audit_write(
        school=None,
        actor=user,
        action=AccountAction.LANGUAGE_CHOSEN,
        target=user,
        details={"language": language},
    )
