"""Cl. 4.1, 4.2 and 4.5: the commission by order, its chair and secretary."""

from __future__ import annotations

from functools import partial

from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from trustbox.commission.selectors import OrderOwed
from trustbox.compliance.types import Level, Line, Link
from trustbox.compliance.types import cite as _clause
from trustbox.compliance.types import day as _day
from trustbox.compliance.types import url as _url
from trustbox.meetings.obligations import ElectionOwed
from trustbox.schools.models import School

# --- 4.1, 4.2: the commission by order ------------------------------------------------------


def line_commission(school: School, owed: OrderOwed) -> Line:
    """Cl. 4.1, 4.2: the commission appointed by an order that meets the regulation."""
    commission = owed.commission
    asks = _(
        "The director appoints the commission by order: an odd number of members, with a "
        "representative of the parents' community; a responsible person is appointed from "
        "among its members."
    )
    line = partial(Line, key="4.1", clause=_clause("4.1, 4.2"), asks=asks)
    fix = Link(_("Enter the order"), _url("commission:appoint", school))
    if commission is None:
        return line(
            level=Level.RED,
            reason=_("No commission is appointed."),
            summary=_("no commission"),
            fix=fix,
        )
    members, problems = owed.members, owed.problems
    evidence = [
        Link(
            _("Order № %(number)s of %(date)s")
            % {"number": commission.order_number, "date": _day(commission.order_date)},
            _url("commission:detail", school, commission.pk),
        )
    ]
    if problems:
        return line(
            level=Level.RED,
            reason=" ".join(str(problem) for problem in problems.values()),
            summary=_("the order does not meet the regulation"),
            evidence=evidence,
            fix=fix,
        )
    return line(
        level=Level.GREEN,
        reason=ngettext(
            "%(count)d member, with a parents' representative and a responsible person.",
            "%(count)d members, with a parents' representative and a responsible person.",
            len(members),
        )
        % {"count": len(members)},
        summary=ngettext(
            "appointed: %(count)d member", "appointed: %(count)d members", len(members)
        )
        % {"count": len(members)},
        evidence=evidence,
    )


# --- 4.5: chair and secretary ---------------------------------------------------------------


def line_officers(school: School, owed: ElectionOwed) -> Line:
    """Cl. 4.5: the chair and the secretary elected at the first session."""
    commission = owed.commission
    asks = _(
        "At its first session the commission elects its chair and secretary from its members "
        "by open vote."
    )
    line = partial(Line, key="4.5", clause=_clause("4.5"), asks=asks)
    if commission is None:
        return line(
            level=Level.RED,
            reason=_("No commission is appointed yet."),
            summary=_("no commission"),
        )
    if owed.elected and commission.chair and commission.secretary:
        first, protocol = owed.first_session, owed.protocol
        evidence = (
            [
                Link(
                    _("Protocol № %(number)s of %(date)s")
                    % {"number": protocol.number, "date": _day(first.held_on)},
                    _url("meetings:protocol", school, protocol.pk),
                )
            ]
            if first and protocol
            else []
        )
        return line(
            level=Level.GREEN,
            reason=_("Chair: %(chair)s. Secretary: %(secretary)s.")
            % {"chair": commission.chair.full_name, "secretary": commission.secretary.full_name},
            summary=_("elected"),
            evidence=evidence,
        )
    fix = Link(
        _("Record the vote of the first session"), _url("commission:elect", school, commission.pk)
    )
    if owed.met:
        return line(
            level=Level.RED,
            reason=_("The commission has met without electing its chair and secretary."),
            summary=_("not elected"),
            fix=fix,
        )
    return line(
        level=Level.AMBER,
        reason=_("Not elected yet: the commission elects them at its first session."),
        summary=_("to be elected at the first session"),
        fix=fix,
    )
