"""The figures of an analytical report, counted from the plain fields of the registry only.

Appeals are counted in a *cube*: one row per combination of the plain fields that registration
writes (kind, category, source, signed, urgent, status, outcome, deadlines kept), with its count
and the days to registration and to an answer summed. The database builds the cube with one
GROUP BY; every figure of a report (a school's, a district's, the nation's) is then a sum over
its rows. No query here ever reads an appeal's sealed content, its writer or its file: only
the fields named in PLAIN_FIELDS (tests/test_never_decrypts.py holds that).

An appeal belongs to the period in which it came into the box (`received_on`).
"""

from __future__ import annotations

import dataclasses
import datetime
from collections import Counter
from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any

from django.db.models import (
    BooleanField,
    Case,
    Count,
    DurationField,
    ExpressionWrapper,
    F,
    Max,
    QuerySet,
    Sum,
    Value,
    When,
)
from django.utils import timezone

from trustbox.box.envelope import Category, Kind
from trustbox.meetings.selectors import meetings_held_between, protocol_check, protocol_in_force
from trustbox.openings.models import Opening
from trustbox.registry.models import OPEN_STATUSES, Appeal, Outcome, Source, Status
from trustbox.registry.obligations import appeals_overdue
from trustbox.schools.periods import Quarter, shifted, year_before

# The only fields of an appeal that analytics read.
PLAIN_FIELDS = (
    "school",
    "kind",
    "category",
    "source",
    "signed",
    "urgent",
    "status",
    "outcome",
    "received_on",
    "register_by",
    "registered_on",
    "due_on",
    "answered_on",
    "closed_on",
)
REFERRALS = (
    Outcome.PSYCHOLOGIST,
    Outcome.SOCIAL_PEDAGOGUE,
    Outcome.CLASS_TEACHER,
    Outcome.INSPECTOR,
    Outcome.OTHER_BODY,
)
DIMENSIONS = (
    "kind",
    "category",
    "source",
    "signed",
    "urgent",
    "status",
    "outcome",
    "registered_in_time",
    "answered_in_time",
    "overdue",
)


@dataclass(frozen=True)
class CubeRow:
    """Appeals that share every plain field, counted, with their days summed."""

    kind: str
    category: str
    source: str
    signed: bool
    urgent: bool
    status: str
    outcome: str
    registered_in_time: bool | None
    answered_in_time: bool | None
    overdue: bool
    count: int
    registration_days: int = 0
    registration_days_max: int = 0
    answer_days: int = 0
    answer_days_max: int = 0


def _days(value: Any) -> int:
    """Days out of a summed difference of dates: a timedelta, or a number on some engines."""
    if value is None:
        return 0
    if isinstance(value, datetime.timedelta):
        return value.days
    return int(value)


def cube(appeals: QuerySet[Appeal], *, as_of: datetime.date, by: str = "") -> list[Any]:
    """Group the appeals by every plain field; with by="school", by school as well.

    Returns CubeRow, or (school_id, CubeRow) pairs with by="school".
    """
    registration = ExpressionWrapper(
        F("registered_on") - F("received_on"), output_field=DurationField()
    )
    answer = ExpressionWrapper(F("answered_on") - F("registered_on"), output_field=DurationField())
    rows = (
        appeals.order_by()
        .annotate(
            registered_in_time=Case(
                When(registered_on__isnull=True, then=Value(None)),
                When(registered_on__lte=F("register_by"), then=Value(True)),
                default=Value(False),
                output_field=BooleanField(null=True),
            ),
            answered_in_time=Case(
                When(answered_on__isnull=True, then=Value(None)),
                When(answered_on__lte=F("due_on"), then=Value(True)),
                default=Value(False),
                output_field=BooleanField(null=True),
            ),
            # Past a deadline as the registry, the to-do list and the reminders say it.
            overdue=Case(
                When(appeals_overdue(as_of), then=Value(True)),
                default=Value(False),
                output_field=BooleanField(),
            ),
        )
        .values(*([by] if by else []), *DIMENSIONS)
        .annotate(
            n=Count("id"),
            registration_sum=Sum(registration),
            registration_max=Max(registration),
            answer_sum=Sum(answer),
            answer_max=Max(answer),
        )
    )
    result: list[Any] = []
    for row in rows:
        item = CubeRow(
            **{name: row[name] for name in DIMENSIONS},
            count=row["n"],
            registration_days=_days(row["registration_sum"]),
            registration_days_max=_days(row["registration_max"]),
            answer_days=_days(row["answer_sum"]),
            answer_days_max=_days(row["answer_max"]),
        )
        result.append((row[by], item) if by else item)
    return result


def appeals_between(appeals: QuerySet[Appeal], start: datetime.date, end: datetime.date):
    return appeals.filter(received_on__gte=start, received_on__lte=end)


# --- figures: sums over a cube ---------------------------------------------------------------


def _by(rows: Iterable[CubeRow], field: str, order: Iterable[str] = ()) -> dict[str, int]:
    counted: Counter[str] = Counter()
    for row in rows:
        counted[str(getattr(row, field))] += row.count
    ordered = {code: counted[code] for code in order if counted[code]}
    ordered.update({code: n for code, n in sorted(counted.items()) if code not in ordered and n})
    return ordered


