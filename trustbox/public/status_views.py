"""The writer's status page and writing back, both reached with her receipt code.

These views see the writer's messages in plain text. They never log, cache or store them: the
message goes straight to the sealing service, and error reports are told to hide every posted
value. They reach the registry only through trustbox.registry.writer.
"""

from __future__ import annotations

from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.cache import add_never_cache_headers
from django.utils.translation import gettext as _
from django.views.decorators.debug import sensitive_post_parameters, sensitive_variables

from trustbox.box import services
from trustbox.public import throttle
from trustbox.public.forms import ReceiptForm, WriterMessageForm, WriterStepForm
from trustbox.public.outage import unavailable_when_the_database_is_down
from trustbox.registry.writer import (
    ConversationClosed,
    WriterView,
    writer_message_add,
    writer_view,
)
from trustbox.schools.models import School


def public_page(response: HttpResponse) -> HttpResponse:
    """A writer's page: never kept by a cache on the way."""
    add_never_cache_headers(response)
    return response


def find_by_code(
    request: HttpRequest, school: School, form: ReceiptForm
) -> tuple[services.Found | None, int]:
    """The appeal whose receipt code the form carries, and the HTTP status to answer with.

    The one road to an appeal by its code, for the status page and the write-back form alike:
    every look-up counts against the client's limits, a wrong code also against the school's;
    a client over its limit gets nothing looked up, not even a right code (trustbox.public.throttle
    says when a flood of wrong codes still lets a writer try hers). Errors go on the form and
    say nothing about any appeal.
    """
    if not form.is_valid():
        return None, 200
    refusal = throttle.receipt_refusal(request, school_id=school.pk)
    if refusal is throttle.Refusal.CLIENT:
        form.add_error(None, _("Too many tries. Please wait an hour and try again."))
        return None, 429
    if refusal is throttle.Refusal.BUSY:
        form.add_error(
            None,
            _(
                "Very many wrong codes are being tried at this school right now. Please wait a "
                "few minutes and try again."
            ),
        )
        return None, 429
    found = services.appeal_find_by_receipt(school=school, code=form.cleaned_data["code"])
    throttle.receipt_looked_up(request, school_id=school.pk, found=found is not None)
    if found is None:
        form.add_error("code", _("No appeal has this code. Check the digits and try again."))
    return found, 200


def status_page(
    request: HttpRequest, school: School, http_status: int = 200, **context: object
) -> HttpResponse:
    return public_page(
        render(
            request,
            "public/status.html",
            {
                "school": school,
                "form_url": reverse("box:status", args=[school.slug]),
                "write_url": reverse("box:write_back", args=[school.slug]),
                "withdraw_url": reverse("box:withdraw", args=[school.slug]),
                "close_url": reverse("box:close_ask", args=[school.slug]),
                **context,
            },
            status=http_status,
        )
    )


@sensitive_post_parameters()
@unavailable_when_the_database_is_down
@sensitive_variables()
def status(request: HttpRequest, school: str) -> HttpResponse:
    """Look an appeal up by its receipt code. Wrong codes are throttled and told nothing."""
    found_school = get_object_or_404(School, slug=school)
    form = ReceiptForm(request.POST or None)
    if request.method != "POST":
        return status_page(request, found_school, form=form)
    found, http_status = find_by_code(request, found_school, form)
    if found is None:
        return status_page(request, found_school, http_status, form=form)
    return found_page(request, found_school, found, form.cleaned_data["code"])


def found_page(
    request: HttpRequest,
    school: School,
    found: services.Found,
    code: str,
    http_status: int = 200,
    **context: object,
) -> HttpResponse:
    """The status page of a found appeal, with the forms the writer may send from it."""
    return status_page(
        request,
        school,
        http_status,
        writer=writer_view(found=found),
        message_form=WriterMessageForm(initial={"code": code}),
        step_form=WriterStepForm(initial={"code": code}),
        **context,
    )


@sensitive_variables()
def _message_send(found: services.Found, writer: WriterView, form: WriterMessageForm) -> bool:
    """Seal the writer's valid message into the appeal's file; False with the error on the form.

    A form sent again (a reload, a double tap) counts as sent and is not stored twice.
    """
    if not writer.can_write:
        form.add_error(None, _("You can write back once your appeal is being considered."))
        return False
    token = form.cleaned_data["token"]
    try:
        writer_message_add(found=found, text=form.cleaned_data["text"], form_token=token)
    except services.AlreadyInTheBox:
        return True  # its token was spent in the database with the message, sent before
    except ValidationError as error:
        form.add_error(None, error)
        return False
    return True


@sensitive_post_parameters()
@unavailable_when_the_database_is_down
@sensitive_variables()
def write_back(request: HttpRequest, school: str) -> HttpResponse:
    """The writer answers the commission; the code comes back hidden in the form every time.

    A wrong code gets exactly the status page's answer. Anything else wrong gets a 400 with the
    typed text kept; a message sent gets the conversation again and an empty form.
    """
    found_school = get_object_or_404(School, slug=school)
    if request.method != "POST":
        # Where the language switch comes back to: the code is asked for again.
        return redirect("box:status", school=found_school.slug)
    code_form = ReceiptForm({"code": request.POST.get("code", "")})
    message_form = WriterMessageForm(request.POST)
    found, http_status = find_by_code(request, found_school, code_form)
    if found is None:
        # Over the limit the typed text stays on the page, to be sent again later.
        kept = message_form if http_status == 429 else None
        return status_page(request, found_school, http_status, form=code_form, message_form=kept)
    writer = writer_view(found=found)
    code = code_form.cleaned_data["code"]
    if writer.messages_closed:
        # Closed to new messages: nothing of what was posted is kept, not even on the page.
        return found_page(request, found_school, found, code, 403, refused=True)
    try:
        sent = message_form.is_valid() and _message_send(found, writer, message_form)
    except ConversationClosed:
        return found_page(request, found_school, found, code, 403, refused=True)
    if sent:
        return found_page(request, found_school, found, code, sent=True)
    return status_page(
        request,
        found_school,
        400,
        writer=writer,
        message_form=message_form,
        step_form=WriterStepForm(initial={"code": code}),
    )
