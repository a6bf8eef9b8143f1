"""The school's analytical reports: the list of quarters, a report's page, its documents."""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import Http404, HttpResponse, JsonResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone, translation
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from trustbox.accounts.access import StaffRequest, school_view, staff_user
from trustbox.accounts.throttle import password_check
from trustbox.audit.services import audit_write
from trustbox.lib.http import CONTENT_TYPES, document_response
from trustbox.meetings import rules as meeting_rules
from trustbox.meetings.selectors import meeting_signed, meetings_upcoming
from trustbox.reports import jobs, rules, selectors, services
from trustbox.reports.actions import ReportAction
from trustbox.reports.agenda import KIND as AGENDA_KIND
from trustbox.reports.agenda import report_meeting
from trustbox.reports.documents import period_name, svg_data_uri
from trustbox.reports.forms import AnalysisForm, FinaliseForm, ReportPeriodForm
from trustbox.reports.models import Job, Report
from trustbox.schools.models import School
from trustbox.schools.periods import Quarter

LANGUAGES = ("ky", "ru")
FORMATS = ("pdf", "docx")


def _report(school: School, pk: int) -> Report:
    return get_object_or_404(Report.objects.for_school(school), pk=pk)


@school_view(*rules.READERS)
def report_list(request: StaffRequest, school: School) -> HttpResponse:
    today = timezone.localdate()
    return render(
        request,
        "reports/list.html",
        {
            "school": school,
            "quarters": selectors.school_quarters(school, today=today),
            "others": selectors.other_reports(school),
            "form": ReportPeriodForm(),
            "may_prepare": rules.may_prepare(request.roles),
            "today": today,
        },
    )


@require_POST
@school_view(*rules.PREPARERS)
def report_create(request: StaffRequest, school: School) -> HttpResponse:
    """Start the report of a quarter (?quarter=2026-3) or of any period (the form's days)."""
    quarter = Quarter.parse(request.POST.get("quarter", ""))
    if quarter is not None:
        start, end = quarter.start, quarter.end
    else:
        form = ReportPeriodForm(request.POST)
        if not form.is_valid():
            return render(
                request,
                "reports/list.html",
                {
                    "school": school,
                    "quarters": selectors.school_quarters(school, today=timezone.localdate()),
                    "others": selectors.other_reports(school),
                    "form": form,
                    "may_prepare": True,
                },
                status=400,
            )
        start, end = form.cleaned_data["start"], form.cleaned_data["end"]
    try:
        report = services.report_open(school=school, start=start, end=end, by=request.user)
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
        return redirect("reports:list", school=school.slug)
    return redirect("reports:detail", school=school.slug, pk=report.pk)


def _progress(job: Job | None) -> dict[str, object]:
    if job is None:
        return {"status": "none", "percent": 0, "label": ""}
    return {
        "status": job.status,
        "percent": job.percent,
        "label": str(job.get_status_display()),
        "finished": job.finished,
    }


@school_view(*rules.READERS)
def report_detail(request: StaffRequest, school: School, pk: int) -> HttpResponse:
    return _detail(request, school, _report(school, pk))


