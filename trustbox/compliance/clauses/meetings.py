"""Cl. 4.3: the meetings of a half-year and their protocols."""

from __future__ import annotations

import datetime
from dataclasses import dataclass, field
from functools import partial

from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from trustbox.compliance.types import Level, Line, Link
from trustbox.compliance.types import cite as _clause
from trustbox.compliance.types import day as _day
from trustbox.compliance.types import period as _period
from trustbox.compliance.types import url as _url
from trustbox.meetings.obligations import HeldMeeting, MeetingsOwed
from trustbox.schools.models import School

# --- 4.3: meetings and their protocols ------------------------------------------------------


@dataclass
class _Protocols:
    """What the protocols of the half-year's meetings lack, in words, with their links."""

    problems: list[str] = field(default_factory=list)
    evidence: list[Link] = field(default_factory=list)
    blocked: bool = False
    changed: bool = False
    owed: bool = False  # a protocol or a signature is owed


def _protocol_words(school: School, held: HeldMeeting, words: _Protocols) -> None:
    meeting, protocol, check = held.meeting, held.protocol, held.check
    if protocol is None or check is None:
        words.owed = True
        words.problems.append(
            _("The meeting of %(date)s has no protocol yet.") % {"date": _day(meeting.held_on)}
        )
        words.evidence.append(
            Link(
                _("Meeting of %(date)s") % {"date": _day(meeting.held_on)},
                _url("meetings:detail", school, meeting.pk),
            )
        )
        return
    url = _url("meetings:protocol", school, protocol.pk)
    name = _("Protocol № %(number)s of %(date)s") % {
        "number": protocol.number,
        "date": _day(meeting.held_on),
    }
    if not check.unchanged:
        words.changed = True
        words.problems.append(
            _(
                "Protocol № %(number)s was changed after it was signed: its signatures do "
                "not verify."
            )
            % {"number": protocol.number}
        )
        words.evidence.append(Link(name, url))
        return
    if not check.missing:
        words.evidence.append(Link(name + " — " + _("signed by all"), url))
        return
    words.owed = True
    waiting = [m.member.full_name for m in check.missing if m.can_sign]
    gone = [m.member.full_name for m in check.missing if not m.can_sign]
    if waiting:
        words.problems.append(
            _("Protocol № %(number)s awaits the signature of: %(names)s.")
            % {"number": protocol.number, "names": ", ".join(waiting)}
        )
    if gone:
        words.blocked = True
        words.problems.append(
            _("Protocol № %(number)s cannot be signed by all: %(names)s left the commission.")
            % {"number": protocol.number, "names": ", ".join(gone)}
        )
    words.evidence.append(
        Link(
            name
            + " — "
            + _("%(signed)d of %(required)d signatures")
            % {"signed": check.signed, "required": check.required},
            url,
        )
    )


def _district_summary(owed: MeetingsOwed, words: _Protocols) -> str:
    """The line for the district: how many meetings, and whether a protocol fails; no names."""
    count = len(owed.held)
    district = [
        ngettext(
            "%(count)d meeting held, %(needed)d required",
            "%(count)d meetings held, %(needed)d required",
            count,
        )
        % {"count": count, "needed": owed.needed}
    ]
    if words.changed:
        district.append(_("a protocol does not verify"))
    elif words.owed:
        district.append(_("a protocol is not signed by all"))
    return "; ".join(district)


def line_meetings(
    school: School, owed: MeetingsOwed, today: datetime.date, *, previous: bool
) -> Line:
    """Cl. 4.3: at least two meetings in the half-year, each protocol signed by all."""
    period = owed.period
    asks = _(
        "The commission meets at least twice per half-year; each meeting ends with a protocol "
        "signed by all the members of the commission."
    )
    key = "4.3-previous" if previous else "4.3"
    clause = (
        _("Cl. %(clause)s, the half-year before") % {"clause": "4.3"}
        if previous
        else _clause("4.3")
    )
    line = partial(Line, key=key, clause=clause, asks=asks)
    if not owed.appointed:
        return line(
            level=Level.GREY,
            reason=_("No commission was appointed by %(date)s.") % {"date": _day(period.end)},
            summary=_("no commission then"),
        )
    words = _Protocols()
    for held in owed.held:
        _protocol_words(school, held, words)
    problems, evidence = words.problems, words.evidence
    count, needed = len(owed.held), owed.needed
    counted = ngettext(
        "From %(period)s: %(count)d meeting held, %(needed)d required.",
        "From %(period)s: %(count)d meetings held, %(needed)d required.",
        count,
    ) % {"count": count, "needed": needed, "period": _period(period)}
    enough = owed.enough
    if enough and not problems:
        level = Level.GREEN
    elif period.end < today or words.changed or words.blocked:
        level = Level.RED
    else:
        level = Level.AMBER
    over = period.end < today
    fix = None
    if not over and level != Level.GREEN:
        fix = (
            Link(_("Schedule a meeting"), _url("meetings:schedule", school))
            if not enough
            else Link(_("See the meetings"), _url("meetings:list", school))
        )
    reason = " ".join([counted, *problems])
    if level == Level.AMBER and not enough:
        reason += " " + _("%(date)s is the last day of the half-year.") % {"date": _day(period.end)}
    return line(
        level=level,
        reason=reason,
        summary=_district_summary(owed, words),
        evidence=evidence,
        fix=fix,
        deadline=None if over else period.end,
    )
