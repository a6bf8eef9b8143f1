from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.debug import sensitive_post_parameters
from django.views.decorators.http import require_POST

from trustbox.accounts.access import StaffRequest, school_view, staff_user
from trustbox.accounts.throttle import password_check
from trustbox.lib.http import CONTENT_TYPES, document_response
from trustbox.meetings import (
    agenda,
    documents,
    protocols,
    record_access,
    rules,
    selectors,
    services,
    signing,
)
from trustbox.meetings.content import content_has_sealed, fingerprint_short
from trustbox.meetings.forms import (
    AgendaItemForm,
    AttendanceForm,
    CodeForm,
    CorrectForm,
    DecisionForm,
    DraftForm,
    MeetingForm,
    PasswordForm,
    ScanForm,
)
from trustbox.meetings.models import Meeting, Protocol, Signature
from trustbox.meetings.sealing import RecordOpener, record_read_audit
from trustbox.meetings.selectors import protocol_by_code, protocol_check
from trustbox.schools.models import School


def _meeting(school: School, pk: int) -> Meeting:
    return get_object_or_404(
        Meeting.objects.for_school(school).select_related("commission", "school"), pk=pk
    )


def _protocol(school: School, pk: int) -> Protocol:
    return get_object_or_404(
        Protocol.objects.for_school(school).select_related("meeting", "school"), pk=pk
    )


def _error(request: HttpRequest, error: ValidationError) -> None:
    messages.error(request, " ".join(error.messages))


@school_view(*rules.READERS)
def meetings(request: StaffRequest, school: School) -> HttpResponse:
    rows = []
    for meeting in Meeting.objects.for_school(school).prefetch_related("protocols"):
        protocol = selectors.protocol_in_force(meeting)
        rows.append({"meeting": meeting, "protocol": protocol})
    return render(
        request,
        "meetings/list.html",
        {"school": school, "rows": rows, "today": timezone.localdate()},
    )


@school_view(*rules.SCHEDULERS)
def schedule(request: StaffRequest, school: School) -> HttpResponse:
    # A page elsewhere may link here with an item chosen: ?ref_report=12 ticks that report.
    chosen = {
        name: [int(value) for value in request.GET.getlist(name) if value.isdigit()]
        for name in request.GET
        if name.startswith("ref_")
    }
    form = MeetingForm(request.POST or None, school=school, initial=chosen)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            meeting = services.meeting_schedule(
                school=school,
                by=staff_user(request),
                held_on=data["held_on"],
                starts_at=data["starts_at"],
                place=data["place"],
                agenda_entries=form.agenda_entries(),
            )
        except ValidationError as error:
            form.add_error(None, error)
        else:
            messages.success(request, _("The meeting is scheduled; the members are told by email."))
            return redirect("meetings:detail", school=school.slug, pk=meeting.pk)
    return render(request, "meetings/schedule.html", {"school": school, "form": form})


def _meeting_record(
    request: StaffRequest,
    school: School,
    meeting: Meeting,
    opener: RecordOpener | None,
    drafted: bool,
) -> dict[str, Any]:
    """The agenda and the decisions, their words opened for a member who opened the registry."""
    items = list(meeting.agenda.all())
    decisions = list(meeting.decisions.select_related("item"))
    sealed = any(item.sealed_title for item in items) or bool(decisions) or drafted
    if opener is not None and sealed:
        record_read_audit(
            opener=opener, by=staff_user(request), target=meeting, purpose="meeting_view"
        )
    return {
        **record_access.record_context(request, school, opener, sealed),
        "items": [
            {
                "item": item,
                "text": agenda.agenda_item_text(
                    kind=item.kind,
                    reference=item.reference,
                    title=opener.text(item.sealed_title or item.title) if opener else "",
                ),
                "sealed": bool(item.sealed_title) and opener is None,
            }
            for item in items
        ],
        "decisions": [
            {"decision": row, "text": opener.text(row.sealed_text or row.text) if opener else ""}
            for row in decisions
        ],
    }


