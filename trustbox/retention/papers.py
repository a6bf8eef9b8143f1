"""The other records' periods: acts of removal, the journal, protocols, quarterly reports.

Trust Box does not delete these records (docs/privacy.md says why): the school keeps them on
paper too and destroys the paper by its own procedure once their period is over. A record of
a year is past its period from the 1st of January after the year plus its period (the
nomenclature's rule: a period counts from the 1st of January of the year after the record's).
The responsible person's to-do line lists them, by count and year (core.records_past), until
she confirms that the school's procedure has destroyed the papers (`papers_done`).
"""

from __future__ import annotations

import datetime

from django.db import transaction
from django.utils import timezone

from trustbox.accounts.models import User
from trustbox.audit.services import audit_write
from trustbox.retention.actions import RetentionAction
from trustbox.retention.models import RetentionRule
from trustbox.retention.periods import RECORD_KINDS, RecordKind
from trustbox.schools.models import School

# The records besides the appeals, in the order the line names them.
OTHER_RECORDS = tuple(kind for kind in RECORD_KINDS if not kind.field.startswith("appeals"))


def last_year_past(day: datetime.date, years: int) -> int:
    """The last year whose records are past a period of `years` on `day`."""
    return day.year - years - 1


def papers_done_on(school: School) -> datetime.date | None:
    rule = RetentionRule.objects.filter(school=school).only("papers_done_on").first()
    return rule.papers_done_on if rule else None


def years_to_list(
    kind: RecordKind, years: int, *, today: datetime.date, done_on: datetime.date | None
) -> range:
    """The years of `kind` past their period today and not yet confirmed done."""
    first = last_year_past(done_on, years) + 1 if done_on else datetime.MINYEAR
    return range(first, last_year_past(today, years) + 1)


@transaction.atomic
def papers_done(*, school: School, by: User) -> RetentionRule:
    """The responsible person confirms that the listed papers are destroyed by the school."""
    rule, _created = RetentionRule.objects.select_for_update().get_or_create(school=school)
    rule.papers_done_on = timezone.localdate()
    rule.save(update_fields=["papers_done_on"])
    audit_write(
        school=school,
        actor=by,
        action=RetentionAction.PAPERS,
        target=rule,
        details={"on": rule.papers_done_on.isoformat()},
    )
    return rule
