"""Every change of state of analytical reports: one function per action, each audited."""

from __future__ import annotations

import dataclasses
import datetime
import logging
import random
from collections.abc import Iterable
from typing import Any

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from trustbox.accounts.access import roles_in
from trustbox.accounts.models import User
from trustbox.audit.services import audit_write
from trustbox.meetings.services import signing_key_unlock
from trustbox.registry.models import Appeal
from trustbox.reports import content, rules
from trustbox.reports.actions import ReportAction
from trustbox.reports.figures import appeals_between, cube, school_figures
from trustbox.reports.models import (
    Document,
    Freeze,
    Job,
    Publication,
    PublishedCount,
    Report,
    ReportSignature,
    Tally,
)
from trustbox.reports.publication import quarter_round, quarter_truth, rounding_base
from trustbox.schools.models import District, School
from trustbox.schools.periods import Quarter
from trustbox.seal import crypto

logger = logging.getLogger(__name__)

DOCUMENT_LANGUAGES = ("ky", "ru")  # a school prints in Kyrgyz or Russian
PAGE_LANGUAGES = ("ky", "ru", "en")  # the page's charts also in English
ANALYSIS_MAX = 20_000


def _require_preparer(report: Report, by: User) -> None:
    if not rules.may_prepare(roles_in(by, report.school)):
        raise ValidationError(_("Only the responsible person prepares the report."))


def report_open(*, school: School, start: datetime.date, end: datetime.date, by: User) -> Report:
    """The school's report for the period: found, or started and its documents asked for."""
    if start > end:
        raise ValidationError(_("The period ends before it starts."))
    existing = Report.objects.for_school(school).filter(start=start, end=end).first()
    if existing is not None:
        return existing
    if not rules.may_prepare(roles_in(by, school)):
        raise ValidationError(_("Only the responsible person prepares the report."))
    try:
        with transaction.atomic():
            report = Report.objects.create(school=school, start=start, end=end, created_by=by)
    except IntegrityError:  # the same period started at the same moment elsewhere
        return Report.objects.get(school=school, start=start, end=end)
    audit_write(school=school, actor=by, action=ReportAction.CREATE, target=report)
    report_generate(report=report, by=by)
    return report


@transaction.atomic
def report_draft_save(*, report: Report, by: User, analysis: str, proposals: str) -> Report:
    """Keep the responsible person's analysis and proposals as a draft."""
    report = Report.objects.select_for_update().get(pk=report.pk)
    _require_preparer(report, by)
    if report.is_final:
        raise ValidationError(_("The report is finalised and signed: it cannot be changed."))
    if len(analysis) > ANALYSIS_MAX or len(proposals) > ANALYSIS_MAX:
        raise ValidationError(_("The text is too long."))
    report.analysis, report.proposals = analysis.strip(), proposals.strip()
    report.save(update_fields=["analysis", "proposals", "updated_at"])
    audit_write(school=report.school, actor=by, action=ReportAction.DRAFT, target=report)
    return report


def _enqueue(job: Job) -> None:
    from trustbox.reports.tasks import documents_make

    result = documents_make.enqueue(job.pk)
    Job.objects.filter(pk=job.pk).update(task_id=str(result.id)[:64])


def report_generate(*, report: Report, by: User) -> Job:
    """Ask for the report's figures, charts and documents to be made in the background."""
    job = Job.objects.create(kind=Job.Kind.SCHOOL, report=report, requested_by=by)
    audit_write(school=report.school, actor=by, action=ReportAction.GENERATE, target=report)
    _enqueue(job)
    return job


def district_report_request(*, district: District, quarter: Quarter, by: User) -> Job:
    """Ask for the district's report of a quarter (as published) to be made in the background."""
    job = Job.objects.create(
        kind=Job.Kind.DISTRICT, district=district, quarter=quarter.start, requested_by=by
    )
    _enqueue(job)
    return job


