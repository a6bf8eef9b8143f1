"""The words of the compliance page: a line per clause, its level, its links."""

from __future__ import annotations

import datetime
from dataclasses import dataclass, field

from django.conf import settings
from django.urls import reverse
from django.utils import translation
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from trustbox.lib.dates import long_date, one_period
from trustbox.schools.models import School
from trustbox.schools.periods import HalfYear, Quarter


class Level:
    GREEN = "green"
    AMBER = "amber"
    RED = "red"
    GREY = "grey"  # the clause does not apply yet

    LABELS = {
        GREEN: gettext_lazy("done"),
        AMBER: gettext_lazy("owed"),
        RED: gettext_lazy("missed"),
        GREY: gettext_lazy("does not apply"),
    }


@dataclass(frozen=True)
class Link:
    text: str
    url: str = ""


def _tidy(text: str) -> str:
    """A sentence that ends on an abbreviation ("2026 г.") takes no second period."""
    return one_period(text)


@dataclass(frozen=True)
class Line:
    key: str  # "4.1", "4.5", "4.3", "4.3-previous", "3.1", "3.2", "law67", "4.6"
    clause: str  # as the page cites it
    asks: str
    level: str
    reason: str  # for the school
    summary: str  # for the district: no name, no appeal
    evidence: list[Link] = field(default_factory=list)
    fix: Link | None = None
    deadline: datetime.date | None = None

    def __post_init__(self) -> None:
        object.__setattr__(self, "reason", _tidy(self.reason))

    @property
    def level_label(self) -> str:
        return str(Level.LABELS[self.level])


def day(day: datetime.date) -> str:
    return long_date(day, translation.get_language() or settings.LANGUAGE_CODE)


def period(period: Quarter | HalfYear) -> str:
    return _("%(start)s – %(end)s") % {"start": day(period.start), "end": day(period.end)}


def cite(numbers: str) -> str:
    return _("Cl. %(clause)s") % {"clause": numbers}


def url(name: str, school: School, *args: object) -> str:
    return reverse(name, args=[school.slug, *args])
