"""The regulation clause by clause: what it asks, whether the school did it, and the evidence.

Each line is green (done), amber (owed, with its deadline ahead), red (missed) or grey (does not
apply yet). A line has two explanations: `reason` for the school, which may name members and
appeal numbers, and `summary` for the district office, which names nobody and no appeal and
counts no appeals.
"""

from __future__ import annotations

import datetime
import re
from dataclasses import dataclass, field

from django.conf import settings
from django.db.models import F, Min
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, ngettext

from trustbox.box.models import SealedAppeal
from trustbox.commission.models import Commission
from trustbox.commission.rules import order_problems
from trustbox.lib.dates import long_date
from trustbox.meetings.models import Meeting
from trustbox.meetings.selectors import meetings_held_between, protocol_check, protocol_in_force
from trustbox.openings.models import Opening
from trustbox.registry.models import OPEN_STATUSES, Appeal, Status
from trustbox.reports.agenda import report_meeting
from trustbox.reports.district import ComplianceCell
from trustbox.reports.selectors import report_owed, report_status
from trustbox.schools.models import District, School
from trustbox.schools.periods import HalfYear, Quarter
from trustbox.seal.models import BoxKey

MEETINGS_PER_HALF_YEAR = 2


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
    return re.sub(r"\.\.(?=\s|$)", ".", text)


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


def _day(day: datetime.date) -> str:
    return long_date(day, translation.get_language() or settings.LANGUAGE_CODE)


def _period(period: Quarter | HalfYear) -> str:
    return _("%(start)s – %(end)s") % {"start": _day(period.start), "end": _day(period.end)}


def _clause(numbers: str) -> str:
    return _("Cl. %(clause)s") % {"clause": numbers}


def _url(name: str, school: School, *args: object) -> str:
    return reverse(name, args=[school.slug, *args])


# --- 4.1, 4.2: the commission by order ------------------------------------------------------


