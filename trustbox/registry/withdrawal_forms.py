"""The appeal page's actions for a writer who asked to close her appeal, and a closed thread.

Each action is a form (or a bare button) and the service it runs (registry.withdrawal); the
appeal's page (registry.views) takes them into its table of actions.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any, Protocol

from django import forms
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from trustbox.accounts.models import User
from trustbox.registry import withdrawal
from trustbox.registry.forms import TEXT_MAX
from trustbox.registry.models import Appeal


class Acting(Protocol):
    @property
    def appeal(self) -> Appeal: ...

    @property
    def user(self) -> User: ...


class CloseDeclineForm(forms.Form):
    """The writer asked to close her appeal: tell her why it stays open."""

    text = forms.CharField(
        label=_("Why the appeal stays open (shown on the writer's status page)"),
        max_length=TEXT_MAX,
        widget=forms.Textarea(attrs={"rows": 3}),
    )


class MessagesCloseForm(forms.Form):
    """Close the writer's conversation to new messages; the reason is for the audit log."""

    reason = forms.CharField(
        label=_("Reason (kept in the audit log; the writer does not see it)"),
        max_length=withdrawal.REASON_MAX,
        widget=forms.Textarea(attrs={"rows": 2}),
    )


def _close_withdrawn(acting: Acting, data: dict[str, Any]) -> str:
    withdrawal.appeal_close_withdrawn(appeal=acting.appeal, by=acting.user)
    return gettext("The appeal is closed: withdrawn by its writer.")


def _close_decline(acting: Acting, data: dict[str, Any]) -> str:
    withdrawal.appeal_close_decline(appeal=acting.appeal, by=acting.user, text=data["text"])
    return gettext("The writer is answered; the appeal stays open.")


def _messages_close(acting: Acting, data: dict[str, Any]) -> str:
    withdrawal.appeal_messages_close(appeal=acting.appeal, by=acting.user, reason=data["reason"])
    return gettext("The conversation is closed to new messages.")


def _messages_reopen(acting: Acting, data: dict[str, Any]) -> str:
    withdrawal.appeal_messages_reopen(appeal=acting.appeal, by=acting.user)
    return gettext("The conversation is open to messages again.")


FormMaker = Callable[[Any, Any], forms.Form] | None

# Each action: the form it posts (None: a bare button) and what it does.
WITHDRAWAL_ACTIONS: dict[str, tuple[FormMaker, Callable[[Any, dict[str, Any]], str]]] = {
    "close_withdrawn": (None, _close_withdrawn),
    "close_decline": (
        lambda data, acting: CloseDeclineForm(data, prefix="decline"),
        _close_decline,
    ),
    "messages_close": (
        lambda data, acting: MessagesCloseForm(data, prefix="conversation"),
        _messages_close,
    ),
    "messages_reopen": (None, _messages_reopen),
}


def withdrawal_page_forms() -> dict[str, forms.Form]:
    """The empty forms of these actions on the appeal's page."""
    return {
        "close_decline": CloseDeclineForm(prefix="decline"),
        "messages_close": MessagesCloseForm(prefix="conversation"),
    }