def _meeting_page(
    request: StaffRequest, school: School, meeting: Meeting, status: int = 200, **forms: Any
) -> HttpResponse:
    protocol = selectors.protocol_in_force(meeting)
    signed = selectors.meeting_signed(meeting)
    open_record = meeting.status != Meeting.Status.CANCELLED and not signed
    may_record = rules.may_record(request.roles) and open_record
    today = timezone.localdate()
    opener = record_access.record_opener_here(request, school)
    draft_text = protocol.content.get("text", "") if protocol else ""
    context = {
        "school": school,
        "meeting": meeting,
        **_meeting_record(request, school, meeting, opener, bool(draft_text)),
        "attendance": meeting.attendance.select_related("member"),
        "present": selectors.meeting_present_count(meeting),
        "protocol": protocol,
        "signed": signed,
        "may_record": may_record,
        "may_cancel": rules.may_schedule(request.roles)
        and meeting.status == Meeting.Status.SCHEDULED,
        # Drafting again writes the discussion anew: only with the one drafted before in view.
        "may_draft": rules.may_draft(request.roles)
        and meeting.status == Meeting.Status.HELD
        and not signed
        and (opener is not None or not draft_text),
        "item_forms": [
            forms.get(f"item_form_{kind.code}") or AgendaItemForm(school=school, kind=kind)
            for kind in agenda.agenda_kinds()
            if kind.code == agenda.FREE or kind.choices(school)
        ]
        if may_record
        else [],
        "attendance_form": forms.get("attendance_form") or AttendanceForm(meeting=meeting),
        "may_take_attendance": may_record and meeting.held_on <= today,
        "decision_form": forms.get("decision_form") or DecisionForm(meeting=meeting, opener=opener),
        "draft_form": forms.get("draft_form")
        or DraftForm(initial={"text": opener.text(draft_text) if opener else ""}),
    }
    return render(request, "meetings/detail.html", context, status=status)


@school_view(*rules.READERS)
def detail(request: StaffRequest, school: School, pk: int) -> HttpResponse:
    return _meeting_page(request, school, _meeting(school, pk))


@require_POST
@school_view(*rules.SCHEDULERS)
def cancel(request: StaffRequest, school: School, pk: int) -> HttpResponse:
    try:
        services.meeting_cancel(meeting=_meeting(school, pk), by=staff_user(request))
    except ValidationError as error:
        _error(request, error)
    else:
        messages.success(request, _("The meeting is cancelled; the members are told by email."))
    return redirect("meetings:detail", school=school.slug, pk=pk)


@require_POST
@school_view(*rules.RECORDERS)
def agenda_add(request: StaffRequest, school: School, pk: int, kind: str) -> HttpResponse:
    meeting = _meeting(school, pk)
    found = agenda.agenda_kind(kind)
    if found is None or not found.selectable:
        raise Http404
    form = AgendaItemForm(request.POST, school=school, kind=found)
    if form.is_valid():
        try:
            services.meeting_agenda_add(meeting=meeting, by=staff_user(request), entry=form.entry())
        except ValidationError as error:
            form.add_error(None, error)
        else:
            messages.success(request, _("The item is on the agenda."))
            return redirect("meetings:detail", school=school.slug, pk=pk)
    return _meeting_page(request, school, meeting, 400, **{f"item_form_{kind}": form})


@require_POST
@school_view(*rules.RECORDERS)
def attendance(request: StaffRequest, school: School, pk: int) -> HttpResponse:
    meeting = _meeting(school, pk)
    form = AttendanceForm(request.POST, meeting=meeting)
    if form.is_valid():
        try:
            services.meeting_attendance_record(
                meeting=meeting, by=staff_user(request), present=list(form.cleaned_data["present"])
            )
        except ValidationError as error:
            form.add_error(None, error)
        else:
            messages.success(request, _("Attendance is recorded."))
            return redirect("meetings:detail", school=school.slug, pk=pk)
    return _meeting_page(request, school, meeting, 400, attendance_form=form)


@require_POST
@school_view(*rules.RECORDERS)
def decision(request: StaffRequest, school: School, pk: int) -> HttpResponse:
    meeting = _meeting(school, pk)
    form = DecisionForm(request.POST, meeting=meeting)
    if form.is_valid():
        data = form.cleaned_data
        try:
            services.meeting_decision_record(
                meeting=meeting,
                by=staff_user(request),
                item=data["item"],
                text=data["text"],
                votes_for=data["votes_for"],
                votes_against=data["votes_against"],
                votes_abstained=data["votes_abstained"],
            )
        except ValidationError as error:
            form.add_error(None, error)
        else:
            messages.success(request, _("The decision is recorded."))
            return redirect("meetings:detail", school=school.slug, pk=pk)
    return _meeting_page(request, school, meeting, 400, decision_form=form)


