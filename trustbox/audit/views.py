"""The audit log page: who did what and when at a school, and whether the chain holds."""

from __future__ import annotations

from typing import Any

from django import forms
from django.http import HttpResponse
from django.shortcuts import render
from django.utils.translation import gettext_lazy as _

from trustbox.accounts.access import StaffRequest, school_view
from trustbox.accounts.models import User
from trustbox.audit import selectors
from trustbox.audit.rules import LOG_READERS
from trustbox.audit.services import audit_check
from trustbox.audit.targets import targets_name
from trustbox.lib.forms import PeriodForm


class AuditFilterForm(PeriodForm):
    """The filters of the audit log: an action, a person and a period; each may stay empty."""

    action = forms.ChoiceField(label=_("Action"), required=False)
    actor = forms.ModelChoiceField(
        label=_("Person"), queryset=User.objects.none(), required=False, empty_label=_("anyone")
    )

    field_order = ["action", "actor", "start", "end"]

    def __init__(self, *args: Any, school: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        action: Any = self.fields["action"]
        action.choices = selectors.action_choices()
        actor: Any = self.fields["actor"]
        actor.queryset = selectors.actors_in_log(school=school)
        actor.label_from_instance = lambda user: user.full_name or user.username


@school_view(*LOG_READERS)
def audit_log(request: StaffRequest, school: Any) -> HttpResponse:
    """The school's log, newest first, filtered and paginated; reading it writes no entry.

    The chains are checked from where the daily job last found them whole: the page says
    up to which entry it checked now, and since when.
    """
    form = AuditFilterForm(request.GET or None, school=school)
    filters = form.cleaned_data if form.is_valid() else {}
    page = selectors.audit_page(
        school=school,
        page=request.GET.get("page"),
        action=filters.get("action", ""),
        actor=filters.get("actor"),
        start=filters.get("start"),
        end=filters.get("end"),
    )
    query = request.GET.copy()
    query.pop("page", None)
    check = audit_check(school=school)
    changed = [b for b in check.breaks if b.reason == "state"]
    names = targets_name(school, (b.target for b in changed))
    return render(
        request,
        "audit/log.html",
        {
            "school": school,
            "form": form,
            "page": page,
            "rows": selectors.audit_rows(school=school, keys=list(page.object_list)),
            "query": query.urlencode(),
            "check": check,
            "breaks": [b for b in check.breaks if b.reason != "state"],
            # Rows changed outside the application: (the last entry about it, its name, link).
            "changed": [
                (
                    b.entry_id,
                    names[b.target].name if b.target in names else b.target,
                    names[b.target].url if b.target in names else "",
                )
                for b in changed
            ],
            "broken": {(b.writer, b.entry_id) for b in check.breaks},
        },
    )
