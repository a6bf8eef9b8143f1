from __future__ import annotations

from typing import TYPE_CHECKING

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from trustbox.schools.periods import Quarter

if TYPE_CHECKING:
    from trustbox.schools.models import School


class ReportQuerySet(models.QuerySet["Report"]):
    def for_school(self, school: School) -> ReportQuerySet:
        return self.filter(school=school)


class Report(models.Model):
    """The analytical report of one school for a period (cl. 4.6): figures, analysis, signature.

    The figures are counted only from the plain fields the registry writes at registration,
    never from an appeal's sealed content. The analysis and proposals are the responsible
    person's own words about patterns (how many, which kinds grow, what the school will do), not
    about a child: they are kept in clear, like a protocol, so that the report can be printed,
    discussed at a session and checked by its signature. The page says so above the text box.
    """

    class Status(models.TextChoices):
        DRAFT = "draft", _("draft")
        FINAL = "final", _("finalised and signed")

    school = models.ForeignKey(
        "schools.School", on_delete=models.CASCADE, related_name="reports", verbose_name=_("school")
    )
    start = models.DateField(_("from"))
    end = models.DateField(_("to"))
    status = models.CharField(
        _("status"), max_length=10, choices=Status.choices, default=Status.DRAFT
    )
    analysis = models.TextField(_("analysis"), blank=True)
    proposals = models.TextField(_("proposals"), blank=True)
    # The figures as last counted (figures.py), frozen when the report is finalised.
    figures = models.JSONField(_("figures"), default=dict, blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+", null=True
    )
    created_at = models.DateTimeField(_("created"), auto_now_add=True)
    updated_at = models.DateTimeField(_("changed"), auto_now=True)
    finalised_at = models.DateTimeField(_("finalised"), null=True, blank=True)
    finalised_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        related_name="+",
        null=True,
        blank=True,
        verbose_name=_("finalised by"),
    )
    # The canonical content that was signed (content.canonical_content), and its SHA-256.
    content = models.TextField(blank=True)
    fingerprint = models.CharField(max_length=64, blank=True)

    objects = ReportQuerySet.as_manager()

    class Meta:
        verbose_name = _("analytical report")
        verbose_name_plural = _("analytical reports")
        ordering = ["-start", "-end"]
        constraints = [
            models.UniqueConstraint(fields=["school", "start", "end"], name="one_report_per_period")
        ]

    def __str__(self) -> str:
        return f"{self.school} {self.start:%Y-%m-%d}–{self.end:%Y-%m-%d}"

    @property
    def quarter(self) -> Quarter | None:
        """The calendar quarter the report covers exactly, or None for another period."""
        return Quarter.exact(self.start, self.end)

    @property
    def is_final(self) -> bool:
        return self.status == self.Status.FINAL


class ReportSignature(models.Model):
    """An Ed25519 signature of a finalised report's canonical content."""

    report = models.ForeignKey(
        Report, on_delete=models.CASCADE, related_name="signatures", verbose_name=_("report")
    )
    member = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("signed by"),
    )
    fingerprint = models.CharField(max_length=64)
    public_key = models.BinaryField(max_length=32)
    value = models.BinaryField(max_length=64)
    signed_at = models.DateTimeField(_("signed"), auto_now_add=True)

    class Meta:
        verbose_name = _("signature of a report")
        verbose_name_plural = _("signatures of reports")
        constraints = [
            models.UniqueConstraint(fields=["report", "member"], name="one_report_signature_each")
        ]

    def __str__(self) -> str:
        return f"{self.report} — {self.member}"


class Job(models.Model):
    """One generation of documents in the background, and how far it has gone.

    The background task updates it; the page reads it (and polls it) and never waits for it.
    """

    class Kind(models.TextChoices):
        SCHOOL = "school", _("school report")
        DISTRICT = "district", _("district report")

    class Status(models.TextChoices):
        QUEUED = "queued", _("waiting in the queue")
        RUNNING = "running", _("being made")
        DONE = "done", _("ready")
        FAILED = "failed", _("failed")

    kind = models.CharField(max_length=10, choices=Kind.choices)
    report = models.ForeignKey(
        Report, on_delete=models.CASCADE, related_name="jobs", null=True, blank=True
    )
    district = models.ForeignKey(
        "schools.District", on_delete=models.CASCADE, related_name="+", null=True, blank=True
    )
    quarter = models.DateField(null=True, blank=True)  # the first day of a district's quarter
    status = models.CharField(max_length=10, choices=Status.choices, default=Status.QUEUED)
    percent = models.PositiveSmallIntegerField(default=0)
    step = models.CharField(max_length=20, blank=True)
    requested_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, related_name="+", null=True
    )
    task_id = models.CharField(max_length=64, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["-id"]
        indexes = [models.Index(fields=["district", "quarter"])]

    def __str__(self) -> str:
        return f"{self.kind} {self.pk} {self.status}"

    @property
    def finished(self) -> bool:
        return self.status in (self.Status.DONE, self.Status.FAILED)


class Document(models.Model):
    """A document a job made: a PDF, a DOCX, or a chart (SVG for pages and PDF, PNG for DOCX)."""

    job = models.ForeignKey(Job, on_delete=models.CASCADE, related_name="documents")
    language = models.CharField(max_length=5)
    fmt = models.CharField(max_length=5)
    name = models.CharField(max_length=40, default="report")
    data = models.BinaryField()

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["job", "language", "fmt", "name"], name="one_document_per_kind"
            )
        ]

    def __str__(self) -> str:
        return f"{self.job_id} {self.name}.{self.language}.{self.fmt}"


