"""The writer's side: the appeal form, the receipt and the foyer kiosk (status: status_views).

These views see plaintext appeals. They never log, cache or store it: the envelope goes
straight to the sealing service, and error reports are told to hide every posted value.
They reach the registry only through trustbox.registry.writer.
"""

from __future__ import annotations

import logging

from django import forms
from django.conf import settings
from django.http import Http404, HttpRequest, HttpResponse
from django.middleware.csrf import get_token
from django.shortcuts import render
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils.translation import get_language, gettext_lazy
from django.utils.translation import gettext as _
from django.views.decorators.debug import sensitive_post_parameters, sensitive_variables

from trustbox.box import sealed_intake, services
from trustbox.box.selectors import WriterBox, box_key_opens, writer_box
from trustbox.public import pages, throttle
from trustbox.public.forms import (
    AppealForm,
    submission_token,
)
from trustbox.public.kiosk_app import kiosk_context
from trustbox.public.outage import DATABASE_TROUBLE
from trustbox.public.receipt_picture import FontMissing, data_address, receipt_lines, receipt_png
from trustbox.public.sealed_form import (
    SealedAppealForm,
    browser_seal,
    is_sealed_post,
    plaintext_sent_along,
)
from trustbox.public.status_views import public_page
from trustbox.schools.models import School

logger = logging.getLogger(__name__)


def _writer_box(slug: str) -> WriterBox:
    box = writer_box(slug)
    if box is None:
        raise Http404
    return box


# The answer to a form sent again after its appeal went in: a page of its own, not an error.
ALREADY_IN_THE_BOX = 409

KEY_CHANGED = gettext_lazy(
    "The box key changed since the page was opened. Your text is kept: send it again."
)


@sensitive_variables()
def _appeal_send(
    request: HttpRequest, box: WriterBox, form: AppealForm, *, kiosk: bool
) -> services.Receipt | int:
    """Seal a valid appeal; or put the reason on the form and return the HTTP status to answer.

    Only an appeal that goes into the box counts against the school's limit, and an urgent
    one is never refused by it. Its files are decoded last, within the client's budget of
    pixels. A refused form comes back with the text (and the helplines).
    """
    school = box.school
    if _over_the_limits(request, school, form):
        return 429
    # Only now are the files decoded: not for a form with an error, nor one refused above.
    if not form.rebuild_attachments(throttle.upload_meter(request)):
        return 400
    # The form's token is spent in the appeal's own transaction: if the database fails,
    # nothing is stored and the same form may be sent again once it answers.
    try:
        receipt = services.appeal_submit(
            school=school,
            envelope=form.envelope(language=get_language(), kiosk=kiosk),
            into=box,
            form_token=form.cleaned_data["token"],
        )
    except services.AlreadyInTheBox:
        return ALREADY_IN_THE_BOX
    throttle.appeal_accepted(school_id=school.pk)
    return receipt


def _over_the_limits(request: HttpRequest, school: School, form: forms.Form) -> bool:
    """Is this appeal refused by the hourly limits? Then the reason is on the form."""
    refusal = throttle.appeal_refusal(
        request, school_id=school.pk, urgent=form.cleaned_data["urgent"]
    )
    if refusal is throttle.Refusal.CLIENT:
        form.add_error(
            None, _("Too many appeals are coming from here right now. Please try again in an hour.")
        )
    elif refusal is throttle.Refusal.SCHOOL:
        form.add_error(
            None,
            _(
                "This school's box is taking in very many appeals right now. Please try again in "
                "an hour. If someone is in danger, mark your appeal as urgent: urgent appeals are "
                "always taken in."
            ),
        )
    return refusal is not None


@sensitive_post_parameters()
@sensitive_variables()
def appeal(request: HttpRequest, school: str, kiosk: bool = False) -> HttpResponse:
    try:
        return _appeal(request, school, kiosk=kiosk)
    except DATABASE_TROUBLE as error:
        # The kind of trouble only: never a value of the form, nor the statement that failed.
        logger.error("The appeal form could not reach the database: %s", type(error).__name__)
        return public_page(_unavailable_page(request, school, kiosk=kiosk))


