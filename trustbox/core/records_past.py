"""The responsible person's to-do line of the other records past their retention period.

Acts of removal, the journal of openings, protocols and quarterly reports are counted by year
(their apps sit under retention's or beside it, so the count is made here, at the top). The
line names each kind with its years and counts, says that the school destroys the papers by its
own procedure, and leads to the periods page, where she confirms it is done
(retention.papers).
"""

from __future__ import annotations

import datetime
from dataclasses import dataclass

from django.db.models import Count, QuerySet
from django.db.models.functions import ExtractYear
from django.utils.translation import gettext as _

from trustbox.meetings.models import Protocol
from trustbox.openings.models import Opening
from trustbox.reports.models import Report
from trustbox.retention.papers import OTHER_RECORDS, papers_done_on, years_to_list
from trustbox.retention.periods import RecordKind, periods_in_force
from trustbox.schools.models import School


@dataclass(frozen=True)
class RecordsPast:
    kind: RecordKind
    years: tuple[tuple[int, int], ...]  # (year, how many records of it)


def _by_year(rows: QuerySet, field: str) -> dict[int, int]:
    counted = rows.annotate(record_year=ExtractYear(field)).values("record_year")
    return {row["record_year"]: row["n"] for row in counted.annotate(n=Count("pk")).order_by()}


def _counts(school: School, field: str) -> dict[int, int]:
    openings = Opening.objects.for_school(school).filter(opened_at__isnull=False)
    if field == "removal_acts":
        return _by_year(openings, "opened_at")
    if field == "journal":
        return _by_year(openings.filter(journal_number__isnull=False), "opened_at")
    if field == "protocols":
        rows = Protocol.objects.filter(school=school).values("year").annotate(n=Count("pk"))
        return {row["year"]: row["n"] for row in rows.order_by()}
    reports = Report.objects.filter(school=school, status=Report.Status.FINAL)
    return _by_year(reports, "end")


def records_past_period(school: School, today: datetime.date) -> list[RecordsPast]:
    """Each other kind of record with the years past their period and not yet confirmed done."""
    periods, done_on = periods_in_force(school), papers_done_on(school)
    found = []
    for kind in OTHER_RECORDS:
        listed = years_to_list(kind, periods.years(kind.field), today=today, done_on=done_on)
        counts = _counts(school, kind.field)
        years = tuple((year, counts[year]) for year in sorted(counts) if year in listed)
        if years:
            found.append(RecordsPast(kind=kind, years=years))
    return found


def records_text(found: list[RecordsPast]) -> str:
    """«Acts of removal: 2019 (3), 2020 (2); Protocols of the commission: 2015 (4)»."""
    return "; ".join(
        _("%(kind)s: %(years)s")
        % {
            "kind": record.kind.label,
            "years": ", ".join(f"{year} ({count})" for year, count in record.years),
        }
        for record in found
    )


def records_past_text(school: School, today: datetime.date) -> str:
    """The to-do line's text, or "" when nothing is past its period (or all was confirmed)."""
    found = records_past_period(school, today)
    if not found:
        return ""
    return _(
        "Records past their retention period: %(records)s. Trust Box keeps them; the school "
        "destroys their paper copies by its own procedure. Confirm on the periods page once "
        "it is done."
    ) % {"records": records_text(found)}
