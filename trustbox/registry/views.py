"""The registry pages for officials: the list, one appeal's file, unlocking the registry."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from django import forms
from django.conf import settings
from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import get_language
from django.utils.translation import gettext as _
from django.views.decorators.debug import sensitive_post_parameters, sensitive_variables
from django.views.decorators.http import require_POST

from trustbox.accounts.access import StaffRequest, school_view, staff_user
from trustbox.accounts.models import User
from trustbox.accounts.throttle import password_check
from trustbox.lib.dates import Case, long_date_in_text
from trustbox.lib.languages import language_choices
from trustbox.registry import answers, consideration, rules, selectors, services
from trustbox.registry.actions import ReadPurpose
from trustbox.registry.forms import (
    AssignForm,
    DecideForm,
    NoteForm,
    RegisterForm,
    RegistryFilterForm,
    ReplyForm,
    UnlockForm,
    WriteBackAnswerForm,
    WriteBackCloseForm,
)
from trustbox.registry.keys import (
    appeal_keys,
    case_later_from_personal,
    case_private_from_personal,
    personal_key_unlock,
    registry_access,
    registry_private_from_personal,
)
from trustbox.registry.models import Appeal, Outcome
from trustbox.registry.session import (
    personal_key_forget,
    personal_key_recall,
    personal_key_remember,
)
from trustbox.registry.withdrawal_forms import WITHDRAWAL_ACTIONS, withdrawal_page_forms
from trustbox.schools.models import School
from trustbox.seal import crypto


@school_view()
def registry_list(request: StaffRequest, school: School) -> HttpResponse:
    """The registry: every appeal taken out of the box, filtered, paginated, never decrypted."""
    form = RegistryFilterForm(request.GET or None)
    filters = form.cleaned_data if form.is_valid() else {}
    user = staff_user(request)
    page = selectors.registry_page(
        school=school,
        user=user,
        filters=filters,
        page=request.GET.get("page"),
        per_page=settings.REGISTRY_PAGE_SIZE,
    )
    query = request.GET.copy()
    query.pop("page", None)
    return render(
        request,
        "registry/list.html",
        {
            "school": school,
            "form": form,
            "page": page,
            "query": query.urlencode(),
            "today": timezone.localdate(),
            "counts": selectors.registry_counts(school=school, user=user),
            "unlocked": personal_key_recall(request) is not None,
        },
    )


def _safe_next(request: HttpRequest, fallback: str) -> str:
    target = request.POST.get("next") or request.GET.get("next") or ""
    if url_has_allowed_host_and_scheme(target, {request.get_host()}, request.is_secure()):
        return target
    return fallback


@sensitive_post_parameters("password")
@sensitive_variables("personal")
@school_view()
def unlock(request: HttpRequest, school: School) -> HttpResponse:
    """Open the registry in this browser with the official's password, for a few hours.

    Only for someone the registry opens to today: a member of the commission in force, or an
    official with an appeal assigned to them.
    """
    if not registry_access(school=school, user=staff_user(request)):
        return render(request, "registry/unlock.html", {"school": school}, status=403)
    form = UnlockForm(request.POST or None)
    target = _safe_next(request, reverse("registry:list", args=[school.slug]))
    if request.method == "POST" and form.is_valid():
        try:
            password_check(user=staff_user(request), password=form.cleaned_data["password"])
            personal = personal_key_unlock(
                user=staff_user(request), password=form.cleaned_data["password"]
            )
        except ValidationError as error:
            form.add_error("password", error)
        else:
            response = redirect(target)
            personal_key_remember(request, response, personal)
            return response
    return render(
        request,
        "registry/unlock.html",
        {"school": school, "form": form, "next": target},
        status=400 if form.errors else 200,
    )


@require_POST
@school_view()
def lock(request: HttpRequest, school: School) -> HttpResponse:
    response = redirect("registry:list", school=school.slug)
    personal_key_forget(request, response)
    messages.success(request, _("The registry is locked in this browser."))
    return response


def _appeal(school: School, user: User, pk: int) -> Appeal:
    """An appeal the person may see; others answer 404, so their existence stays unknown."""
    return get_object_or_404(
        selectors.appeals_visible(school=school, user=user).select_related(
            "opening", "registry_key", "assignee", "registered_by"
        ),
        pk=pk,
    )


_Run = Callable[["_Acting", dict[str, Any]], str]


def _page_forms(school: School, appeal: Appeal) -> dict[str, Any]:
    """The empty forms of the appeal's page, by action (a posted one replaces its own)."""
    return {
        "register": RegisterForm(
            prefix="register",
            initial={"kind": appeal.kind, "category": appeal.category, "urgent": appeal.urgent},
        ),
        "assign": AssignForm(
            prefix="assign", school=school, initial={"assignee": appeal.assignee_id}
        ),
        "note": NoteForm(prefix="note"),
        "reply": ReplyForm(prefix="reply", appeal=appeal),
        "decide": DecideForm(prefix="decide", initial={"outcome": appeal.outcome}),
        "write_back_close": WriteBackCloseForm(
            prefix="thanks", initial={"outcome": appeal.outcome or Outcome.RESOLVED}
        ),
        "write_back_answer": WriteBackAnswerForm(prefix="again"),
        **withdrawal_page_forms(),
    }