@sensitive_variables()
def _appeal(request: HttpRequest, school: str, *, kiosk: bool) -> HttpResponse:
    box = _writer_box(school)
    if request.method != "POST":
        return public_page(_blank_form(request, box, kiosk=kiosk))
    if is_sealed_post(request.POST, request.FILES):
        return public_page(_sealed_appeal(request, box, kiosk=kiosk))
    form = AppealForm(
        request.POST,
        request.FILES or None,
        skipped_uploads=getattr(request, "skipped_uploads", []),
    )
    status = 400
    if not box.ready:
        form.add_error(
            None, _("This school's box is not open for appeals yet. Please try again later.")
        )
    elif form.is_valid():
        sent = _appeal_send(request, box, form, kiosk=kiosk)
        if isinstance(sent, services.Receipt):
            return _receipt_page(request, box.school, sent, form, kiosk=kiosk)
        if sent == ALREADY_IN_THE_BOX:
            return public_page(_already_in_the_box_page(request, box, kiosk=kiosk))
        status = sent
    return public_page(_form_page(request, box, form, kiosk=kiosk, status=status))


@sensitive_variables()
def _sealed_appeal(request: HttpRequest, box: WriterBox, *, kiosk: bool) -> HttpResponse:
    """An appeal sealed in the writer's browser: its form checked, chained, the receipt shown.

    The receipt page comes without the code (the browser puts in the one it made). A refusal
    comes back as the form with the reason (400, 429); the browser keeps the writer's text.
    """
    if plaintext_sent_along(request.POST, request.FILES):
        form = AppealForm(request.POST)
        form.is_valid()
        form.add_error(None, _("A sealed appeal came with its words unsealed: it was not taken."))
        return _form_page(request, box, form, kiosk=kiosk, status=400)
    sealed_form = SealedAppealForm(request.POST, request.FILES)
    status, notice = 400, ""
    if not box.ready:
        notice = _("This school's box is not open for appeals yet. Please try again later.")
    elif not sealed_form.is_valid():
        notice = sealed_form.refusal()
    elif not box_key_opens(box, sealed_form.cleaned_data["box_key"]):
        # Before the limits count it: a tablet's queue would spend them on what never goes in.
        notice = str(KEY_CHANGED)
    elif _over_the_limits(request, box.school, sealed_form):
        status, notice = 429, " ".join(str(error) for error in sealed_form.non_field_errors())
    else:
        try:
            receipt = sealed_intake.appeal_submit_sealed(
                into=box,
                sealed=sealed_form.browser_sealed(),
                form_token=sealed_form.cleaned_data["token"],
            )
        except sealed_intake.EnvelopeRefused as refusal:
            notice = str(refusal)
        except sealed_intake.SealedToAnotherKey:
            notice = str(KEY_CHANGED)
        except services.AlreadyInTheBox:
            return _already_in_the_box_page(request, box, kiosk=kiosk)
        else:
            throttle.appeal_accepted(school_id=box.school.pk)
            return _receipt_page(request, box.school, receipt, sealed_form, kiosk=kiosk)
    return _form_page(request, box, AppealForm(), kiosk=kiosk, status=status, notice=notice)


def _already_in_the_box_page(request: HttpRequest, box: WriterBox, *, kiosk: bool) -> HttpResponse:
    """This form's appeal is in the box already: say so, and why there was no receipt."""
    notice = _(
        "This appeal is already in the box: it went in when you first sent it, and the "
        "commission will consider it. If you did not see a receipt code then, the answer to "
        "your first sending was lost on the way; the code cannot be shown again. To follow "
        "your appeal, you may write a new one and say that it repeats the first."
    )
    return _form_page(request, box, AppealForm(), kiosk=kiosk, ready=True, sent_before=notice)


@sensitive_variables()
def _unavailable_page(request: HttpRequest, slug: str, *, kiosk: bool) -> HttpResponse:
    """The form again, with what was typed, when the database does not answer (503).

    Nothing here asks the database: the school is known by its short name only. An appeal
    sealed in the browser gets the notice alone: its words are still on the writer's page.
    """
    posted = request.method == "POST" and not is_sealed_post(request.POST, request.FILES)
    form = AppealForm(
        request.POST if posted else None,
        (request.FILES or None) if posted else None,
        skipped_uploads=getattr(request, "skipped_uploads", []),
    )
    notice = ""
    if posted:
        valid = form.is_valid()
        message = _(
            "Your appeal could not be put into the box: the server has a problem right now. "
            "Your text is kept below. Please send it again in a few minutes."
        )
        if form.files and valid:  # an invalid form already says so
            message += " " + _("Files cannot be kept by the browser: attach them again.")
        form.add_error(None, message)
    else:
        notice = _(
            "The box cannot take appeals right now: the server has a problem. Please try again "
            "in a few minutes."
        )
    box = WriterBox(school=School(slug=slug), box_key_id=None, box_public=None, receipt_salt=None)
    response = _form_page(request, box, form, kiosk=kiosk, status=503, ready=True, notice=notice)
    response["Retry-After"] = "120"
    return response


