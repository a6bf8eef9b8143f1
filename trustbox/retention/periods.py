"""Which retention periods are in force at a school, and why: the install's or the school's.

Each kind of record has a period in years: the install's default (settings RETENTION_YEARS,
RETENTION_YEARS_LONG) unless the school's nomenclature of cases sets its own (RetentionRule,
with the clause it follows). A closed case is past its period when `closed_on` plus its
period (the long one for an urgent case or one referred elsewhere) is before today.
"""

from __future__ import annotations

import datetime
from dataclasses import dataclass
from typing import TYPE_CHECKING

from django.conf import settings
from django.utils.translation import gettext_lazy as _

from trustbox.registry.models import Outcome
from trustbox.retention.models import RetentionRule
from trustbox.schools.models import School

if TYPE_CHECKING:
    from django_stubs_ext import StrOrPromise

# Referred cases are kept as long as urgent ones: another body may ask for the file.
REFERRED = (
    Outcome.PSYCHOLOGIST,
    Outcome.SOCIAL_PEDAGOGUE,
    Outcome.CLASS_TEACHER,
    Outcome.INSPECTOR,
    Outcome.OTHER_BODY,
)
LONGEST = 75  # years: what an archive keeps longest ("permanently" is not a retention period)


@dataclass(frozen=True)
class RecordKind:
    field: str  # of RetentionRule
    label: StrOrPromise
    long: bool  # whose install default is the long period


RECORD_KINDS = (
    RecordKind("appeals", _("Appeals and their files (after the case is closed)"), long=False),
    RecordKind("appeals_long", _("Urgent and referred appeals (after closing)"), long=True),
    RecordKind("removal_acts", _("Acts of removal"), long=False),
    RecordKind("journal", _("Journal of openings"), long=True),
    RecordKind("protocols", _("Protocols of the commission"), long=True),
    RecordKind("reports", _("Quarterly analytical reports"), long=False),
)


@dataclass(frozen=True)
class Period:
    kind: RecordKind
    years: int
    by_school: bool  # set by the school's nomenclature, else the install's default

    @property
    def label(self) -> StrOrPromise:
        return self.kind.label


@dataclass(frozen=True)
class PeriodsInForce:
    periods: tuple[Period, ...]
    clause: str  # the nomenclature's clause the school follows; "" if none

    def years(self, field: str) -> int:
        return next(period.years for period in self.periods if period.kind.field == field)


def install_default(kind: RecordKind) -> int:
    return int(settings.RETENTION_YEARS_LONG if kind.long else settings.RETENTION_YEARS)


def periods_in_force(school: School) -> PeriodsInForce:
    """Every kind of record's period at the school, with where it comes from."""
    rule = RetentionRule.objects.filter(school=school).first()
    periods = []
    for kind in RECORD_KINDS:
        own = getattr(rule, kind.field) if rule is not None else None
        periods.append(
            Period(kind=kind, years=own or install_default(kind), by_school=own is not None)
        )
    return PeriodsInForce(periods=tuple(periods), clause=rule.clause if rule else "")


def years_before(day: datetime.date, years: int) -> datetime.date:
    """The same day so many years before (the 28th of February for the 29th)."""
    try:
        return day.replace(year=day.year - years)
    except ValueError:
        return day.replace(year=day.year - years, day=28)