@require_POST
@school_view(*rules.DRAFTERS)
def draft(request: StaffRequest, school: School, pk: int) -> HttpResponse:
    meeting = _meeting(school, pk)
    form = DraftForm(request.POST)
    if form.is_valid():
        try:
            protocol = protocols.protocol_draft(
                meeting=meeting, by=staff_user(request), text=form.cleaned_data["text"]
            )
        except ValidationError as error:
            form.add_error(None, error)
        else:
            messages.success(
                request,
                _("Protocol № %(number)s is drafted: every member now signs it.")
                % {"number": protocol.number},
            )
            return redirect("meetings:protocol", school=school.slug, pk=protocol.pk)
    return _meeting_page(request, school, meeting, 400, draft_form=form)


def _protocol_page(
    request: StaffRequest, school: School, protocol: Protocol, status: int = 200, **forms: Any
) -> HttpResponse:
    user = staff_user(request)
    opener = record_access.record_opener_here(request, school)
    sealed = content_has_sealed(protocol.content)
    if opener is not None and sealed:
        record_read_audit(opener=opener, by=user, target=protocol, purpose="protocol_view")
    check = documents.protocol_check_opened(protocol, opener)
    corrected_by = Protocol.objects.filter(corrects=protocol).first()
    can_sign = rules.may_sign(request.roles) and signing.signing_problem(protocol, user) is None
    scan_for = []
    if corrected_by is None:
        if can_sign:
            scan_for.append(user)
        if rules.may_attach_scan_for_others(request.roles):
            scan_for += [m.member for m in check.missing if m.can_sign and m.member != user]
    with_signatures = bool(check.checks)
    context = {
        "school": school,
        "protocol": protocol,
        "meeting": protocol.meeting,
        **record_access.record_context(request, school, opener, sealed),
        "text": documents.protocol_text(protocol, check, opener),
        "check": check,
        "corrected_by": corrected_by,
        "can_sign": can_sign,
        "sign_form": forms.get("sign_form") or PasswordForm(),
        "scan_form": forms.get("scan_form") or (ScanForm(members=scan_for) if scan_for else None),
        "may_correct": rules.may_draft(request.roles)
        and corrected_by is None
        and (opener is not None or not sealed)
        and (with_signatures or protocol.corrects_id is not None),
        "correct_form": forms.get("correct_form")
        or CorrectForm(
            initial={"text": opener.text(protocol.content.get("text")) if opener else ""}
        ),
        "may_print": opener is not None or not sealed,
        "qr": documents.verify_qr(protocol),
        "fingerprint_short": fingerprint_short(check.fingerprint),
        "languages": documents.LANGUAGES,
    }
    return render(request, "meetings/protocol.html", context, status=status)


@school_view(*rules.READERS)
def protocol(request: StaffRequest, school: School, pk: int) -> HttpResponse:
    return _protocol_page(request, school, _protocol(school, pk))


@require_POST
@sensitive_post_parameters("password")
@school_view(*rules.SIGNERS)
def sign(request: StaffRequest, school: School, pk: int) -> HttpResponse:
    protocol = _protocol(school, pk)
    form = PasswordForm(request.POST)
    if form.is_valid():
        try:
            # Wrong passwords are counted per account, as at every prompt of a password.
            password_check(user=staff_user(request), password=form.cleaned_data["password"])
            signing.protocol_sign(
                protocol=protocol,
                member=staff_user(request),
                password=form.cleaned_data["password"],
            )
        except ValidationError as error:
            form.add_error("password", error)
        else:
            messages.success(request, _("You have signed the protocol."))
            return redirect("meetings:protocol", school=school.slug, pk=pk)
    return _protocol_page(request, school, protocol, 400, sign_form=form)


@require_POST
@school_view(*rules.SIGNERS)
def scan(request: StaffRequest, school: School, pk: int) -> HttpResponse:
    protocol = _protocol(school, pk)
    check = protocol_check(protocol)
    user = staff_user(request)
    members = [m.member for m in check.missing if m.can_sign]
    if not rules.may_attach_scan_for_others(request.roles):
        members = [m for m in members if m == user]
    form = ScanForm(request.POST, request.FILES, members=members)
    if form.is_valid():
        upload = form.cleaned_data["page"]
        try:
            signing.protocol_scan_attach(
                protocol=protocol,
                member=form.cleaned_data["member"],
                by=user,
                name=upload.name or "page",
                data=upload.read(),
            )
        except ValidationError as error:
            form.add_error("page", error)
        else:
            messages.success(request, _("The signed sheet is attached and counts as a signature."))
            return redirect("meetings:protocol", school=school.slug, pk=pk)
    return _protocol_page(request, school, protocol, 400, scan_form=form)