def _form_page(
    request: HttpRequest,
    box: WriterBox,
    form: AppealForm,
    *,
    kiosk: bool,
    status: int = 200,
    **context: object,
) -> HttpResponse:
    return render(
        request,
        "public/appeal.html",
        {
            "school": box.school,
            "form": form,
            "ready": box.ready,
            "kiosk": kiosk,
            "kiosk_idle": settings.KIOSK_IDLE_SECONDS,
            "seal": browser_seal(box),
            **(kiosk_context(box) if kiosk else {}),
            **context,
        },
        status=status,
    )


def _blank_form(request: HttpRequest, box: WriterBox, *, kiosk: bool) -> HttpResponse:
    """The blank form, rendered once per school, language and kind of page (trustbox.public.pages).

    An address with a query string is rendered afresh: the language switch sends it back.
    """
    if request.META.get("QUERY_STRING"):
        return _form_page(request, box, AppealForm(), kiosk=kiosk)
    school = box.school
    key = (
        *("form", get_language(), school.pk, school.slug, school.name),
        *(box.box_key_id, box.key_code, kiosk),
    )

    def render_blank() -> str:
        form = AppealForm()
        form.initial["token"] = pages.slot("token")
        page = _form_page(request, box, form, kiosk=kiosk, csrf_token=pages.slot("csrf"))
        return page.content.decode()

    html = pages.page_once((*key, request.path), render_blank)
    return HttpResponse(
        pages.page_fill(html, {"csrf": get_token(request), "token": submission_token()})
    )


@sensitive_variables()
def _receipt_page(
    request: HttpRequest,
    school: School,
    receipt: services.Receipt,
    form: forms.Form,
    *,
    kiosk: bool,
) -> HttpResponse:
    """The receipt, rendered once per school, language and kind (trustbox.public.pages); each
    answer fills in its own code and picture."""
    status_url = settings.SITE_URL + reverse("box:status", args=[school.slug])
    status_address = status_url.split("://", 1)[-1]
    # A shared tablet offers no picture to save: the next person would find it.
    # A code made in the browser is never here: the browser puts it on the page (seal.js).
    made_here = bool(receipt.code)
    picture = (
        None if kiosk or not made_here else _receipt_picture(school, receipt.code, status_address)
    )
    urgent = form.cleaned_data["urgent"]
    key = ("receipt", get_language(), school.pk, school.slug, school.name, kiosk, urgent)

    def render_receipt() -> str:
        return render_to_string(
            "public/receipt.html",
            {
                "school": school,
                "code": pages.slot("code"),
                "urgent": urgent,
                "kiosk": kiosk,
                "kiosk_idle": settings.KIOSK_RECEIPT_SECONDS,
                "status_address": status_address,
                "register_days": settings.REGISTER_WITHIN_WORKING_DAYS,
                "answer_days": settings.ANSWER_WITHIN_DAYS,
                "answer_working_days": settings.ANSWER_DAYS_ARE == "working",
                "urgent_days": settings.URGENT_ANSWER_WITHIN_DAYS,
                "picture": pages.slot("picture"),
                "has_picture": picture is not None,
                "browser_code": not made_here,
            },
            request=request,
        )

    html = pages.page_once((*key, picture is not None, made_here, status_address), render_receipt)
    return public_page(
        HttpResponse(pages.page_fill(html, {"code": receipt.code, "picture": picture or ""}))
    )


def kiosk(request: HttpRequest, school: str) -> HttpResponse:
    return appeal(request, school, kiosk=True)


@sensitive_variables()
def _receipt_picture(school: School, code: str, status_address: str) -> str | None:
    """The receipt as a PNG in a data: address, to save without asking the server again.

    Without the fonts the page goes without the picture (the code is on it all the same): the
    appeal is already in the box, and its receipt must not be lost to a missing font.
    """
    lines = receipt_lines(school_name=school.name, code=code, address=status_address)
    try:
        return data_address(receipt_png(lines))
    except FontMissing as error:
        logger.error("%s", error)
        return None
