"""Freezing a quarter's counts and publishing the quarter: what leaves the commission, once.

A school's quarter is counted once and for all (Freeze, Tally) when its report is signed or
its deadline passes; a quarter is then published rounded once (Publication, PublishedCount).
"""

from __future__ import annotations

import dataclasses
import datetime
import logging
import random
from collections.abc import Iterable

from django.db import IntegrityError, transaction
from django.utils import timezone

from trustbox.registry.models import Appeal
from trustbox.reports.figures import appeals_between, cube
from trustbox.reports.models import Freeze, Publication, PublishedCount, Tally
from trustbox.reports.publication import quarter_round, quarter_truth, rounding_base
from trustbox.schools.models import School
from trustbox.schools.periods import Quarter

logger = logging.getLogger(__name__)


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
