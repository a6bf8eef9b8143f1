"""Reads about reports: a school's reports and quarters, and the state of one quarter's report."""

from __future__ import annotations

import datetime
from dataclasses import dataclass
from typing import Any

from django.utils import timezone

from trustbox.commission.models import Commission
from trustbox.commission.selectors import first_order_date
from trustbox.reports.agenda import report_on_agenda
from trustbox.reports.content import report_content, signature_valid
from trustbox.reports.models import Document, Job, Report
from trustbox.schools.models import School
from trustbox.schools.periods import Quarter


def latest_job(report: Report) -> Job | None:
    return report.jobs.order_by("-id").first()


def ready_job(report: Report) -> Job | None:
    """The latest job whose documents are ready."""
    return report.jobs.filter(status=Job.Status.DONE).order_by("-id").first()


def job_document(job: Job, language: str, fmt: str, name: str = "report") -> bytes | None:
    data = (
        Document.objects.filter(job=job, language=language, fmt=fmt, name=name)
        .values_list("data", flat=True)
        .first()
    )
    return bytes(data) if data is not None else None


def job_charts(job: Job | None, language: str) -> dict[str, bytes]:
    if job is None:
        return {}
    rows = Document.objects.filter(job=job, language=language, fmt="svg").values_list(
        "name", "data"
    )
    return {name: bytes(data) for name, data in rows}


def signatures_check(report: Report) -> list[tuple[Any, bool]]:
    """Each signature of the report, and whether it verifies over the content as it is now."""
    content = report_content(report) if report.is_final else ""
    return [
        (
            signature,
            signature_valid(
                content=content,
                fingerprint=signature.fingerprint,
                public_key=bytes(signature.public_key),
                value=bytes(signature.value),
            ),
        )
        for signature in report.signatures.select_related("member").order_by("signed_at")
    ]


# --- the state of a quarter's report (cl. 4.6), for the compliance line and the district ------


@dataclass(frozen=True)
class ReportStatus:
    """Whether the quarterly report of cl. 4.6 was prepared by the 5th and put on an agenda."""

    quarter: Quarter
    due_on: datetime.date
    report: Report | None
    prepared: bool  # a report exists, finalised and signed
    finalised_on: datetime.date | None
    on_time: bool  # finalised by the deadline
    signed: bool  # it has a signature, and every one verifies over the content as it is
    # The day of the meeting whose agenda names the report (held or to come, not cancelled);
    # None: on no agenda.
    on_agenda: datetime.date | None

    @property
    def late(self) -> bool:
        return not self.on_time and timezone.localdate() > self.due_on


def report_status(school: School, quarter: Quarter) -> ReportStatus:
    """The state of the school's report for the quarter, for compliance (4.6) and the district."""
    report = Report.objects.for_school(school).filter(start=quarter.start, end=quarter.end).first()
    final = report is not None and report.is_final
    finalised_on = (
        timezone.localtime(report.finalised_at).date()
        if report is not None and final and report.finalised_at
        else None
    )
    checks = signatures_check(report) if report is not None and final else []
    return ReportStatus(
        quarter=quarter,
        due_on=quarter.due_on,
        report=report,
        prepared=finalised_on is not None,
        finalised_on=finalised_on,
        on_time=finalised_on is not None and finalised_on <= quarter.due_on,
        signed=bool(checks) and all(ok for _signature, ok in checks),
        on_agenda=report_on_agenda(report) if report is not None else None,
    )


def report_owed(school: School, status: ReportStatus) -> bool:
    """Whether anyone owed the report: one was started, or a commission was in office by its day."""
    if status.report is not None:
        return True
    return Commission.objects.for_school(school).filter(order_date__lte=status.due_on).exists()


@dataclass(frozen=True)
class QuarterRow:
    quarter: Quarter
    report: Report | None
    due_on: datetime.date


def reportable(school: School, end: datetime.date) -> bool:
    """Whether the school may report on a period ending on the day: a commission had been
    appointed by then (a school cannot report on a time before it had a commission)."""
    first = first_order_date(school)
    return first is not None and first <= end


def school_quarters(school: School, *, today: datetime.date, count: int = 4) -> list[QuarterRow]:
    """The school's last quarters (the one under way first) with their report, if any: only
    those that end on or after the commission's first order (none before the first order)."""
    first = first_order_date(school)
    quarters = [
        quarter
        for quarter in reversed(Quarter.of(today).last(count + 1))
        if first is not None and quarter.end >= first
    ]
    if not quarters:
        return []
    reports = {
        (report.start, report.end): report
        for report in Report.objects.for_school(school).filter(
            start__gte=quarters[-1].start, end__lte=quarters[0].end
        )
    }
    return [
        QuarterRow(quarter=q, report=reports.get((q.start, q.end)), due_on=q.due_on)
        for q in quarters
    ]


def other_reports(school: School) -> list[Report]:
    """Reports for periods that are not a whole quarter."""
    return [report for report in Report.objects.for_school(school) if report.quarter is None]