class Freeze(models.Model):
    """A school's quarter counted once and for all, for every view that leaves the commission.

    Made when the school's report for the quarter is finalised, or, failing that, after its
    deadline: from then on the district and the nation see the same numbers whenever they look,
    so that two looks at one quarter cannot be subtracted (docs/privacy.md).
    """

    class Reason(models.TextChoices):
        REPORT = "report", _("the report was finalised")
        DEADLINE = "deadline", _("the report's deadline passed")

    school = models.ForeignKey("schools.School", on_delete=models.CASCADE, related_name="+")
    quarter = models.DateField()  # the first day
    reason = models.CharField(max_length=10, choices=Reason.choices)
    frozen_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["school", "quarter"], name="one_freeze_per_quarter")
        ]
        indexes = [models.Index(fields=["quarter", "school"])]

    def __str__(self) -> str:
        return f"{self.school_id} {self.quarter}"


class Tally(models.Model):
    """A frozen count of a school's appeals of one quarter that share every plain field.

    The cube that the district and national views add up (GROUP BY over a few rows per school
    rather than over every appeal): only the plain fields written at registration.
    """

    school = models.ForeignKey("schools.School", on_delete=models.CASCADE, related_name="+")
    district = models.ForeignKey(
        "schools.District", on_delete=models.CASCADE, related_name="+", null=True
    )
    quarter = models.DateField()
    kind = models.CharField(max_length=20)
    category = models.CharField(max_length=30)
    source = models.CharField(max_length=10)
    signed = models.BooleanField()
    urgent = models.BooleanField()
    status = models.CharField(max_length=20)
    outcome = models.CharField(max_length=30, blank=True)
    registered_in_time = models.BooleanField(null=True)  # None: not registered
    answered_in_time = models.BooleanField(null=True)  # None: not answered
    overdue = models.BooleanField()  # waiting past its deadline when counted
    count = models.PositiveIntegerField()
    registration_days = models.PositiveIntegerField(default=0)  # summed over the count
    registration_days_max = models.PositiveIntegerField(default=0)
    answer_days = models.PositiveIntegerField(default=0)
    answer_days_max = models.PositiveIntegerField(default=0)

    class Meta:
        indexes = [
            models.Index(fields=["quarter", "district", "category"]),
            models.Index(fields=["district", "quarter"]),
            models.Index(fields=["school", "quarter"]),
        ]

    def __str__(self) -> str:
        return f"{self.school_id} {self.quarter} {self.category} {self.count}"


class NationalViewer(models.Model):
    """A person of the national education office, who sees the nation's aggregate picture."""

    user = models.OneToOneField(
        settings.AUTH_USER_MODEL,
        on_delete=models.CASCADE,
        related_name="national_access",
        verbose_name=_("person"),
    )
    added_at = models.DateTimeField(_("added"), auto_now_add=True)

    class Meta:
        verbose_name = _("national viewer")
        verbose_name_plural = _("national viewers")

    def __str__(self) -> str:
        return str(self.user)


class Publication(models.Model):
    """A quarter's numbers as they leave the commission: rounded once, kept, never again.

    Made once every school's quarter is frozen (models.Freeze) and the report's deadline has
    passed: every count the district's page, its CSV, XLSX and PDF, and the national view show
    for the quarter is a PublishedCount of it, rounded to a multiple of `base` by controlled
    random rounding (rounding.py, docs/privacy.md). Rounded once, so that no two looks at the
    same quarter can be averaged.
    """

    quarter = models.DateField(unique=True)  # the first day
    base = models.PositiveSmallIntegerField()
    published_at = models.DateTimeField(auto_now_add=True)

    def __str__(self) -> str:
        return f"{self.quarter} (base {self.base})"


class PublishedCount(models.Model):
    """One published count of a quarter: a district's (by school, category, …) or the nation's.

    `table` names the count's table, `key` its line (a category's code, "in_time", …); a school's
    line names its school. District null: the nation's totals.
    """

    publication = models.ForeignKey(Publication, on_delete=models.CASCADE, related_name="counts")
    district = models.ForeignKey(
        "schools.District", on_delete=models.CASCADE, related_name="+", null=True
    )
    school = models.ForeignKey(
        "schools.School", on_delete=models.CASCADE, related_name="+", null=True
    )
    table = models.CharField(max_length=20)
    key = models.CharField(max_length=40, blank=True)
    value = models.PositiveIntegerField()

    class Meta:
        indexes = [models.Index(fields=["publication", "district", "table"])]

    def __str__(self) -> str:
        return f"{self.publication_id} {self.district_id} {self.table} {self.key} {self.value}"
