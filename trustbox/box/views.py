"""The public side: the appeal form, the receipt, the status page and the foyer kiosk.

These views see plaintext appeals. They never log, cache or store it: the envelope goes
straight to the sealing service, and error reports are told to hide every posted value.
"""

from __future__ import annotations

import base64
import hashlib

from django.conf import settings
from django.core.cache import cache
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, render
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils.cache import add_never_cache_headers
from django.utils.translation import get_language
from django.utils.translation import gettext as _
from django.views.decorators.debug import sensitive_post_parameters, sensitive_variables

from trustbox.box import services, throttle
from trustbox.box.forms import AppealForm, ReceiptForm
from trustbox.schools.models import School


def _public(response: HttpResponse) -> HttpResponse:
    add_never_cache_headers(response)
    return response


def _token_used(token: str) -> bool:
    """Mark a submission token spent; True if it already was (a resubmitted form)."""
    key = "tb:token:" + hashlib.sha256(token.encode()).hexdigest()
    return not cache.add(key, 1, timeout=24 * 3600)


def _limits(action: str) -> dict[str, int]:
    if action == "appeal":
        return {
            "per_client": settings.APPEALS_PER_CLIENT_HOUR,
            "per_school": settings.APPEALS_PER_SCHOOL_HOUR,
        }
    return {
        "per_client": settings.RECEIPT_TRIES_PER_CLIENT_HOUR,
        "per_school": settings.RECEIPT_TRIES_PER_SCHOOL_HOUR,
    }


@sensitive_post_parameters()
@sensitive_variables()
def appeal(request: HttpRequest, school: str, kiosk: bool = False) -> HttpResponse:
    found = get_object_or_404(School, slug=school)
    ready = services.box_is_ready(found)
    form = AppealForm(
        request.POST or None,
        request.FILES or None,
        skipped_uploads=getattr(request, "skipped_uploads", []),
    )
    status = 200
    if request.method == "POST":
        if not ready:
            form.add_error(
                None, _("This school's box is not open for appeals yet. Please try again later.")
            )
        elif form.is_valid():
            if not throttle.allow(
                request, action="appeal", school_id=found.pk, **_limits("appeal")
            ):
                form.add_error(
                    None,
                    _(
                        "Too many appeals are coming from here right now. "
                        "Please try again in an hour."
                    ),
                )
                status = 429
            elif _token_used(form.cleaned_data["token"]):
                form.add_error(
                    None, _("This appeal was already sent. To write another, start a new form.")
                )
            else:
                receipt = services.appeal_submit(
                    school=found, envelope=form.envelope(language=get_language())
                )
                return _public(
                    render(
                        request,
                        "box/receipt.html",
                        {
                            "school": found,
                            "receipt": receipt,
                            "urgent": form.cleaned_data["urgent"],
                            "kiosk": kiosk,
                            "kiosk_idle": settings.KIOSK_IDLE_SECONDS,
                            "picture": _receipt_picture(found, receipt.code),
                        },
                    )
                )
        if status == 200 and form.errors:
            status = 400
    return _public(
        render(
            request,
            "box/appeal.html",
            {
                "school": found,
                "form": form,
                "ready": ready,
                "kiosk": kiosk,
                "kiosk_idle": settings.KIOSK_IDLE_SECONDS,
            },
            status=status,
        )
    )


def kiosk(request: HttpRequest, school: str) -> HttpResponse:
    return appeal(request, school, kiosk=True)


def _receipt_picture(school: School, code: str) -> str:
    """The receipt as an SVG picture in a data: address, to save without asking the server again."""
    svg = render_to_string("box/receipt.svg", {"school": school, "code": code})
    return "data:image/svg+xml;base64," + base64.b64encode(svg.encode()).decode()


@sensitive_post_parameters()
def status(request: HttpRequest, school: str) -> HttpResponse:
    """Look an appeal up by its receipt code. Wrong codes are throttled and told nothing."""
    found = get_object_or_404(School, slug=school)
    form = ReceiptForm(request.POST or None)
    sealed = None
    status_code = 200
    if request.method == "POST" and form.is_valid():
        limits = _limits("receipt")
        if throttle.blocked(request, action="receipt", school_id=found.pk, **limits):
            form.add_error(None, _("Too many tries. Please wait an hour and try again."))
            status_code = 429
        else:
            result = services.appeal_find_by_receipt(school=found, code=form.cleaned_data["code"])
            sealed = result.sealed if result else None
            if sealed is None:
                throttle.allow(request, action="receipt", school_id=found.pk, **limits)
                form.add_error(
                    "code", _("No appeal has this code. Check the digits and try again.")
                )
    return _public(
        render(
            request,
            "box/status.html",
            {
                "school": found,
                "form": form,
                "appeal": sealed,
                "form_url": reverse("box:status", args=[found.slug]),
            },
            status=status_code,
        )
    )