def _line_commission(school: School, commission: Commission | None) -> Line:
    asks = _(
        "The director appoints the commission by order: an odd number of members, with a "
        "representative of the parents' community; a responsible person is appointed from "
        "among its members."
    )
    fix = Link(_("Enter the order"), _url("commission:appoint", school))
    if commission is None:
        return Line(
            key="4.1",
            clause=_clause("4.1, 4.2"),
            asks=asks,
            level=Level.RED,
            reason=_("No commission is appointed."),
            summary=_("no commission"),
            fix=fix,
        )
    members = list(commission.members.all())
    problems = order_problems(
        members=members,
        parents_representative=commission.parents_representative,
        responsible=commission.responsible,
    )
    evidence = [
        Link(
            _("Order № %(number)s of %(date)s")
            % {"number": commission.order_number, "date": _day(commission.order_date)},
            _url("commission:detail", school, commission.pk),
        )
    ]
    if problems:
        return Line(
            key="4.1",
            clause=_clause("4.1, 4.2"),
            asks=asks,
            level=Level.RED,
            reason=" ".join(str(problem) for problem in problems.values()),
            summary=_("the order does not meet the regulation"),
            evidence=evidence,
            fix=fix,
        )
    return Line(
        key="4.1",
        clause=_clause("4.1, 4.2"),
        asks=asks,
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


def _line_officers(school: School, commission: Commission | None) -> Line:
    asks = _(
        "At its first session the commission elects its chair and secretary from its members "
        "by open vote."
    )
    if commission is None:
        return Line(
            key="4.5",
            clause=_clause("4.5"),
            asks=asks,
            level=Level.RED,
            reason=_("No commission is appointed yet."),
            summary=_("no commission"),
        )
    if commission.chair and commission.secretary:
        first = (
            Meeting.objects.filter(commission=commission, kind=Meeting.Kind.FIRST_SESSION)
            .order_by("id")
            .first()
        )
        protocol = protocol_in_force(first) if first else None
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
        return Line(
            key="4.5",
            clause=_clause("4.5"),
            asks=asks,
            level=Level.GREEN,
            reason=_("Chair: %(chair)s. Secretary: %(secretary)s.")
            % {"chair": commission.chair.full_name, "secretary": commission.secretary.full_name},
            summary=_("elected"),
            evidence=evidence,
        )
    fix = Link(
        _("Record the vote of the first session"), _url("commission:elect", school, commission.pk)
    )
    met = Meeting.objects.filter(commission=commission).held().exists()
    if met:
        return Line(
            key="4.5",
            clause=_clause("4.5"),
            asks=asks,
            level=Level.RED,
            reason=_("The commission has met without electing its chair and secretary."),
            summary=_("not elected"),
            fix=fix,
        )
    return Line(
        key="4.5",
        clause=_clause("4.5"),
        asks=asks,
        level=Level.AMBER,
        reason=_("Not elected yet: the commission elects them at its first session."),
        summary=_("to be elected at the first session"),
        fix=fix,
    )


# --- 4.3: meetings and their protocols ------------------------------------------------------


def _line_meetings(
    school: School, period: HalfYear, today: datetime.date, *, previous: bool
) -> Line:
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
    first_order = (
        Commission.objects.for_school(school).order_by("order_date").values_list("order_date")
    ).first()
    if first_order is None or first_order[0] > period.end:
        return Line(
            key=key,
            clause=clause,
            asks=asks,
            level=Level.GREY,
            reason=_("No commission was appointed by %(date)s.") % {"date": _day(period.end)},
            summary=_("no commission then"),
        )
    held = meetings_held_between(school, period.start, period.end)
    problems: list[str] = []
    district: list[str] = []
    evidence: list[Link] = []
    blocked = changed = owed_protocol = owed_signature = False
    for meeting in held:
        protocol = protocol_in_force(meeting)
        if protocol is None:
            owed_protocol = True
            problems.append(
                _("The meeting of %(date)s has no protocol yet.") % {"date": _day(meeting.held_on)}
            )
            evidence.append(
                Link(
                    _("Meeting of %(date)s") % {"date": _day(meeting.held_on)},
                    _url("meetings:detail", school, meeting.pk),
                )
            )
            continue
        check = protocol_check(protocol)
        url = _url("meetings:protocol", school, protocol.pk)
        name = _("Protocol № %(number)s of %(date)s") % {
            "number": protocol.number,
            "date": _day(meeting.held_on),
        }
        if not check.unchanged:
            changed = True
            problems.append(
                _(
                    "Protocol № %(number)s was changed after it was signed: its signatures do "
                    "not verify."
                )
                % {"number": protocol.number}
            )
            evidence.append(Link(name, url))
            continue
        if check.missing:
            owed_signature = True
            waiting = [m.member.full_name for m in check.missing if m.can_sign]
            gone = [m.member.full_name for m in check.missing if not m.can_sign]
            if waiting:
                problems.append(
                    _("Protocol № %(number)s awaits the signature of: %(names)s.")
                    % {"number": protocol.number, "names": ", ".join(waiting)}
                )
            if gone:
                blocked = True
                problems.append(
                    _(
                        "Protocol № %(number)s cannot be signed by all: %(names)s left the "
                        "commission."
                    )
                    % {"number": protocol.number, "names": ", ".join(gone)}
                )
            evidence.append(
                Link(
                    name
                    + " — "
                    + _("%(signed)d of %(required)d signatures")
                    % {"signed": check.signed, "required": check.required},
                    url,
                )
            )
        else:
            evidence.append(Link(name + " — " + _("signed by all"), url))
    count = len(held)
    counted = ngettext(
        "From %(period)s: %(count)d meeting of the %(needed)d required.",
        "From %(period)s: %(count)d meetings of the %(needed)d required.",
        count,
    ) % {"count": count, "needed": MEETINGS_PER_HALF_YEAR, "period": _period(period)}
    district.append(
        _("%(count)d of %(needed)d meetings") % {"count": count, "needed": MEETINGS_PER_HALF_YEAR}
    )
    if changed:
        district.append(_("a protocol does not verify"))
    elif owed_protocol or owed_signature:
        district.append(_("a protocol is not signed by all"))
    enough = count >= MEETINGS_PER_HALF_YEAR
    if enough and not problems:
        level = Level.GREEN
    elif period.end < today or changed or blocked:
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
    return Line(
        key,
        clause,
        asks,
        level,
        reason=reason,
        summary="; ".join(district),
        evidence=evidence,
        fix=fix,
        deadline=None if over else period.end,
    )


# --- 3.1, 3.3: the box opened, with its act and journal --------------------------------------


def _line_box(school: School, today: datetime.date) -> Line:
    asks = _(
        "The commission opens the box together; each opening has its act of removal and its "
        "entry in the journal of openings, and the box is sealed again."
    )
    clause = _clause("3.1, 3.3")
    journal = Link(_("Journal of openings"), _url("openings:journal", school))
    if BoxKey.objects.current(school) is None:
        return Line(
            key="3.1",
            clause=clause,
            asks=asks,
            level=Level.RED,
            reason=_(
                "The box has no key yet, so it cannot take appeals: the commission makes "
                "it on the Digital seal page."
            ),
            summary=_("the box is not ready"),
            fix=Link(_("Digital seal"), _url("seal:ceremony", school)),
        )
    done = Opening.objects.for_school(school).done()
    broken = [
        opening
        for opening in done.order_by("opened_at")
        if not (opening.journal_number and opening.new_head and opening.opened_at)
    ]
    if broken:
        return Line(
            key="3.1",
            clause=clause,
            asks=asks,
            level=Level.RED,
            reason=_("An opening has no entry in the journal of openings or no new seal."),
            summary=_("an opening is not in the journal"),
            evidence=[journal],
        )
    waiting = SealedAppeal.objects.filter(school=school).in_box()
    oldest = waiting.aggregate(day=Min("received_on"))["day"]
    last = done.order_by("-opened_at").first()
    evidence = [journal]
    if oldest is not None:
        count = waiting.count()
        return Line(
            key="3.1",
            clause=clause,
            asks=asks,
            level=Level.AMBER,
            reason=ngettext(
                "%(count)d appeal waits in the box since %(date)s: gather the commission and "
                "open it.",
                "%(count)d appeals wait in the box, the oldest since %(date)s: gather the "
                "commission and open it.",
                count,
            )
            % {"count": count, "date": _day(oldest)},
            summary=_("appeals wait in the box"),
            fix=journal,
        )
    opened = timezone.localtime(last.opened_at).date() if last and last.opened_at else None
    if opened is None:
        reason = _("The box has not been opened yet; nothing waits in it.")
    else:
        reason = ngettext(
            "%(count)d opening, with its act and journal entry (the last on %(date)s); nothing "
            "waits in the box.",
            "%(count)d openings, each with its act and journal entry (the last on %(date)s); "
            "nothing waits in the box.",
            done.count(),
        ) % {"count": done.count(), "date": _day(opened)}
    return Line(
        key="3.1",
        clause=clause,
        asks=asks,
        level=Level.GREEN,
        reason=reason,
        summary=_("opened; nothing waits"),
        evidence=evidence,
    )


# --- 3.2: registration within one working day -----------------------------------------------


def _numbers(appeals: list[Appeal]) -> str:
    return ", ".join(
        appeal.number
        or _("opening № %(number)s, line %(line)s")
        % {"number": appeal.opening.journal_number, "line": appeal.number_in_act}
        for appeal in appeals
    )


def _line_registration(school: School, period: HalfYear, today: datetime.date) -> Line:
    asks = _(
        "After each opening, the appeals taken out are registered, each within one working "
        "day (Law No. 67 on citizens' appeals)."
    )
    clause = _clause("3.2")
    appeals = Appeal.objects.for_school(school).select_related("opening")
    overdue = list(appeals.filter(status=Status.TAKEN_OUT, register_by__lt=today))
    late = list(
        appeals.filter(
            registered_on__gt=F("register_by"),
            register_by__gte=period.start,
            register_by__lte=period.end,
        ).order_by("year", "serial")
    )
    pending = appeals.filter(status=Status.TAKEN_OUT, register_by__gte=today)
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
        return Line(
            key="3.2",
            clause=clause,
            asks=asks,
            level=Level.RED,
            reason=" ".join(problems),
            summary=_("an appeal was registered late"),
            fix=fix,
        )
    first_due = pending.aggregate(day=Min("register_by"))["day"]
    if first_due is not None:
        count = pending.count()
        return Line(
            key="3.2",
            clause=clause,
            asks=asks,
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
    return Line(
        key="3.2",
        clause=clause,
        asks=asks,
        level=Level.GREEN,
        reason=_("Every appeal was registered in time this half-year."),
        summary=_("registered in time"),
    )


# --- Law No. 67: answers within their deadlines ----------------------------------------------


def _line_answers(school: School, period: HalfYear, today: datetime.date) -> Line:
    asks = _(
        "Every appeal is answered within its deadline: %(days)d days from registration, "
        "%(urgent)d working days if it is urgent (Law No. 67 on citizens' appeals)."
    ) % {"days": settings.ANSWER_WITHIN_DAYS, "urgent": settings.URGENT_ANSWER_WITHIN_DAYS}
    clause = _("Law No. 67")
    appeals = Appeal.objects.for_school(school)
    overdue = list(appeals.filter(status__in=OPEN_STATUSES, due_on__lt=today).order_by("due_on"))
    late = list(
        appeals.filter(
            answered_on__gt=F("due_on"), answered_on__gte=period.start, answered_on__lte=period.end
        ).order_by("year", "serial")
    )
    soon_until = today + datetime.timedelta(days=settings.REMIND_DAYS_BEFORE)
    soon = appeals.filter(status__in=OPEN_STATUSES, due_on__gte=today, due_on__lte=soon_until)
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
        return Line(
            key="law67",
            clause=clause,
            asks=asks,
            level=Level.RED,
            reason=" ".join(problems),
            summary=_("an answer was late"),
            fix=fix,
        )
    first_due = soon.aggregate(day=Min("due_on"))["day"]
    if first_due is not None:
        return Line(
            key="law67",
            clause=clause,
            asks=asks,
            level=Level.AMBER,
            reason=_("By %(date)s, the first of these appeals is to be answered: %(appeals)s.")
            % {"appeals": _numbers(list(soon.order_by("due_on"))), "date": _day(first_due)},
            summary=_("answers due soon"),
            fix=fix,
            deadline=first_due,
        )
    return Line(
        key="law67",
        clause=clause,
        asks=asks,
        level=Level.GREEN,
        reason=_("Every answer due so far was given in time."),
        summary=_("answered in time"),
    )


# --- 4.6: the quarterly report --------------------------------------------------------------


def _line_report(school: School, today: datetime.date) -> Line:
    """The report for the quarter that ended last: prepared by the 5th, signed, on an agenda."""
    asks = _(
        "Every quarter, by the 5th day of the month, the responsible person prepares an "
        "analytical report on the messages received through the box, and it is discussed at "
        "a session."
    )
    clause = _clause("4.6")
    quarter = Quarter.of(today).previous()
    status = report_status(school, quarter)
    due, report = status.due_on, status.report
    values = {"period": _period(quarter), "date": _day(due)}
    when = (
        _(
            "The report for %(period)s is due by %(date)s: the 5th is a day off, so the deadline "
            "moves to the next working day."
        )
        if due != quarter.fifth_after
        else _("The report for %(period)s is due by %(date)s.")
    ) % values
    evidence: list[Link] = []
    meeting = report_meeting(report) if report is not None else None
    if report is not None:
        evidence.append(
            Link(
                _("The report for %(period)s") % {"period": _period(quarter)},
                _url("reports:detail", school, report.pk),
            )
        )
    if meeting is not None:
        evidence.append(
            Link(
                _("Meeting of %(date)s") % {"date": _day(meeting.held_on)},
                _url("meetings:detail", school, meeting.pk),
            )
        )
    if not status.prepared:
        if not report_owed(school, status):
            return Line(
                key="4.6",
                clause=clause,
                asks=asks,
                level=Level.GREY,
                reason=_("No commission was appointed by %(date)s.") % {"date": _day(due)},
                summary=_("no commission then"),
            )
        fix = (
            Link(_("Finish the report"), _url("reports:detail", school, report.pk))
            if report is not None
            else Link(_("Prepare the report"), _url("reports:list", school))
        )
        if today <= due:
            return Line(
                key="4.6",
                clause=clause,
                asks=asks,
                level=Level.AMBER,
                reason=_("The report is not finalised yet.") + " " + when,
                summary=_("report due by %(date)s") % {"date": _day(due)},
                evidence=evidence,
                fix=fix,
                deadline=due,
            )
        return Line(
            key="4.6",
            clause=clause,
            asks=asks,
            level=Level.RED,
            reason=_("The report for %(period)s was due by %(date)s and is not finalised.")
            % values,
            summary=_("report missed"),
            evidence=evidence,
            fix=fix,
        )
    assert report is not None and status.finalised_on is not None
    done = {**values, "finalised": _day(status.finalised_on)}
    if not status.signed:
        return Line(
            key="4.6",
            clause=clause,
            asks=asks,
            level=Level.RED,
            reason=_(
                "The report for %(period)s was changed after it was signed: its signature does "
                "not verify."
            )
            % values,
            summary=_("the report does not verify"),
            evidence=evidence,
        )
    if not status.on_time:
        return Line(
            key="4.6",
            clause=clause,
            asks=asks,
            level=Level.RED,
            reason=_(
                "The report for %(period)s was finalised on %(finalised)s, after its deadline "
                "of %(date)s."
            )
            % done,
            summary=_("report late"),
            evidence=evidence,
        )
    if status.on_agenda is None:
        return Line(
            key="4.6",
            clause=clause,
            asks=asks,
            level=Level.AMBER,
            reason=_(
                "The report for %(period)s was finalised and signed on %(finalised)s, in time; "
                "it is not yet on a meeting's agenda, to be discussed."
            )
            % done,
            summary=_("report in time, not yet on an agenda"),
            evidence=evidence,
            fix=Link(
                _("Put it on a meeting's agenda"),
                _url("reports:detail", school, report.pk) + "#agenda",
            ),
        )
    upcoming = Quarter.of(today)
    return Line(
        key="4.6",
        clause=clause,
        asks=asks,
        level=Level.GREEN,
        reason=_(
            "The report for %(period)s was finalised and signed on %(finalised)s, in time, and "
            "is on the agenda of the meeting of %(meeting)s."
        )
        % {**done, "meeting": _day(status.on_agenda)}
        + " "
        + _("The next report, for %(period)s, is due by %(date)s.")
        % {"period": _period(upcoming), "date": _day(upcoming.due_on)},
        summary=_("report in time, on an agenda"),
        evidence=evidence,
    )


def district_meetings_cell(
    school: School, quarter: Quarter, today: datetime.date
) -> ComplianceCell:
    """The meetings line (cl. 4.3) of the quarter's half-year, as the district sees it."""
    half = quarter.half_year
    line = _line_meetings(school, half, today, previous=half != HalfYear.of(today))
    return ComplianceCell(level=line.level, label=line.level_label, summary=line.summary)


# --- the whole page -------------------------------------------------------------------------


def school_lines(school: School, *, today: datetime.date) -> list[Line]:
    """Every line of the regulation for the school, as of the day, in the active language."""
    commission = Commission.objects.current(school)
    half = HalfYear.of(today)
    return [
        _line_commission(school, commission),
        _line_officers(school, commission),
        _line_meetings(school, half, today, previous=False),
        _line_meetings(school, half.previous(), today, previous=True),
        _line_box(school, today),
        _line_registration(school, half, today),
        _line_answers(school, half, today),
        _line_report(school, today),
    ]


@dataclass(frozen=True)
class DistrictRow:
    school: School
    lines: list[Line]


def district_rows(district: District, *, today: datetime.date) -> list[DistrictRow]:
    """The same lines for every school of the district, side by side."""
    return [
        DistrictRow(school=school, lines=school_lines(school, today=today))
        for school in district.schools.order_by("name")
    ]
