"""What the audit log says of analytical reports, and how it names one."""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from typing import Any

from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from trustbox.audit.actions import AuditAction, audit_actions
from trustbox.audit.targets import TargetName
from trustbox.reports.models import Report


@audit_actions(group=_("every action on analytical reports"))
class ReportAction(AuditAction):
    CREATE = "report.create", _("started an analytical report")
    GENERATE = "report.generate", _("asked for a report's documents to be made")
    DRAFT = "report.draft", _("saved the analysis of a report as a draft")
    FINALISE = "report.finalise", _("finalised and signed an analytical report")
    SIGNING_KEY_SET = "report.signing_key_set", _("made a signing key for reports")
    DOWNLOAD = "report.download", _("downloaded an analytical report")


def reports_name(school: Any, pks: Iterable[int]) -> Mapping[int, TargetName]:
    names = {}
    for report in Report.objects.filter(school=school, pk__in=set(pks)):
        names[report.pk] = TargetName(
            _("report of %(start)s – %(end)s")
            % {"start": report.start.isoformat(), "end": report.end.isoformat()},
            reverse("reports:detail", args=[school.slug, report.pk]),
        )
    return names