# --- the background work ---------------------------------------------------------------------


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
    from trustbox.reports import documents

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
            _save(job, language, "pdf", documents.text_pdf(text, svgs))
            done += 1
            _progress(job, 10 + 85 * done // steps, f"pdf-{language}")
            _save(job, language, "docx", documents.text_docx(text))
            done += 1
            _progress(job, 10 + 85 * done // steps, f"docx-{language}")


def report_document_text(report: Report) -> Any:
    """The report's text in the active language (documents.ReportText)."""
    from trustbox.reports import documents

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
    from trustbox.reports import district

    assert job.district is not None and job.quarter is not None
    quarter = Quarter.of(job.quarter)
    for index, language in enumerate(DOCUMENT_LANGUAGES):
        with translation.override(language):
            _save(job, language, "pdf", district.district_pdf(job.district, quarter))
        _progress(job, 10 + 85 * (index + 1) // len(DOCUMENT_LANGUAGES), f"pdf-{language}")


# --- finalising and signing ------------------------------------------------------------------


def report_content(report: Report) -> str:
    return content.canonical_content(
        school=report.school.name,
        start=report.start.isoformat(),
        end=report.end.isoformat(),
        figures=report.figures,
        analysis=report.analysis,
        proposals=report.proposals,
    )


@transaction.atomic
def report_finalise(*, report: Report, by: User, password: str) -> Report:
    """Count the figures a last time, freeze them, and sign the report with the member's key.

    A signed report cannot change; its quarter's counts are frozen for the district's views.
    """
    report = Report.objects.select_for_update().select_related("school").get(pk=report.pk)
    _require_preparer(report, by)
    if report.is_final:
        raise ValidationError(_("The report is already finalised and signed."))
    private, public = signing_key_unlock(user=by, password=password, school=report.school)
    report.figures = school_figures(report.school, report.start, report.end)
    report.status = Report.Status.FINAL
    report.finalised_at = timezone.now()
    report.finalised_by = by
    report.content = report_content(report)
    report.fingerprint = content.content_fingerprint(report.content)
    report.save()
    ReportSignature.objects.create(
        report=report,
        member=by,
        fingerprint=report.fingerprint,
        public_key=public,
        value=crypto.sign_with_signing_key(private, content.content_message(report.content)),
    )
    if report.quarter is not None:
        tallies_freeze(schools=[report.school], quarter=report.quarter, reason=Freeze.Reason.REPORT)
    audit_write(
        school=report.school,
        actor=by,
        action=ReportAction.FINALISE,
        target=report,
        details={"key": crypto.key_fingerprint(public)},
    )
    report_generate(report=report, by=by)
    return report


# --- freezing a quarter's counts for the views that leave the commission --------------------


def tallies_freeze(
    *, schools: Iterable[School], quarter: Quarter, reason: str, as_of: datetime.date | None = None
) -> int:
    """Count each school's quarter once and for all (schools already frozen are left as they are).

    Returns how many schools were frozen now.
    """
    schools = list(schools)
    frozen = set(Freeze.objects.filter(quarter=quarter.start).values_list("school_id", flat=True))
    todo = {school.pk: school for school in schools if school.pk not in frozen}
    if not todo:
        return 0
    as_of = as_of or timezone.localdate()
    appeals = appeals_between(
        Appeal.objects.filter(school_id__in=list(todo)), quarter.start, quarter.end
    )
    rows: dict[int, list[Tally]] = {pk: [] for pk in todo}
    for school_id, row in cube(appeals, as_of=as_of, by="school"):
        rows[school_id].append(
            Tally(
                school_id=school_id,
                district_id=todo[school_id].district_id,
                quarter=quarter.start,
                **dataclasses.asdict(row),
            )
        )
    count = 0
    with transaction.atomic():
        tallies: list[Tally] = []
        for pk in todo:
            # One freeze per school and quarter: a school frozen meanwhile by another process
            # keeps the counts it got then, and gets no second set.
            _freeze, created = Freeze.objects.get_or_create(
                school_id=pk, quarter=quarter.start, defaults={"reason": reason}
            )
            if created:
                tallies.extend(rows[pk])
                count += 1
        Tally.objects.bulk_create(tallies, batch_size=2000)
    return count


QUARTERS_KEPT = 8


def tallies_freeze_due(*, today: datetime.date, schools: Iterable[School] | None = None) -> int:
    """Freeze every quarter whose report deadline has passed, for schools not yet frozen."""
    chosen = list(schools) if schools is not None else list(School.objects.all())
    count = 0
    for quarter in Quarter.of(today).previous().last(QUARTERS_KEPT):
        if quarter.due_on < today:
            count += tallies_freeze(schools=chosen, quarter=quarter, reason=Freeze.Reason.DEADLINE)
    if schools is None:
        quarters_publish_due(today=today)
    return count


# --- publishing a quarter: every count that leaves the commission, rounded once -------------

QUARTERS_OFFERED = 8


def quarters_open(today: datetime.date) -> list[Quarter]:
    """The quarters a district may see: ended and past their report's deadline, newest first."""
    quarters = list(reversed(Quarter.of(today).previous().last(QUARTERS_OFFERED + 1)))
    return [quarter for quarter in quarters if quarter.due_on < today][:QUARTERS_OFFERED]


def quarter_publish(*, quarter: Quarter, rng: random.Random | None = None) -> Publication:
    """Freeze every school's quarter, then round and keep what the quarter publishes, once.

    A quarter already published is left as it is (its numbers never change); two processes
    publishing at once make one publication (the unique quarter), the other reads it.
    """
    found = Publication.objects.filter(quarter=quarter.start).first()
    if found is not None:
        return found
    tallies_freeze(schools=School.objects.all(), quarter=quarter, reason=Freeze.Reason.DEADLINE)
    base = rounding_base()
    counts = quarter_round(quarter_truth(quarter), base=base, rng=rng or random.SystemRandom())
    try:
        with transaction.atomic():
            publication = Publication.objects.create(quarter=quarter.start, base=base)
            PublishedCount.objects.bulk_create(
                (
                    PublishedCount(
                        publication=publication,
                        district_id=count.district,
                        school_id=count.school,
                        table=count.table,
                        key=count.key,
                        value=count.value,
                    )
                    for count in counts
                ),
                batch_size=2000,
            )
    except IntegrityError:  # published meanwhile by another process: theirs stands
        return Publication.objects.get(quarter=quarter.start)
    logger.info("Quarter %s published: %d counts rounded to base %d", quarter, len(counts), base)
    return publication


def quarters_publish_due(*, today: datetime.date) -> int:
    """Publish every quarter the district may see and that is not published yet."""
    offered = quarters_open(today)
    done = set(
        Publication.objects.filter(quarter__in=[q.start for q in offered]).values_list(
            "quarter", flat=True
        )
    )
    todo = [quarter for quarter in offered if quarter.start not in done]
    for quarter in todo:
        quarter_publish(quarter=quarter)
    return len(todo)
