"""Documents are made in the background: progress, failure and retry, and the real worker."""

from __future__ import annotations

import datetime
import io
import subprocess
from pathlib import Path
from unittest import mock

from django.core.management import call_command
from django.test import TransactionTestCase, override_settings
from django.urls import reverse
from docx import Document as Docx

from trustbox.reports import jobs, services
from trustbox.reports.models import Document, Job, Report
from trustbox.reports.tests.helpers import Spec, appeals_make
from trustbox.schools.periods import Quarter
from trustbox.test import BaseTestCase, make_school_with_commission

IMMEDIATE = {"default": {"BACKEND": "django_tasks.backends.immediate.ImmediateBackend"}}
DATABASE = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend", "QUEUES": ["default"]}}
Q3 = Quarter(2026, 3)


def pdf_text(data: bytes, tmp: Path) -> str:
    path = tmp / "report.pdf"
    path.write_bytes(data)
    return subprocess.run(
        ["pdftotext", "-layout", str(path), "-"], capture_output=True, check=True, text=True
    ).stdout


@override_settings(TASKS=IMMEDIATE)
class JobTestCase(BaseTestCase):
    @classmethod
    def setUpTestData(cls) -> None:
        super().setUpTestData()
        day = datetime.date(2026, 7, 6)
        appeals_make(
            cls.school,
            cls.responsible,
            [Spec(day), Spec(day, category="canteen", outcome="psychologist")],
        )

    def test_a_report_is_started_queued_and_made_with_its_progress_recorded(self):
        steps = []
        real = jobs._progress

        def spy(job, percent, step, status=Job.Status.RUNNING):
            steps.append((status, percent, step))
            real(job, percent, step, status)

        with mock.patch.object(jobs, "_progress", spy):
            report = services.report_open(
                school=self.school, start=Q3.start, end=Q3.end, by=self.responsible
            )
        job = Job.objects.get(report=report)
        self.assertEqual((job.status, job.percent), (Job.Status.DONE, 100))
        percents = [percent for _status, percent, _step in steps]
        self.assertEqual(percents, sorted(percents))
        self.assertIn("pdf-ky", [step for _s, _p, step in steps])
        self.assertEqual(steps[-1][0], Job.Status.DONE)
        kinds = set(Document.objects.filter(job=job).values_list("language", "fmt"))
        self.assertLessEqual({("ky", "pdf"), ("ru", "pdf"), ("ky", "docx"), ("ru", "docx")}, kinds)

    def test_a_failed_generation_says_so_and_can_be_tried_again(self):
        with mock.patch(
            "trustbox.reports.report_layout.text_pdf", side_effect=RuntimeError("printer on fire")
        ):
            report = services.report_open(
                school=self.school, start=Q3.start, end=Q3.end, by=self.responsible
            )
        job = Job.objects.get(report=report)
        self.assertEqual(job.status, Job.Status.FAILED)
        client = self.login(self.responsible)
        page = client.get(reverse("reports:detail", args=[self.school.slug, report.pk]))
        self.assertContains(page, 'data-status="failed"')
        self.assertContains(page, reverse("reports:generate", args=[self.school.slug, report.pk]))
        progress = client.get(reverse("reports:progress", args=[self.school.slug, report.pk]))
        self.assertEqual(progress.json()["status"], "failed")
        client.post(reverse("reports:generate", args=[self.school.slug, report.pk]))
        self.assertEqual(report.jobs.order_by("-id").first().status, Job.Status.DONE)
        download = client.get(
            reverse("reports:document", args=[self.school.slug, report.pk, "ky", "pdf"])
        )
        self.assertEqual(download["Content-Type"], "application/pdf")

    def test_the_reports_pdf_is_tagged_for_a_screen_reader_and_says_its_language(self):
        import io

        from pypdf import PdfReader

        with self.assertNoLogs("weasyprint", "ERROR"):  # e.g. an image without its text
            report = services.report_open(
                school=self.school, start=Q3.start, end=Q3.end, by=self.responsible
            )
        job = Job.objects.get(report=report)
        for language in ("ky", "ru"):
            with self.subTest(language):
                data = bytes(Document.objects.get(job=job, language=language, fmt="pdf").data)
                catalog = PdfReader(io.BytesIO(data)).trailer["/Root"]
                self.assertEqual(catalog["/Lang"], language)
                self.assertTrue(catalog["/MarkInfo"]["/Marked"])
                self.assertIn("/StructTreeRoot", catalog)

    def test_the_pdf_and_the_docx_read_back_in_kyrgyz_and_russian(self):
        report = services.report_open(
            school=self.school, start=Q3.start, end=Q3.end, by=self.responsible
        )
        job = Job.objects.get(report=report)
        import tempfile

        with tempfile.TemporaryDirectory() as tmp:
            ky = pdf_text(
                bytes(Document.objects.get(job=job, language="ky", fmt="pdf").data), Path(tmp)
            )
            ru = pdf_text(
                bytes(Document.objects.get(job=job, language="ru", fmt="pdf").data), Path(tmp)
            )
        self.assertIn("2026-жылдын 1-июлу", ky)  # the quarter's first day, the Kyrgyz way
        self.assertIn("Ашкана жана тамак-аш", ky)
        self.assertIn("1 июля 2026 г.", ru)
        self.assertIn("Столовая и питание", ru)
        for language, words in (("ky", "Ашкана жана тамак-аш"), ("ru", "Столовая и питание")):
            data = bytes(Document.objects.get(job=job, language=language, fmt="docx").data)
            document = Docx(io.BytesIO(data))
            text = "\n".join(p.text for p in document.paragraphs)
            cells = "\n".join(c.text for t in document.tables for r in t.rows for c in r.cells)
            self.assertIn(words, cells)
            self.assertIn(self.school.name, text)
            self.assertTrue(document.inline_shapes)  # the charts, as pictures

    def test_the_charts_are_small_svg_with_counts_and_labels_only(self):
        report = services.report_open(
            school=self.school, start=Q3.start, end=Q3.end, by=self.responsible
        )
        svgs = Document.objects.filter(job__report=report, fmt="svg", language="ru")
        self.assertTrue(svgs)
        for svg in svgs:
            data = bytes(svg.data)
            self.assertLess(len(data), 40_000)
            self.assertTrue(data.lstrip().startswith(b"<?xml"))
            self.assertNotIn(b"<script", data)
            self.assertNotIn(b"http://", data.replace(b"http://www.w3.org", b""))


@override_settings(TASKS=DATABASE)
class DatabaseWorkerTestCase(TransactionTestCase):
    """The real database backend, and the worker command run in this process."""

    def test_a_queued_report_waits_until_the_worker_makes_it(self):
        made = make_school_with_commission("worker", None)
        school, responsible = made["school"], made["members"][0]
        appeals_make(school, responsible, [Spec(datetime.date(2026, 7, 6))])
        report = services.report_open(school=school, start=Q3.start, end=Q3.end, by=responsible)
        job = Job.objects.get(report=report)
        self.assertEqual(job.status, Job.Status.QUEUED)
        self.assertFalse(Document.objects.filter(job=job).exists())
        call_command("db_worker", batch=True, reload=False, startup_delay=False, verbosity=0)
        job.refresh_from_db()
        self.assertEqual((job.status, job.percent), (Job.Status.DONE, 100))
        self.assertTrue(Document.objects.filter(job=job, fmt="pdf", language="ky").exists())
        self.assertTrue(Report.objects.get(pk=report.pk).figures["total"] == 1)
