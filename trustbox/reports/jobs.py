"""The job runner: a job's figures, charts and documents made in the background, its progress kept.

Below the services (which ask for a job) and the task (which runs one); above the documents,
the district's analytics and the figures it makes them from.
"""

from __future__ import annotations

import logging

from django.utils import translation

from trustbox.reports import district_report, documents, report_layout
from trustbox.reports.figures import school_figures
from trustbox.reports.models import Document, Job, Report
from trustbox.schools.periods import Quarter

logger = logging.getLogger(__name__)

DOCUMENT_LANGUAGES = ("ky", "ru")  # a school prints in Kyrgyz or Russian
PAGE_LANGUAGES = ("ky", "ru", "en")  # the page's charts also in English


def _progress(job: Job, percent: int, step: str, status: str = Job.Status.RUNNING) -> None:
    job.percent, job.step, job.status = percent, step, status
    job.save(update_fields=["percent", "step", "status", "updated_at"])


def job_run(*, job_id: int) -> None:
    """Make a job's documents, saying how far it has gone; a failure is recorded, then raised."""
    job = Job.objects.select_related("report__school", "district").get(pk=job_id)
    _progress(job, 5, "figures")
    try:
        if job.kind == Job.Kind.SCHOOL:
            _school_documents(job)
        else:
            _district_documents(job)
    except Exception:
        logger.exception("A report's documents could not be made (job %s)", job.pk)
        _progress(job, job.percent, job.step, Job.Status.FAILED)
        raise
    _progress(job, 100, "done", Job.Status.DONE)


def _save(job: Job, language: str, fmt: str, data: bytes, name: str = "report") -> None:
    Document.objects.update_or_create(
        job=job, language=language, fmt=fmt, name=name, defaults={"data": data}
    )


def _school_documents(job: Job) -> None:
    report = job.report
    assert report is not None
    if not report.is_final:
        report.figures = school_figures(report.school, report.start, report.end)
        report.save(update_fields=["figures", "updated_at"])
    steps = len(PAGE_LANGUAGES) + 2 * len(DOCUMENT_LANGUAGES)
    done = 0
    for language in PAGE_LANGUAGES:
        with translation.override(language):
            text = report_document_text(report)
            svgs = documents.charts_svg(text)
            for name, svg in svgs.items():
                _save(job, language, "svg", svg, name)
            done += 1
            _progress(job, 10 + 85 * done // steps, f"charts-{language}")
            if language not in DOCUMENT_LANGUAGES:
                continue
            _save(job, language, "pdf", report_layout.text_pdf(text, svgs))
            done += 1
            _progress(job, 10 + 85 * done // steps, f"pdf-{language}")
            _save(job, language, "docx", report_layout.text_docx(text))
            done += 1
            _progress(job, 10 + 85 * done // steps, f"docx-{language}")


def report_document_text(report: Report) -> documents.ReportText:
    """The report's text in the active language."""
    responsible = report.finalised_by or report.created_by
    signatures = list(report.signatures.select_related("member").order_by("signed_at"))
    return documents.report_text(
        school_name=report.school.name,
        figures=report.figures,
        analysis=report.analysis,
        proposals=report.proposals,
        prepared_by=str(responsible) if responsible else "",
        signed=[(str(s.member), s.signed_at) for s in signatures],
        fingerprint=report.fingerprint,
    )


def _district_documents(job: Job) -> None:
    assert job.district is not None and job.quarter is not None
    quarter = Quarter.of(job.quarter)
    for index, language in enumerate(DOCUMENT_LANGUAGES):
        with translation.override(language):
            _save(job, language, "pdf", district_report.district_pdf(job.district, quarter))
        _progress(job, 10 + 85 * (index + 1) // len(DOCUMENT_LANGUAGES), f"pdf-{language}")
