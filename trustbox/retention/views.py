"""The retention pages: periods in force, cases past their period, acts of destruction."""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import Http404, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.debug import sensitive_post_parameters
from django.views.decorators.http import require_POST

from trustbox.accounts.access import StaffRequest, school_view, staff_user
from trustbox.accounts.throttle import password_check
from trustbox.lib.http import CONTENT_TYPES, document_response
from trustbox.meetings.models import Meeting
from trustbox.retention import documents, rules, selectors, services
from trustbox.retention.forms import PasswordForm, PeriodsForm, WithdrawForm
from trustbox.retention.models import DestructionAct
from trustbox.retention.papers import papers_done, papers_done_on
from trustbox.retention.periods import RECORD_KINDS, periods_in_force
from trustbox.retention.withdrawal import act_withdraw, withdrawal_problem
from trustbox.schools.models import School

LANGUAGES = ("ky", "ru", "en")


@school_view(*rules.READERS)
def overview(request: StaffRequest, school: School) -> HttpResponse:
    """The periods in force, the cases past their period (numbers only), the acts."""
    return render(
        request,
        "retention/overview.html",
        {
            "school": school,
            "retention": periods_in_force(school),
            "past": selectors.cases_past_period(school, timezone.localdate()),
            "deciding": selectors.meetings_deciding(school),
            "acts": selectors.acts_of(school),
            "may_draw_up": rules.may_draw_up(request.roles),
            "may_edit": rules.may_edit(request.roles),
        },
    )


@school_view()
def periods(request: StaffRequest, school: School) -> HttpResponse:
    """The school's periods and why; the director edits them."""
    in_force = periods_in_force(school)
    editable = rules.may_edit(request.roles)
    if request.method == "POST" and not editable:
        raise Http404
    form = PeriodsForm(request.POST or None, periods=in_force) if editable else None
    if form is not None and request.method == "POST" and form.is_valid():
        try:
            services.retention_periods_set(
                school=school,
                by=staff_user(request),
                values={kind.field: form.cleaned_data.get(kind.field) for kind in RECORD_KINDS},
                clause=form.cleaned_data["clause"],
            )
        except ValidationError as error:
            form.add_service_error(error)
        else:
            messages.success(request, _("The retention periods are saved."))
            return redirect("retention:periods", school=school.slug)
    status = 400 if form is not None and form.errors else 200
    return render(
        request,
        "retention/periods.html",
        {
            "school": school,
            "retention": in_force,
            "form": form,
            "papers_done_on": papers_done_on(school),
            "may_confirm_papers": rules.may_keep_registry(request.roles),
        },
        status=status,
    )


@require_POST
@school_view(*rules.RESPONSIBLE)
def papers(request: StaffRequest, school: School) -> HttpResponse:
    """The responsible person confirms the school destroyed the papers past their period."""
    papers_done(school=school, by=staff_user(request))
    messages.success(request, _("Saved: the papers past their retention period are destroyed."))
    return redirect("retention:periods", school=school.slug)


@require_POST
@school_view(*rules.DRAWERS)
def draw_up(request: StaffRequest, school: School, meeting: int) -> HttpResponse:
    found = get_object_or_404(Meeting.objects.for_school(school), pk=meeting)
    try:
        act = services.act_draw_up(meeting=found, by=staff_user(request))
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
        return redirect("retention:overview", school=school.slug)
    return redirect("retention:act", school=school.slug, pk=act.pk)


def _act(school: School, pk: int) -> DestructionAct:
    return get_object_or_404(
        DestructionAct.objects.filter(school=school).select_related("meeting", "school"), pk=pk
    )


def _act_page(
    request: StaffRequest, school: School, act: DestructionAct, status: int = 200, **forms: object
) -> HttpResponse:
    missing = selectors.act_missing(act)
    user = staff_user(request)
    can_sign = act.withdrawn_at is None and any(m.member == user and m.can_sign for m in missing)
    can_withdraw = rules.may_withdraw(request.roles) and withdrawal_problem(act) is None
    return render(
        request,
        "retention/act.html",
        {
            "school": school,
            "act": act,
            "signed": documents.act_signed(act),
            "missing": missing,
            "sign_form": forms.get("sign_form") or (PasswordForm() if can_sign else None),
            "unfinished": act.completed_at is not None
            and act.destroyed_at is None
            and act.withdrawn_at is None,
            "withdraw_form": forms.get("withdraw_form")
            or (WithdrawForm() if can_withdraw else None),
            "languages": LANGUAGES[:2],
            "withdrawn_on": timezone.localtime(act.withdrawn_at).date()
            if act.withdrawn_at
            else None,
        },
        status=status,
    )


@school_view(*rules.READERS)
def act(request: StaffRequest, school: School, pk: int) -> HttpResponse:
    return _act_page(request, school, _act(school, pk))


@require_POST
@sensitive_post_parameters("password")
@school_view(*rules.SIGNERS)
def sign(request: StaffRequest, school: School, pk: int) -> HttpResponse:
    found = _act(school, pk)
    form = PasswordForm(request.POST)
    if form.is_valid():
        password = form.cleaned_data["password"]
        try:
            # Wrong passwords are counted per account, as at every prompt of a password.
            password_check(user=staff_user(request), password=password)
            signed = services.act_sign(act=found, member=staff_user(request), password=password)
        except ValidationError as error:
            form.add_error("password", error)
        else:
            messages.success(
                request,
                _("You have signed the act. Its cases are destroyed.")
                if signed.destroyed_at
                else _("You have signed the act."),
            )
            return redirect("retention:act", school=school.slug, pk=pk)
    return _act_page(request, school, found, 400, sign_form=form)


@require_POST
@school_view(*rules.DRAWERS)
def destroy(request: StaffRequest, school: School, pk: int) -> HttpResponse:
    """Take up a destruction that stopped half way (every member has signed)."""
    try:
        services.act_destroy(act=_act(school, pk), by=staff_user(request))
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    return redirect("retention:act", school=school.slug, pk=pk)


@require_POST
@school_view(*rules.WITHDRAWERS)
def withdraw(request: StaffRequest, school: School, pk: int) -> HttpResponse:
    """Withdraw an act that cannot be completed; its cases may go into another act."""
    found = _act(school, pk)
    form = WithdrawForm(request.POST)
    if form.is_valid():
        try:
            act_withdraw(act=found, by=staff_user(request), reason=form.cleaned_data["reason"])
        except ValidationError as error:
            form.add_error("reason", error)
        else:
            messages.success(request, _("The act is withdrawn. Its cases may go into another act."))
            return redirect("retention:act", school=school.slug, pk=pk)
    return _act_page(request, school, found, 400, withdraw_form=form)


@school_view(*rules.READERS)
def document(
    request: StaffRequest, school: School, pk: int, language: str, fmt: str
) -> HttpResponse:
    """The act to print, in Kyrgyz, Russian or English, as PDF or DOCX (no text of a case)."""
    if language not in LANGUAGES or fmt not in ("pdf", "docx"):
        raise Http404
    found = _act(school, pk)
    render_act = documents.act_pdf if fmt == "pdf" else documents.act_docx
    return document_response(
        render_act(found, language=language),
        f"destruction-act-{found.year}-{found.number}-{language}.{fmt}",
        CONTENT_TYPES[fmt],
    )
