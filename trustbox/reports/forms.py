from __future__ import annotations

from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from trustbox.lib.forms import PeriodForm
from trustbox.reports.services import ANALYSIS_MAX


class ReportPeriodForm(PeriodForm):
    """A report for any period: both days needed."""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        for name in ("start", "end"):
            self.fields[name].required = True


class AnalysisForm(forms.Form):
    analysis = forms.CharField(
        label=_("Analysis"),
        required=False,
        max_length=ANALYSIS_MAX,
        widget=forms.Textarea(attrs={"rows": 10}),
        help_text=_(
            "Write about patterns — which troubles grow, what helped — never about a child: "
            "no names, no classes, nothing that points at one person. This text is printed "
            "in the report as it is."
        ),
    )
    proposals = forms.CharField(
        label=_("Proposals"),
        required=False,
        max_length=ANALYSIS_MAX,
        widget=forms.Textarea(attrs={"rows": 6}),
    )


class FinaliseForm(forms.Form):
    password = forms.CharField(
        label=_("Your password"),
        strip=False,
        widget=forms.PasswordInput(attrs={"autocomplete": "current-password"}),
    )