@sensitive_variables("personal", "keys")
@school_view()
def detail(request: StaffRequest, school: School, pk: int) -> HttpResponse:
    """One appeal's file: its text, the writer, notes, replies and the decision.

    Reading it needs the registry unlocked in this browser; each reading is audited.
    """
    user = staff_user(request)
    appeal = _appeal(school, user, pk)
    if appeal.destroyed_on is not None:  # nothing left to read or act on (destruction.py)
        return render(request, "registry/destroyed.html", {"school": school, "appeal": appeal})
    personal = personal_key_recall(request)
    if personal is None:
        return redirect(reverse("registry:unlock", args=[school.slug]) + "?next=" + request.path)
    wrote_back = selectors.awaits_decision(appeal)
    allowed = rules.appeal_permissions(
        roles=request.roles, appeal=appeal, user=user, wrote_back=wrote_back
    )
    page_forms = _page_forms(school, appeal)
    status = 200
    if request.method == "POST":
        action = request.POST.get("action", "")
        if not allowed.allows(action):
            raise PermissionDenied
        done = _act(request, _Acting(school, appeal, user, personal), action, page_forms)
        if done:
            return redirect("registry:detail", school=school.slug, pk=appeal.pk)
        status = 400
    try:
        keys = appeal_keys(appeal=appeal, user=user, personal=personal)
        file = services.appeal_file_read(
            appeal=appeal,
            by=user,
            purpose=ReadPurpose.VIEW,
            registry_private=keys.registry_private,
            case_private=keys.case_private,
        )
    except (ValidationError, crypto.SealError) as error:
        raise PermissionDenied from error
    if file.envelope.writer is not None and not file.envelope.writer.contact:
        page_forms["reply"].contact_absent()
    return render(
        request,
        "registry/detail.html",
        {
            "school": school,
            "appeal": appeal,
            "envelope": file.envelope,
            "entries": file.entries,
            "forms": page_forms,
            "allowed": allowed,
            "wrote_back": wrote_back,
            "today": timezone.localdate(),
            "languages": language_choices(),
        },
        status=status,
    )


@dataclass(frozen=True)
class _Acting:
    """Who acts on which appeal, with their unlocked personal key (never logged)."""

    school: School
    appeal: Appeal
    user: User
    personal: bytes = field(repr=False)


def _register(acting: _Acting, data: dict[str, Any]) -> str:
    registry_private = registry_private_from_personal(
        school=acting.school, user=acting.user, personal=acting.personal
    )
    registered = services.appeal_register(
        appeal=acting.appeal, by=acting.user, registry_private=registry_private, **data
    )
    return _("Registered as № %(number)s.") % {"number": registered.number}


