"""The registry pages for officials: the list, one appeal's file, unlocking the registry."""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.views.decorators.debug import sensitive_post_parameters, sensitive_variables
from django.views.decorators.http import require_POST

from trustbox.accounts.decorators import school_view, staff_user
from trustbox.accounts.models import User
from trustbox.registry import selectors, services
from trustbox.registry.forms import (
    AssignForm,
    DecideForm,
    NoteForm,
    RegisterForm,
    RegistryFilterForm,
    ReplyForm,
    UnlockForm,
)
from trustbox.registry.models import IN_PROGRESS, Appeal, Status
from trustbox.registry.session import (
    personal_key_forget,
    personal_key_recall,
    personal_key_remember,
)
from trustbox.schools.models import School
from trustbox.schools.roles import Role
from trustbox.seal import crypto


@school_view()
def registry_list(request: HttpRequest, school: School) -> HttpResponse:
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
    """Open the registry in this browser with the official's password, for a few hours."""
    form = UnlockForm(request.POST or None)
    target = _safe_next(request, reverse("registry:list", args=[school.slug]))
    if request.method == "POST" and form.is_valid():
        try:
            personal = services.personal_key_unlock(
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


class Permissions:
    """What the person may do with one appeal."""

    def __init__(self, roles: frozenset[Role], appeal: Appeal, user: User) -> None:
        assigned = appeal.assignee_id == user.pk
        lead = bool(roles & {Role.RESPONSIBLE, Role.CHAIR})
        self.register = Role.RESPONSIBLE in roles and appeal.status == Status.TAKEN_OUT
        in_progress = appeal.status in IN_PROGRESS
        self.assign = lead and in_progress
        self.work = in_progress and (Role.MEMBER in roles or assigned)
        self.close = in_progress and (lead or assigned) and bool(appeal.outcome)


# Each action of the appeal's page, and the permission it needs.
ACTIONS = {
    "register": "register",
    "assign": "assign",
    "note": "work",
    "reply": "work",
    "decide": "work",
    "close": "close",
}


@sensitive_variables("personal", "keys")
@school_view()
def detail(request: HttpRequest, school: School, pk: int) -> HttpResponse:
    """One appeal's file: its text, the writer, notes, replies and the decision.

    Reading it needs the registry unlocked in this browser; each reading is audited.
    """
    user = staff_user(request)
    appeal = _appeal(school, user, pk)
    personal = personal_key_recall(request)
    if personal is None:
        return redirect(reverse("registry:unlock", args=[school.slug]) + "?next=" + request.path)
    roles: frozenset[Role] = request.roles  # type: ignore[attr-defined]
    allowed = Permissions(roles, appeal, user)
    forms: dict[str, Any] = {
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
    }
    status = 200
    if request.method == "POST":
        action = request.POST.get("action", "")
        if action not in ACTIONS or not getattr(allowed, ACTIONS[action]):
            raise PermissionDenied
        done = _act(request, school, appeal, user, personal, action, forms)
        if done:
            return redirect("registry:detail", school=school.slug, pk=appeal.pk)
        status = 400
    try:
        keys = services.appeal_keys(appeal=appeal, user=user, personal=personal)
        file = services.appeal_file_read(
            appeal=appeal,
            by=user,
            purpose="view",
            registry_private=keys.registry_private,
            case_private=keys.case_private,
        )
    except (ValidationError, crypto.SealError) as error:
        raise PermissionDenied from error
    return render(
        request,
        "registry/detail.html",
        {
            "school": school,
            "appeal": appeal,
            "envelope": file.envelope,
            "entries": file.entries,
            "forms": forms,
            "allowed": allowed,
            "today": timezone.localdate(),
        },
        status=status,
    )


def _act(
    request: HttpRequest,
    school: School,
    appeal: Appeal,
    user: User,
    personal: bytes,
    action: str,
    forms: dict[str, Any],
) -> bool:
    """Carry out one action from the appeal's page; False if its form has errors."""
    data = request.POST
    form: Any = {
        "register": lambda: RegisterForm(data, prefix=action),
        "assign": lambda: AssignForm(data, prefix=action, school=school),
        "note": lambda: NoteForm(data, prefix=action),
        "reply": lambda: ReplyForm(data, prefix=action, appeal=appeal),
        "decide": lambda: DecideForm(data, prefix=action),
        "close": lambda: None,
    }[action]()
    if form is not None:
        forms[action] = form
        if not form.is_valid():
            return False
    try:
        if action == "register":
            registry_private = services.registry_private_from_personal(
                school=school, user=user, personal=personal
            )
            registered = services.appeal_register(
                appeal=appeal, by=user, registry_private=registry_private, **form.cleaned_data
            )
            messages.success(
                request, _("Registered as № %(number)s.") % {"number": registered.number}
            )
        elif action == "assign":
            services.appeal_assign(
                appeal=appeal,
                to=form.cleaned_data["assignee"],
                by=user,
                case_private=services.case_private_from_personal(
                    appeal=appeal, user=user, personal=personal
                ),
            )
            messages.success(request, _("Assigned."))
        elif action == "note":
            services.appeal_note_add(appeal=appeal, by=user, text=form.cleaned_data["text"])
            messages.success(request, _("The note is added."))
        elif action == "reply":
            services.appeal_reply(appeal=appeal, by=user, **form.cleaned_data)
            messages.success(request, _("The reply is saved."))
        elif action == "decide":
            services.appeal_decide(appeal=appeal, by=user, **form.cleaned_data)
            messages.success(request, _("The decision is recorded."))
        else:
            services.appeal_close(appeal=appeal, by=user)
            messages.success(request, _("The appeal is closed."))
    except ValidationError as error:
        if form is None:
            messages.error(request, " ".join(error.messages))
            return True
        form.add_error(None, error)
        return False
    return True
