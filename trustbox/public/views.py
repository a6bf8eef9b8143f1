"""The writer's side: the appeal form, the receipt, the status page and the foyer kiosk.

These views see plaintext appeals. They never log, cache or store it: the envelope goes
straight to the sealing service, and error reports are told to hide every posted value.
They reach the registry only through trustbox.registry.writer.
"""

from __future__ import annotations

import logging

from django import forms
from django.conf import settings
from django.core.exceptions import ValidationError
from django.http import Http404, HttpRequest, HttpResponse
from django.middleware.csrf import get_token
from django.shortcuts import get_object_or_404, redirect, render
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils.cache import add_never_cache_headers
from django.utils.translation import get_language
from django.utils.translation import gettext as _
from django.views.decorators.debug import sensitive_post_parameters, sensitive_variables

from trustbox.box import sealed_intake, services
from trustbox.box.selectors import WriterBox, writer_box
from trustbox.public import pages, throttle
from trustbox.public.forms import (
    AppealForm,
    ReceiptForm,
    WriterMessageForm,
    WriterStepForm,
    submission_token,
)
from trustbox.public.kiosk_app import kiosk_context
from trustbox.public.outage import DATABASE_TROUBLE, unavailable_when_the_database_is_down
from trustbox.public.receipt_picture import FontMissing, data_address, receipt_lines, receipt_png
from trustbox.public.sealed_form import (
    SealedAppealForm,
    browser_seal,
    is_sealed_post,
    plaintext_sent_along,
)
from trustbox.registry.writer import (
    ConversationClosed,
    WriterView,
    writer_message_add,
    writer_view,
)
from trustbox.schools.models import School

logger = logging.getLogger(__name__)


def _public(response: HttpResponse) -> HttpResponse:
    add_never_cache_headers(response)
    return response


def _writer_box(slug: str) -> WriterBox:
    box = writer_box(slug)
    if box is None:
        raise Http404
    return box


# The answer to a form sent again after its appeal went in: a page of its own, not an error.
ALREADY_IN_THE_BOX = 409


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
        return _public(_unavailable_page(request, school, kiosk=kiosk))


@sensitive_variables()
def _appeal(request: HttpRequest, school: str, *, kiosk: bool) -> HttpResponse:
    box = _writer_box(school)
    if request.method != "POST":
        return _public(_blank_form(request, box, kiosk=kiosk))
    if is_sealed_post(request.POST, request.FILES):
        return _public(_sealed_appeal(request, box, kiosk=kiosk))
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
            return _public(_already_in_the_box_page(request, box, kiosk=kiosk))
        status = sent
    return _public(_form_page(request, box, form, kiosk=kiosk, status=status))


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
    elif sealed_form.cleaned_data["box_key"] != box.box_key_id:
        notice = _(
            "The box key changed since the page was opened. Your text is kept: send it again."
        )
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
    return _public(
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


# --- the writer's side: the status page and writing back through the receipt code ---------


def _find_by_code(
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


def _status_page(
    request: HttpRequest, school: School, http_status: int = 200, **context: object
) -> HttpResponse:
    return _public(
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
        return _status_page(request, found_school, form=form)
    found, http_status = _find_by_code(request, found_school, form)
    if found is None:
        return _status_page(request, found_school, http_status, form=form)
    return _found_page(request, found_school, found, form.cleaned_data["code"])


def _found_page(
    request: HttpRequest,
    school: School,
    found: services.Found,
    code: str,
    http_status: int = 200,
    **context: object,
) -> HttpResponse:
    """The status page of a found appeal, with the forms the writer may send from it."""
    return _status_page(
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
    found, http_status = _find_by_code(request, found_school, code_form)
    if found is None:
        # Over the limit the typed text stays on the page, to be sent again later.
        kept = message_form if http_status == 429 else None
        return _status_page(request, found_school, http_status, form=code_form, message_form=kept)
    writer = writer_view(found=found)
    code = code_form.cleaned_data["code"]
    if writer.messages_closed:
        # Closed to new messages: nothing of what was posted is kept, not even on the page.
        return _found_page(request, found_school, found, code, 403, refused=True)
    try:
        sent = message_form.is_valid() and _message_send(found, writer, message_form)
    except ConversationClosed:
        return _found_page(request, found_school, found, code, 403, refused=True)
    if sent:
        return _found_page(request, found_school, found, code, sent=True)
    return _status_page(
        request,
        found_school,
        400,
        writer=writer,
        message_form=message_form,
        step_form=WriterStepForm(initial={"code": code}),
    )