def _assign(acting: _Acting, data: dict[str, Any]) -> str:
    services.appeal_assign(
        appeal=acting.appeal,
        to=data["assignee"],
        by=acting.user,
        case_private=case_private_from_personal(
            appeal=acting.appeal, user=acting.user, personal=acting.personal
        ),
        later=case_later_from_personal(
            appeal=acting.appeal, user=acting.user, personal=acting.personal
        ),
    )
    return _("Assigned.")


def _note(acting: _Acting, data: dict[str, Any]) -> str:
    consideration.appeal_note_add(appeal=acting.appeal, by=acting.user, text=data["text"])
    return _("The note is added.")


def _reply(acting: _Acting, data: dict[str, Any]) -> str:
    consideration.appeal_reply(appeal=acting.appeal, by=acting.user, **data)
    return _("The reply is saved.")


def _decide(acting: _Acting, data: dict[str, Any]) -> str:
    consideration.appeal_decide(appeal=acting.appeal, by=acting.user, **data)
    return _("The decision is recorded.")


def _close(acting: _Acting, data: dict[str, Any]) -> str:
    consideration.appeal_close(appeal=acting.appeal, by=acting.user)
    return _("The appeal is closed.")


def _write_back_close(acting: _Acting, data: dict[str, Any]) -> str:
    answers.write_back_close(appeal=acting.appeal, by=acting.user, **data)
    return _("The appeal is closed with thanks.")


def _write_back_answer(acting: _Acting, data: dict[str, Any]) -> str:
    answers.write_back_answer(appeal=acting.appeal, by=acting.user, text=data["text"])
    return _("The reply is saved.")


def _write_back_new_request(acting: _Acting, data: dict[str, Any]) -> str:
    appeal = answers.write_back_new_request(appeal=acting.appeal, by=acting.user)
    assert appeal.due_on is not None
    day = long_date_in_text(appeal.due_on, get_language() or "ky", Case.DATIVE)
    return _("Taken as a new request: answer by %(day)s.") % {"day": day}


# Each action of the appeal's page: the form it posts (None: a bare button) and what it does.
_ACTIONS: dict[str, tuple[Callable[[Any, _Acting], forms.Form] | None, _Run]] = {
    "register": (lambda data, acting: RegisterForm(data, prefix="register"), _register),
    "assign": (
        lambda data, acting: AssignForm(data, prefix="assign", school=acting.school),
        _assign,
    ),
    "note": (lambda data, acting: NoteForm(data, prefix="note"), _note),
    "reply": (lambda data, acting: ReplyForm(data, prefix="reply", appeal=acting.appeal), _reply),
    "decide": (lambda data, acting: DecideForm(data, prefix="decide"), _decide),
    "close": (None, _close),
    "write_back_close": (
        lambda data, acting: WriteBackCloseForm(data, prefix="thanks"),
        _write_back_close,
    ),
    "write_back_answer": (
        lambda data, acting: WriteBackAnswerForm(data, prefix="again"),
        _write_back_answer,
    ),
    "write_back_new_request": (None, _write_back_new_request),
    **WITHDRAWAL_ACTIONS,
}


def _act(request: HttpRequest, acting: _Acting, action: str, page_forms: dict[str, Any]) -> bool:
    """Carry out one allowed action from the appeal's page; False if its form has errors."""
    make_form, run = _ACTIONS[action]
    form = make_form(request.POST, acting) if make_form else None
    if form is not None:
        page_forms[action] = form
        if not form.is_valid():
            return False
    try:
        messages.success(request, run(acting, form.cleaned_data if form else {}))
    except ValidationError as error:
        if form is None:
            messages.error(request, " ".join(error.messages))
            return True
        form.add_error(None, error)
        return False
    return True
