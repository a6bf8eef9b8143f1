"""The papers of openings: the act of removal and the journal, to print and sign."""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.debug import sensitive_post_parameters, sensitive_variables

from trustbox.accounts.access import StaffRequest, school_view, staff_user
from trustbox.accounts.throttle import password_check
from trustbox.lib.forms import PeriodForm
from trustbox.lib.http import CONTENT_TYPES, document_response
from trustbox.lib.languages import DOCUMENT_LANGUAGES
from trustbox.openings import rules
from trustbox.openings.forms import PasswordForm
from trustbox.openings.models import Opening
from trustbox.openings.screen import opening_of
from trustbox.registry.keys import registry_unlock
from trustbox.schools.models import School


def _document(content: bytes, fmt: str, filename: str) -> HttpResponse:
    return document_response(content, f"{filename}.{fmt}", CONTENT_TYPES[fmt])


@sensitive_post_parameters("password")
@sensitive_variables("registry_private")
@school_view(*rules.OPENERS)
def act(request: StaffRequest, school: School, pk: int, language: str, fmt: str) -> HttpResponse:
    """The act of removal: the member's password opens the registry to write the senders in."""
    opening = opening_of(school, pk)
    if (
        language not in DOCUMENT_LANGUAGES
        or fmt not in ("pdf", "docx")
        or not opening.is_opened
        or opening.is_renewal
    ):
        raise Http404
    form = PasswordForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            password_check(user=staff_user(request), password=form.cleaned_data["password"])
            registry_private = registry_unlock(
                school=school, user=staff_user(request), password=form.cleaned_data["password"]
            )
        except ValidationError as error:
            form.add_error("password", error)
        else:
            from trustbox.openings import documents
            from trustbox.openings.records import act_data

            data = act_data(
                opening=opening,
                registry_private=registry_private,
                by=staff_user(request),
                language=language,
            )
            render_act = documents.act_pdf if fmt == "pdf" else documents.act_docx
            return _document(
                render_act(data=data, language=language),
                fmt,
                f"act-{opening.journal_number}-{language}",
            )
    return render(
        request,
        "openings/act_password.html",
        {"school": school, "opening": opening, "form": form, "fmt": fmt, "language": language},
    )


@school_view(*rules.GATHERERS)
def journal_document(
    request: StaffRequest, school: School, language: str, fmt: str
) -> HttpResponse:
    """The journal of openings for a period (all of it by default), to print and sign."""
    if language not in DOCUMENT_LANGUAGES or fmt not in ("pdf", "docx"):
        raise Http404
    from trustbox.openings import documents
    from trustbox.openings.records import journal_entries, journal_period

    form = PeriodForm(request.GET)
    if not form.is_valid():
        errors = [str(e) for e in form.non_field_errors()] or [_("Check the dates.")]
        messages.error(request, " ".join(errors))
        return redirect("openings:journal", school=school.slug)
    start, end = form.cleaned_data["start"], form.cleaned_data["end"]
    openings = list(
        Opening.objects.for_school(school).done().within(start, end).order_by("journal_number")
    )
    render_journal = documents.journal_pdf if fmt == "pdf" else documents.journal_docx
    return _document(
        render_journal(
            school_name=school.name,
            entries=journal_entries(openings, language),
            language=language,
            period=journal_period(start, end, language),
        ),
        fmt,
        f"journal-{language}",
    )
