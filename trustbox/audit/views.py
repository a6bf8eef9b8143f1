"""The audit log page: who did what and when at a school, and whether the chain holds."""

from __future__ import annotations

from typing import Any

from django import forms
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils.translation import gettext_lazy as _

from trustbox.accounts.decorators import school_view
from trustbox.accounts.models import User
from trustbox.audit import selectors
from trustbox.audit.services import audit_verify
from trustbox.core.forms import PeriodForm
from trustbox.schools.models import School
from trustbox.schools.roles import Role

ACTIONS_LIST_ID = "audit-actions"


class AuditFilterForm(PeriodForm):
    """The filters of the audit log: an action, a person and a period; each may stay empty."""

    action = forms.CharField(
        label=_("Action"),
        required=False,
        max_length=60,
        help_text=_('Pick an action, or type the beginning of one, such as "appeal."'),
        widget=forms.TextInput(attrs={"list": ACTIONS_LIST_ID, "autocomplete": "off"}),
    )
    actor = forms.ModelChoiceField(
        label=_("Person"), queryset=User.objects.none(), required=False, empty_label=_("anyone")
    )

    def __init__(self, *args: Any, school: School, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        actor: Any = self.fields["actor"]
        actor.queryset = selectors.actors_in_log(school=school)
        actor.label_from_instance = lambda user: user.full_name or user.username

    field_order = ["action", "actor", "start", "end"]

    def clean_action(self) -> str:
        return str(self.cleaned_data.get("action") or "").strip()


@school_view(Role.CHAIR, Role.DIRECTOR)
def audit_log(request: HttpRequest, school: School) -> HttpResponse:
    """The school's log, newest first, filtered and paginated; reading it writes nothing."""
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
    breaks = audit_verify(school=school)
    return render(
        request,
        "audit/log.html",
        {
            "school": school,
            "form": form,
            "actions": selectors.action_choices(school=school),
            "actions_list_id": ACTIONS_LIST_ID,
            "page": page,
            "rows": selectors.audit_rows(school=school, entries=list(page.object_list)),
            "query": query.urlencode(),
            "breaks": breaks,
            "broken_ids": {b.entry_id for b in breaks},
            "total": selectors.audit_count(school=school),
        },
    )
