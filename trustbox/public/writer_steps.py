"""What a writer does to her appeal with her receipt code, beyond writing back.

Before the opening she may take it back (box.withdrawal); after it she may ask the
commission to close it (registry.withdrawal). Each is two presses: the first asks, in plain
words, what happens and that it cannot be undone; the second acts. The code travels hidden,
every look-up is throttled like the status page's, and each form is sent once (its token is
spent in the database with the act). They reach the registry and the box only through
trustbox.registry.writer.
"""

from __future__ import annotations

from collections.abc import Callable

from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.views.decorators.debug import sensitive_post_parameters, sensitive_variables

from trustbox.box import services
from trustbox.public.forms import ReceiptForm, WriterStepForm
from trustbox.public.outage import unavailable_when_the_database_is_down
from trustbox.public.status_views import find_by_code, found_page, public_page, status_page
from trustbox.registry.writer import writer_close_ask, writer_withdraw
from trustbox.schools.models import School

Act = Callable[..., None]


@sensitive_variables()
def _step(request: HttpRequest, slug: str, *, act: Act, step: str, done: str) -> HttpResponse:
    """Find the appeal by the hidden code; ask first, then act once; show the status page."""
    school = get_object_or_404(School, slug=slug)
    if request.method != "POST":
        return redirect("box:status", school=school.slug)
    code_form = ReceiptForm({"code": request.POST.get("code", "")})
    found, http_status = find_by_code(request, school, code_form)
    if found is None:
        return status_page(request, school, http_status, form=code_form)
    code = code_form.cleaned_data["code"]
    form = WriterStepForm(request.POST)
    if not form.is_valid() or not form.cleaned_data["confirm"]:
        return public_page(
            render(
                request,
                "public/writer_step_confirm.html",
                {
                    "school": school,
                    "step": step,
                    "action_url": reverse(f"box:{step}", args=[school.slug]),
                    "status_url": reverse("box:status", args=[school.slug]),
                    "step_form": WriterStepForm(initial={"code": code, "confirm": True}),
                },
            )
        )
    try:
        act(found=found, form_token=form.cleaned_data["token"])
    except services.AlreadyInTheBox:
        pass  # sent before: its token was spent with the act
    except ValidationError as error:
        return found_page(request, school, found, code, 409, step_error=error.messages[0])
    return found_page(request, school, found, code, **{done: True})


@sensitive_post_parameters()
@unavailable_when_the_database_is_down
@sensitive_variables()
def withdraw(request: HttpRequest, school: str) -> HttpResponse:
    """Take my appeal back: before the opening, the appeal is set aside unread."""
    return _step(request, school, act=writer_withdraw, step="withdraw", done="withdrawn_now")


@sensitive_post_parameters()
@unavailable_when_the_database_is_down
@sensitive_variables()
def close_ask(request: HttpRequest, school: str) -> HttpResponse:
    """Ask to close my appeal: after the opening, the responsible person decides."""
    return _step(request, school, act=writer_close_ask, step="close_ask", done="close_asked_now")
