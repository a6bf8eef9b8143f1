"""Every change of state of analytical reports: one function per action, each audited."""

from __future__ import annotations

import datetime

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from trustbox.accounts.access import roles_in
from trustbox.accounts.models import User
from trustbox.audit.services import audit_write
from trustbox.reports import content, rules
from trustbox.reports.actions import ReportAction
from trustbox.reports.figures import school_figures
from trustbox.reports.freeze import tallies_freeze
from trustbox.reports.models import Freeze, Job, Report, ReportSignature
from trustbox.reports.selectors import reportable
from trustbox.reports.tasks import documents_make
from trustbox.schools.models import District, School
from trustbox.schools.periods import Quarter
from trustbox.seal import crypto
from trustbox.seal.keyring import signing_key_unlock

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
    if not reportable(school, end):
        raise ValidationError(
            _(
                "The school had no commission yet in this period: a report can only cover a "
                "time from the commission's first order on."
            )
        )
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


# --- finalising and signing ------------------------------------------------------------------


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
    report.content = content.report_content(report)
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
