"""The district's analytics and the nation's view: aggregate, rounded, whole quarters only."""

from __future__ import annotations

from django.http import Http404, HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.views.decorators.http import require_POST

from trustbox.accounts.access import staff_required, staff_user
from trustbox.lib.http import CONTENT_TYPES, document_response
from trustbox.lib.spreadsheets import spreadsheet_filename
from trustbox.reports import rules, selectors, services
from trustbox.reports.district import (
    district_csv,
    district_view,
    district_xlsx,
    legend,
    nation_view,
    quarters_open,
)
from trustbox.reports.documents import quarter_name
from trustbox.reports.models import Job
from trustbox.schools.models import District
from trustbox.schools.periods import Quarter
from trustbox.schools.selectors import districts_of


def _district(request: HttpRequest, slug: str) -> District:
    return get_object_or_404(districts_of(staff_user(request)), slug=slug)


def _quarter(request: HttpRequest) -> tuple[Quarter | None, list[Quarter]]:
    """The quarter asked for, if the district may see it (else the latest it may), and all."""
    offered = quarters_open(timezone.localdate())
    asked = Quarter.parse(request.GET.get("quarter", "") or request.POST.get("quarter", ""))
    if asked is not None and asked not in offered:
        raise Http404
    return (asked or (offered[0] if offered else None)), offered


@staff_required
def district_analytics(request: HttpRequest, district: str) -> HttpResponse:
    found = _district(request, district)
    quarter, offered = _quarter(request)
    view = district_view(found, quarter) if quarter else None
    job = (
        Job.objects.filter(district=found, quarter=quarter.start, kind=Job.Kind.DISTRICT)
        .order_by("-id")
        .first()
        if quarter
        else None
    )
    return render(
        request,
        "reports/district.html",
        {
            "district": found,
            "view": view,
            "trends": [view.categories, view.kinds] if view else [],
            "quarter": quarter,
            "quarter_name": quarter_name(quarter) if quarter else "",
            "offered": [(q, quarter_name(q)) for q in offered],
            "legend": legend(view.base) if view else "",
            "job": job,
        },
    )


@staff_required
def district_export(request: HttpRequest, district: str, fmt: str) -> HttpResponse:
    found = _district(request, district)
    quarter, _offered = _quarter(request)
    if quarter is None or fmt not in ("csv", "xlsx"):
        raise Http404
    view = district_view(found, quarter)
    name = spreadsheet_filename("analytics", found.slug, quarter, fmt)
    if fmt == "csv":
        return document_response(district_csv(view), name, "text/csv; charset=utf-8")
    return document_response(district_xlsx(view), name, CONTENT_TYPES["xlsx"])


@require_POST
@staff_required
def district_report(request: HttpRequest, district: str) -> HttpResponse:
    """Ask for the district's report of the quarter as PDF, made in the background."""
    found = _district(request, district)
    quarter, _offered = _quarter(request)
    if quarter is None:
        raise Http404
    services.district_report_request(district=found, quarter=quarter, by=staff_user(request))
    return redirect(f"{reverse('analytics:district', args=[found.slug])}?quarter={quarter}")


def _job(request: HttpRequest, district: str, pk: int) -> Job:
    found = _district(request, district)
    return get_object_or_404(Job, pk=pk, district=found, kind=Job.Kind.DISTRICT)


@staff_required
def district_job(request: HttpRequest, district: str, pk: int) -> HttpResponse:
    job = _job(request, district, pk)
    return JsonResponse({"status": job.status, "percent": job.percent, "finished": job.finished})


@staff_required
def district_document(request: HttpRequest, district: str, pk: int, language: str) -> HttpResponse:
    job = _job(request, district, pk)
    if language not in ("ky", "ru") or job.status != Job.Status.DONE:
        raise Http404
    data = selectors.job_document(job, language, "pdf")
    if data is None:
        raise Http404
    assert job.quarter is not None
    return document_response(
        data, f"{district}-{Quarter.of(job.quarter)}-{language}.pdf", CONTENT_TYPES["pdf"]
    )


@staff_required
def nation(request: HttpRequest) -> HttpResponse:
    if not rules.may_see_nation(request.user):
        raise Http404
    quarter, offered = _quarter(request)
    view = nation_view(quarter) if quarter else None
    return render(
        request,
        "reports/nation.html",
        {
            "view": view,
            "quarter": quarter,
            "quarter_name": quarter_name(quarter) if quarter else "",
            "offered": [(q, quarter_name(q)) for q in offered],
            "legend": legend(view.base) if view else "",
        },
    )
