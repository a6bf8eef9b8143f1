"""The journal of openings, and starting or cancelling a gathering (an opening or a renewal)."""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.views.decorators.debug import sensitive_post_parameters
from django.views.decorators.http import require_http_methods

from trustbox.accounts.access import StaffRequest, school_view, staff_user
from trustbox.accounts.throttle import password_check
from trustbox.box.selectors import box_contents
from trustbox.lib.forms import PeriodForm
from trustbox.lib.languages import DOCUMENT_LANGUAGES, language_choices
from trustbox.openings import gathering, rules
from trustbox.openings.forms import StartForm
from trustbox.openings.models import Opening
from trustbox.openings.screen import cookie_name, cookie_path, opening_of
from trustbox.openings.selectors import gathering_now
from trustbox.schools.models import School
from trustbox.seal.browser import browser_key_give
from trustbox.seal.rules import RENEWAL_STARTERS


@school_view()
def journal(request: StaffRequest, school: School) -> HttpResponse:
    gathering.openings_expire(school=school)
    openings = Opening.objects.for_school(school)
    return render(
        request,
        "openings/journal.html",
        {
            "school": school,
            "done": openings.done()
            .order_by("-journal_number")
            .prefetch_related("participants__member"),
            "gathering": openings.gathering().first(),
            "box": box_contents(school),
            "languages": language_choices(DOCUMENT_LANGUAGES),
            "period_form": PeriodForm(),
            "start_form": StartForm(),
        },
    )


@require_http_methods(["GET", "POST"])
@sensitive_post_parameters("password", "code")
@school_view(*rules.OPENERS)
def start(request: StaffRequest, school: School) -> HttpResponse:
    return _start(request, school, Opening.Purpose.OPEN)


@require_http_methods(["GET", "POST"])
@sensitive_post_parameters("password", "code")
@school_view(*RENEWAL_STARTERS)
def start_renewal(request: StaffRequest, school: School) -> HttpResponse:
    return _start(request, school, Opening.Purpose.REKEY)


def _start(request: StaffRequest, school: School, purpose: str) -> HttpResponse:
    """Ask the starter's password and authenticator code again, then start the gathering."""
    gathering = gathering_now(school)
    if gathering is not None and request.method == "GET":
        return redirect("openings:session", school=school.slug, pk=gathering.pk)
    form = StartForm(request.POST if request.method == "POST" else None)
    if form.is_valid():
        try:
            password_check(
                user=staff_user(request),
                password=form.cleaned_data["password"],
                code=form.cleaned_data["code"],
            )
        except ValidationError as error:
            form.add_error(None, error)
        else:
            return _started(request, school, purpose, form.cleaned_data["place"])
    return render(
        request,
        "openings/start.html",
        {"school": school, "form": form, "renewal": purpose == Opening.Purpose.REKEY},
        status=400 if form.is_bound else 200,
    )


def _started(request: StaffRequest, school: School, purpose: str, place: str) -> HttpResponse:
    try:
        opening, browser_key = gathering.opening_start(
            school=school, by=staff_user(request), purpose=purpose, place=place
        )
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
        return redirect("openings:journal", school=school.slug)
    response = redirect("openings:session", school=school.slug, pk=opening.pk)
    # A session cookie: the opening's key is forgotten when that browser closes.
    browser_key_give(response, name=cookie_name(opening), key=browser_key, path=cookie_path(school))
    return response


@require_http_methods(["GET", "POST"])
@school_view(*rules.GATHERERS)
def cancel(request: StaffRequest, school: School, pk: int) -> HttpResponse:
    """Say what cancelling loses; cancel only when that page's button is pressed (a POST)."""
    opening = opening_of(school, pk)
    if not opening.is_gathering:
        return redirect("openings:session", school=school.slug, pk=pk)
    if request.method == "POST" and request.POST.get("confirmed") == "yes":
        try:
            gathering.opening_cancel(opening=opening, by=staff_user(request))
        except ValidationError as error:
            messages.error(request, " ".join(error.messages))
        return redirect("openings:journal", school=school.slug)
    progress = gathering.opening_progress(opening)
    names = ", ".join(member.full_name for member in progress.present)
    context = {"school": school, "opening": opening, "progress": progress, "names": names}
    return render(request, "openings/cancel.html", context)
