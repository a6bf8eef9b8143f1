"""Cl. 3.2 and Law No. 67: registration within a working day, answers in time."""

from __future__ import annotations

from collections.abc import Sequence
from functools import partial
from typing import Any

from django.conf import settings
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from trustbox.compliance.types import Level, Line, Link
from trustbox.compliance.types import cite as _clause
from trustbox.compliance.types import day as _day
from trustbox.compliance.types import url as _url
from trustbox.registry.obligations import AnswersOwed, RegistrationOwed
from trustbox.schools.models import School

# --- 3.2: registration within one working day -----------------------------------------------


def _numbers(appeals: Sequence[Any]) -> str:
    return ", ".join(
        appeal.number
        or _("opening № %(number)s, line %(line)s")
        % {"number": appeal.opening.journal_number, "line": appeal.number_in_act}
        for appeal in appeals
    )


def line_registration(school: School, owed: RegistrationOwed) -> Line:
    """Cl. 3.2: the appeals taken out registered, each within one working day."""
    asks = _(
        "After each opening, the appeals taken out are registered, each within one working "
        "day (Law No. 67 on citizens' appeals)."
    )
    line = partial(Line, key="3.2", clause=_clause("3.2"), asks=asks)
    overdue, late = owed.overdue, owed.late
    fix = Link(_("Registry"), _url("registry:list", school))
    problems = []
    if overdue:
        problems.append(
            _("Not registered in time and still waiting: %(appeals)s.")
            % {"appeals": _numbers(overdue)}
        )
    if late:
        problems.append(
            _("Registered late this half-year: %(appeals)s.") % {"appeals": _numbers(late)}
        )
    if problems:
        return line(
            level=Level.RED,
            reason=" ".join(problems),
            summary=_("an appeal was registered late"),
            fix=fix,
        )
    first_due = owed.due
    if first_due is not None:
        count = owed.waiting
        return line(
            level=Level.AMBER,
            reason=ngettext(
                "By %(date)s, %(count)d appeal taken out of the box is to be registered.",
                "By %(date)s, the first of %(count)d appeals taken out of the box is to be "
                "registered.",
                count,
            )
            % {"count": count, "date": _day(first_due)},
            summary=_("appeals to register"),
            fix=fix,
            deadline=first_due,
        )
    return line(
        level=Level.GREEN,
        reason=_("Every appeal was registered in time this half-year."),
        summary=_("registered in time"),
    )


# --- Law No. 67: answers within their deadlines ----------------------------------------------


def line_answers(school: School, owed: AnswersOwed) -> Line:
    """Law No. 67: every appeal answered within its deadline."""
    asks = _(
        "Every appeal is answered within its deadline: %(days)d days from registration, "
        "%(urgent)d working days if it is urgent (Law No. 67 on citizens' appeals)."
    ) % {"days": settings.ANSWER_WITHIN_DAYS, "urgent": settings.URGENT_ANSWER_WITHIN_DAYS}
    line = partial(Line, key="law67", clause=_("Law No. 67"), asks=asks)
    overdue, late = owed.overdue, owed.late
    fix = Link(_("Registry"), _url("registry:list", school))
    problems = []
    if overdue:
        problems.append(
            _("Past their deadline, not answered: %(appeals)s.") % {"appeals": _numbers(overdue)}
        )
    if late:
        problems.append(
            _("Answered late this half-year: %(appeals)s.") % {"appeals": _numbers(late)}
        )
    if problems:
        return line(
            level=Level.RED,
            reason=" ".join(problems),
            summary=_("an answer was late"),
            fix=fix,
        )
    first_due = owed.due
    if first_due is not None:
        return line(
            level=Level.AMBER,
            reason=_("By %(date)s, the first of these appeals is to be answered: %(appeals)s.")
            % {"appeals": _numbers(owed.soon), "date": _day(first_due)},
            summary=_("answers due soon"),
            fix=fix,
            deadline=first_due,
        )
    return line(
        level=Level.GREEN,
        reason=_("Every answer due so far was given in time."),
        summary=_("answered in time"),
    )