def _detail(
    request: StaffRequest,
    school: School,
    report: Report,
    *,
    analysis_form: AnalysisForm | None = None,
    finalise_form: FinaliseForm | None = None,
) -> HttpResponse:
    job = selectors.latest_job(report)
    ready = selectors.ready_job(report)
    language = translation.get_language() or "ky"
    charts = selectors.job_charts(ready, language if language in ("ky", "ru", "en") else "ky")
    may_prepare = rules.may_prepare(request.roles)
    bad = analysis_form is not None or finalise_form is not None
    meeting = report_meeting(report)
    may_record = meeting_rules.may_record(request.roles)
    upcoming = (
        [
            found
            for found in meetings_upcoming(school, timezone.localdate())
            if not meeting_signed(found)
        ]
        if may_record and meeting is None
        else []
    )
    return render(
        request,
        "reports/detail.html",
        {
            "school": school,
            "report": report,
            "period": period_name(report.start, report.end),
            "text": jobs.report_document_text(report) if report.figures else None,
            "charts": {name: svg_data_uri(svg) for name, svg in charts.items()},
            "job": job,
            "ready": ready,
            "progress": _progress(job),
            "may_prepare": may_prepare and not report.is_final,
            "may_generate": may_prepare,
            "analysis_form": analysis_form
            or AnalysisForm(initial={"analysis": report.analysis, "proposals": report.proposals}),
            "finalise_form": finalise_form or FinaliseForm(),
            "signatures": selectors.signatures_check(report),
            "languages": LANGUAGES,
            "quarter": report.quarter,
            "meeting": meeting,
            "upcoming": upcoming,
            "may_record": may_record,
            "may_schedule": meeting_rules.may_schedule(request.roles),
            "agenda_kind": AGENDA_KIND,
        },
        status=400 if bad else 200,
    )


@school_view(*rules.READERS)
def report_progress(request: StaffRequest, school: School, pk: int) -> HttpResponse:
    """How far the report's documents have gone, for the page's small script."""
    report = _report(school, pk)
    return JsonResponse(_progress(selectors.latest_job(report)))


@require_POST
@school_view(*rules.PREPARERS)
def report_generate(request: StaffRequest, school: School, pk: int) -> HttpResponse:
    report = _report(school, pk)
    services.report_generate(report=report, by=request.user)
    messages.success(request, _("The documents are being made. This page shows how far."))
    return redirect("reports:detail", school=school.slug, pk=report.pk)


@require_POST
@school_view(*rules.PREPARERS)
def report_analysis(request: StaffRequest, school: School, pk: int) -> HttpResponse:
    report = _report(school, pk)
    form = AnalysisForm(request.POST)
    if form.is_valid():
        try:
            services.report_draft_save(
                report=report,
                by=request.user,
                analysis=form.cleaned_data["analysis"],
                proposals=form.cleaned_data["proposals"],
            )
        except ValidationError as error:
            form.add_error(None, error)
        else:
            messages.success(
                request,
                _("The draft is saved. Make the documents again to print it."),
            )
            return redirect("reports:detail", school=school.slug, pk=report.pk)
    return _detail(request, school, report, analysis_form=form)


@require_POST
@school_view(*rules.PREPARERS)
def report_finalise(request: StaffRequest, school: School, pk: int) -> HttpResponse:
    report = _report(school, pk)
    form = FinaliseForm(request.POST)
    if form.is_valid():
        try:
            # Wrong passwords are counted per account, as at every prompt of a password.
            password_check(user=staff_user(request), password=form.cleaned_data["password"])
            services.report_finalise(
                report=report, by=staff_user(request), password=form.cleaned_data["password"]
            )
        except ValidationError as error:
            form.add_error(None, error)
        else:
            messages.success(request, _("The report is finalised and signed."))
            return redirect("reports:detail", school=school.slug, pk=report.pk)
    return _detail(request, school, report, finalise_form=form)


@school_view(*rules.READERS)
def report_document(
    request: StaffRequest, school: School, pk: int, language: str, fmt: str
) -> HttpResponse:
    report = _report(school, pk)
    if language not in LANGUAGES or fmt not in FORMATS:
        raise Http404
    job = selectors.ready_job(report)
    data = selectors.job_document(job, language, fmt) if job else None
    if data is None:
        raise Http404
    audit_write(
        school=school,
        actor=request.user,
        action=ReportAction.DOWNLOAD,
        target=report,
        details={"language": language},
    )
    name = f"report-{school.slug}-{report.start:%Y-%m-%d}-{report.end:%Y-%m-%d}-{language}.{fmt}"
    return document_response(data, name, CONTENT_TYPES[fmt])
