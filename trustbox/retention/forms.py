"""The form of the school's retention periods."""

from __future__ import annotations

from typing import Any

from django import forms
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

from trustbox.retention.periods import LONGEST, RECORD_KINDS, PeriodsInForce, install_default


class PeriodsForm(forms.Form):
    """One field per kind of record (empty: the install's default) and the clause."""

    clause = forms.CharField(
        label=_("Clause of the nomenclature of cases the school follows"),
        max_length=300,
        required=False,
        help_text=_(
            "For example: «nomenclature of cases 2026, item 01-15». Needed for own periods."
        ),
    )

    def __init__(self, *args: Any, periods: PeriodsInForce, **kwargs: Any) -> None:
        initial: dict[str, object] = {p.kind.field: p.years for p in periods.periods if p.by_school}
        initial["clause"] = periods.clause
        kwargs["initial"] = initial
        super().__init__(*args, **kwargs)
        for kind in RECORD_KINDS:
            self.fields[kind.field] = forms.IntegerField(
                label=kind.label,
                required=False,
                min_value=1,
                max_value=LONGEST,
                help_text=_("Years; empty: the install's default, %(years)d.")
                % {"years": install_default(kind)},
                error_messages={
                    "invalid": _("Write the period as a whole number of years."),
                    "min_value": _("A retention period is at least one year."),
                    "max_value": _("A retention period is at most %(limit_value)s years."),
                },
            )
        self.order_fields([kind.field for kind in RECORD_KINDS] + ["clause"])

    def add_service_error(self, error: ValidationError) -> None:
        for field, messages in error.message_dict.items():
            for message in messages:
                self.add_error(field if field in self.fields else None, message)


class PasswordForm(forms.Form):
    password = forms.CharField(
        label=_("Your password"),
        strip=False,
        widget=forms.PasswordInput(attrs={"autocomplete": "current-password"}),
    )


class WithdrawForm(forms.Form):
    reason = forms.CharField(
        label=_("Why the act is withdrawn"),
        max_length=300,
        help_text=_("For example: «a member left the commission before signing»."),
    )