def _average(total_days: int, count: int) -> float | None:
    return round(total_days / count, 1) if count else None


def summary(rows: list[CubeRow]) -> dict[str, Any]:
    """Every figure that one cube gives: counts by each field, deadlines and times."""
    total = sum(row.count for row in rows)
    registered = [row for row in rows if row.registered_in_time is not None]
    answered = [row for row in rows if row.answered_in_time is not None]
    registered_count = sum(row.count for row in registered)
    answered_count = sum(row.count for row in answered)
    outcomes = _by([row for row in rows if row.outcome], "outcome", Outcome.values)
    return {
        "total": total,
        "by_kind": _by(rows, "kind", Kind.values),
        "by_category": _by(rows, "category", Category.values),
        "by_source": _by(rows, "source", Source.values),
        "signed": sum(row.count for row in rows if row.signed),
        "anonymous": sum(row.count for row in rows if not row.signed),
        "urgent": sum(row.count for row in rows if row.urgent),
        "by_status": _by(rows, "status", Status.values),
        "by_outcome": outcomes,
        "referrals": {code: outcomes[code] for code in REFERRALS if outcomes.get(code)},
        "referred": sum(outcomes.get(code, 0) for code in REFERRALS),
        "registration": {
            "registered": registered_count,
            "in_time": sum(row.count for row in registered if row.registered_in_time),
            "late": sum(row.count for row in registered if not row.registered_in_time),
            "waiting": sum(row.count for row in rows if row.status == Status.TAKEN_OUT),
            "overdue": sum(
                row.count for row in rows if row.status == Status.TAKEN_OUT and row.overdue
            ),
            "average_days": _average(
                sum(r.registration_days for r in registered), registered_count
            ),
            "max_days": max((row.registration_days_max for row in registered), default=None),
        },
        "answers": {
            "answered": answered_count,
            "in_time": sum(row.count for row in answered if row.answered_in_time),
            "late": sum(row.count for row in answered if not row.answered_in_time),
            "open": sum(row.count for row in rows if row.status in OPEN_STATUSES),
            "overdue": sum(
                row.count for row in rows if row.status in OPEN_STATUSES and row.overdue
            ),
            "average_days": _average(sum(r.answer_days for r in answered), answered_count),
            "max_days": max((row.answer_days_max for row in answered), default=None),
        },
    }


def comparison(rows: list[CubeRow]) -> dict[str, Any]:
    """The figures a comparison shows: the total, by kind and by category."""
    return {
        "total": sum(row.count for row in rows),
        "by_kind": _by(rows, "kind", Kind.values),
        "by_category": _by(rows, "category", Category.values),
    }


def meetings_count(school: Any, start: datetime.date, end: datetime.date) -> dict[str, int]:
    """Meetings the school held in the period, and how many of their protocols all signed.

    A protocol counts when every member of the commission that held the meeting signed it (in
    the product or on paper, cl. 4.3) and every signature verifies over its content as it is.
    """
    held = meetings_held_between(school, start, end)
    signed = 0
    for meeting in held:
        protocol = protocol_in_force(meeting)
        if protocol is None:
            continue
        check = protocol_check(protocol)
        signed += check.complete and check.unchanged
    return {"held": len(held), "protocols_signed": signed}


def school_figures(
    school: Any, start: datetime.date, end: datetime.date, *, as_of: datetime.date | None = None
) -> dict[str, Any]:
    """Every figure of a school's report for the period, as plain JSON-ready data."""
    as_of = as_of or timezone.localdate()
    appeals = Appeal.objects.for_school(school)
    quarter = Quarter.exact(start, end)
    if quarter is not None:
        previous = (quarter.previous().start, quarter.previous().end)
        last_year = (quarter.year_before().start, quarter.year_before().end)
    else:
        previous = shifted(start, end)
        last_year = (year_before(start), year_before(end))
    openings = Opening.objects.for_school(school).done().within(start, end)
    held = list(openings.values_list("online_count", "paper_count"))
    return {
        "start": start.isoformat(),
        "end": end.isoformat(),
        "as_of": as_of.isoformat(),
        **summary(cube(appeals_between(appeals, start, end), as_of=as_of)),
        "previous": {
            "start": previous[0].isoformat(),
            "end": previous[1].isoformat(),
            **comparison(cube(appeals_between(appeals, *previous), as_of=as_of)),
        },
        "last_year": {
            "start": last_year[0].isoformat(),
            "end": last_year[1].isoformat(),
            **comparison(cube(appeals_between(appeals, *last_year), as_of=as_of)),
        },
        "openings": {"held": len(held), "taken_out": sum(a + b for a, b in held)},
        "meetings": meetings_count(school, start, end),
    }


def rows_of_tallies(tallies: Iterable[Any]) -> list[CubeRow]:
    """Frozen tallies (models.Tally or dicts of their fields) back as cube rows."""
    fields = [field.name for field in dataclasses.fields(CubeRow)]
    rows = []
    for tally in tallies:
        values: dict[str, Any] = (
            {name: tally[name] for name in fields}
            if isinstance(tally, dict)
            else {name: getattr(tally, name) for name in fields}
        )
        rows.append(CubeRow(**values))
    return rows