@school_view(*rules.READERS)
def scan_file(request: StaffRequest, school: School, pk: int, signature: int) -> HttpResponse:
    """The scan of a sheet signed on paper: a page of the printout, so for readers only."""
    found = get_object_or_404(
        Signature.objects.select_related("scan", "protocol").filter(
            protocol__school=school, protocol_id=pk, method=Signature.Method.PAPER
        ),
        pk=signature,
    )
    opener = record_access.opener_or_unlock(request, school, found.protocol)
    if isinstance(opener, HttpResponse):
        return opener
    if found.scan is None:
        raise Http404
    if opener is not None:
        record_read_audit(
            opener=opener, by=staff_user(request), target=found.protocol, purpose="protocol_scan"
        )
    return document_response(bytes(found.scan.data), found.scan.name, found.scan.content_type)


@require_POST
@school_view(*rules.DRAFTERS)
def correct(request: StaffRequest, school: School, pk: int) -> HttpResponse:
    protocol = _protocol(school, pk)
    form = CorrectForm(request.POST)
    if form.is_valid():
        try:
            correction = protocols.protocol_correct(
                protocol=protocol,
                by=staff_user(request),
                text=form.cleaned_data["text"],
                reason=form.cleaned_data["reason"],
            )
        except ValidationError as error:
            form.add_error(None, error)
        else:
            messages.success(
                request,
                _("Protocol № %(number)s corrects it: every member now signs the correction.")
                % {"number": correction.number},
            )
            return redirect("meetings:protocol", school=school.slug, pk=correction.pk)
    return _protocol_page(request, school, protocol, 400, correct_form=form)


@school_view(*rules.READERS)
def document(
    request: StaffRequest, school: School, pk: int, language: str, fmt: str
) -> HttpResponse:
    """The protocol to print, in Kyrgyz, Russian or English, as PDF or DOCX.

    It holds the sealed words in clear: only for a member who opened the registry, audited.
    """
    if language not in documents.LANGUAGES or fmt not in ("pdf", "docx"):
        raise Http404
    protocol = _protocol(school, pk)
    opener = record_access.opener_or_unlock(request, school, protocol)
    if isinstance(opener, HttpResponse):
        return opener
    render_protocol = documents.protocol_pdf if fmt == "pdf" else documents.protocol_docx
    rendered = render_protocol(protocol=protocol, language=language, opener=opener)
    if opener is not None:
        record_read_audit(
            opener=opener, by=staff_user(request), target=protocol, purpose=f"protocol_{fmt}"
        )
    return document_response(
        rendered,
        f"protocol-{protocol.year}-{protocol.number}-{language}.{fmt}",
        CONTENT_TYPES[fmt],
    )


# --- verification, for anyone -----------------------------------------------------------------


def verify_index(request: HttpRequest) -> HttpResponse:
    """Type the code printed on a protocol (works without JavaScript)."""
    form = CodeForm(request.GET or None)
    if form.is_valid():
        found = protocol_by_code(form.cleaned_data["code"])
        if found is not None:
            return redirect("verify:protocol", code=found.verify_code_display)
        form.add_error("code", _("No protocol has this code. Check it and try again."))
    return render(request, "meetings/verify_index.html", {"form": form})


def verify(request: HttpRequest, code: str) -> HttpResponse:
    """Who signed a protocol, when, and whether its content is unchanged; nothing of its text."""
    found = protocol_by_code(code)
    if found is None:
        return render(
            request,
            "meetings/verify_index.html",
            {"form": CodeForm(), "unknown": True},
            status=404,
        )
    check = protocol_check(found)
    return render(
        request,
        "meetings/verify.html",
        {
            "protocol": found,
            "check": check,
            "held_on": found.meeting.held_on,
            "fingerprint_short": fingerprint_short(check.fingerprint),
            "signatures": sorted(check.checks, key=lambda c: c.signature.member.full_name),
        },
    )
