"""The school's to-do list on the dashboard: what is due and overdue, each with its button.

Each app's part is a *source*: a function of (request, school, today) that asks that app's
selectors and rules and returns the items due for the signed-in person. To add a part, write a
source and append it to TODO_SOURCES.
"""

from __future__ import annotations

import datetime
from collections.abc import Callable, Iterable
from dataclasses import dataclass

from django.urls import reverse
from django.utils import translation
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from trustbox.accounts.access import StaffRequest, staff_user
from trustbox.box.selectors import box_contents
from trustbox.commission import rules as commission_rules
from trustbox.commission.selectors import current_commission
from trustbox.core.records_past import records_past_text
from trustbox.lib.dates import Case, short_date
from trustbox.meetings import rules as meeting_rules
from trustbox.meetings.obligations import election_owed
from trustbox.meetings.selectors import protocols_awaiting
from trustbox.openings import rules as opening_rules
from trustbox.openings.notify import gathering_todo_text
from trustbox.openings.selectors import gathering_now, seal_to_confirm
from trustbox.registry import rules as registry_rules
from trustbox.registry.obligations import answers_owed, officials_unreached, registration_owed
from trustbox.registry.selectors import (
    appeals_visible,
    assigned_open,
    write_back_to_decide,
    written_back,
)
from trustbox.registry.withdrawal import close_requests_to_decide
from trustbox.reports import rules as report_rules
from trustbox.reports.documents import quarter_name
from trustbox.reports.selectors import report_owed, report_status
from trustbox.retention import rules as retention_rules
from trustbox.retention.selectors import act_missing, acts_awaiting, cases_past_period
from trustbox.schools.models import School
from trustbox.schools.periods import HalfYear, Quarter
from trustbox.seal import rules as seal_rules
from trustbox.seal.models import MemberKey
from trustbox.seal.services import ceremony_state


@dataclass(frozen=True)
class Todo:
    """One thing due: what, by when, and the button that leads to doing it."""

    text: str
    url: str
    button: str
    due: datetime.date | None = None
    overdue: bool = False
    urgent: bool = False


TodoSource = Callable[[StaffRequest, School, datetime.date], Iterable[Todo]]


def _by(day: datetime.date) -> str:
    """A deadline inside a sentence: «27-ноябрына» (чейин), «27 ноября», "27 November"."""
    return short_date(day, translation.get_language() or "ky", Case.DATIVE)


def box_todos(request: StaffRequest, school: School, today: datetime.date) -> Iterable[Todo]:
    """Appeals waiting in the box, urgent first: the commission gathers and opens it."""
    if not opening_rules.may_gather(request.roles):
        return
    box = box_contents(school)
    if not box.waiting:
        return
    gathering = gathering_now(school)
    url = (
        reverse("openings:session", args=[school.slug, gathering.pk])
        if gathering
        else reverse("openings:journal", args=[school.slug])
    )
    button = _("Join") if gathering else _("Start an opening")
    if box.urgent:
        yield Todo(
            text=ngettext(
                "An urgent appeal is waiting in the box. Gather the commission and open the box.",
                "%(count)s urgent appeals are waiting in the box. Gather the commission and "
                "open the box.",
                box.urgent,
            )
            % {"count": box.urgent},
            url=url,
            button=button,
            overdue=True,
            urgent=True,
        )
    elif opening_rules.may_open(request.roles):
        yield Todo(
            text=ngettext(
                "%(count)s appeal is in the box, sealed.",
                "%(count)s appeals are in the box, sealed.",
                box.waiting,
            )
            % {"count": box.waiting},
            url=url,
            button=button,
        )


def opening_todos(request: StaffRequest, school: School, today: datetime.date) -> Iterable[Todo]:
    """A gathering to join; a new seal code to confirm."""
    user = staff_user(request)
    gathering = gathering_now(school)
    joined = gathering is not None and gathering.participants.filter(member=user).exists()
    if gathering and opening_rules.may_gather(request.roles) and not joined:
        # Until the gathering ends: a member who is not in the room knows it is going on.
        yield Todo(
            text=gathering_todo_text(gathering),
            url=reverse("openings:session", args=[school.slug, gathering.pk]),
            button=_("Join"),
            urgent=True,
        )
    for opening in seal_to_confirm(school=school, user=user):
        yield Todo(
            text=_("Confirm the new seal code of opening № %(number)s.")
            % {"number": opening.journal_number},
            url=reverse("openings:session", args=[school.slug, opening.pk]) + "#step-confirm",
            button=_("Confirm"),
        )


def registry_todos(request: StaffRequest, school: School, today: datetime.date) -> Iterable[Todo]:
    """Appeals to register; for a lead, answers overdue and due soon (registry.obligations)."""
    user, half = staff_user(request), HalfYear.of(today)
    visible = appeals_visible(school=school, user=user)
    registry = reverse("registry:list", args=[school.slug])
    if registry_rules.may_register(request.roles):
        registration = registration_owed(school, half, today, appeals=visible)
        if registration.waiting and registration.due:
            yield Todo(
                text=ngettext(
                    "%(count)s appeal to register by %(date)s.",
                    "%(count)s appeals to register by %(date)s.",
                    registration.waiting,
                )
                % {"count": registration.waiting, "date": _by(registration.due)},
                url=registry + "?status=taken_out",
                button=_("Register"),
                due=registration.due,
                overdue=bool(registration.overdue),
            )
    if not registry_rules.may_lead(request.roles):
        return  # an official's own appeals are listed one by one (assigned_todos)
    answers = answers_owed(school, half, today, appeals=visible)
    if answers.overdue:
        yield Todo(
            text=ngettext(
                "%(count)s appeal is past its answer date.",
                "%(count)s appeals are past their answer date.",
                len(answers.overdue),
            )
            % {"count": len(answers.overdue)},
            url=registry + "?deadline=overdue",
            button=_("Show"),
            overdue=True,
        )
    if answers.soon and answers.due:
        yield Todo(
            text=ngettext(
                "%(count)s appeal to answer by %(date)s.",
                "%(count)s appeals to answer by %(date)s.",
                len(answers.soon),
            )
            % {"count": len(answers.soon), "date": _by(answers.due)},
            url=registry + "?deadline=soon",
            button=_("Show"),
            due=answers.due,
        )


def assigned_todos(request: StaffRequest, school: School, today: datetime.date) -> Iterable[Todo]:
    """Each appeal assigned to the person and not answered yet, with its deadline: anyone who
    can be assigned (a class teacher, the psychologist) sees hers here, email or not."""
    user = staff_user(request)
    mine = assigned_open(school=school, user=user)
    owed = answers_owed(school, HalfYear.of(today), today, appeals=mine)
    overdue = {appeal.pk for appeal in owed.overdue}
    for appeal in mine:
        if appeal.due_on is None:
            continue
        late = appeal.pk in overdue
        yield Todo(
            text=(
                _("Appeal %(number)s assigned to you was to be answered by %(date)s.")
                if late
                else _("Appeal %(number)s is assigned to you: answer it by %(date)s.")
            )
            % {"number": appeal.number, "date": _by(appeal.due_on)},
            url=reverse("registry:detail", args=[school.slug, appeal.pk]),
            button=_("Open"),
            due=appeal.due_on,
            overdue=late,
        )


def unreached_todos(request: StaffRequest, school: School, today: datetime.date) -> Iterable[Todo]:
    """Officials without email who have not signed in since something of theirs came: the
    responsible person (or the chair) tells them, for no mail can."""
    if not registry_rules.may_lead(request.roles):
        return
    for unreached in officials_unreached(school, today):
        yield Todo(
            text=ngettext(
                "%(name)s has no email and has not signed in since appeal %(numbers)s came to "
                "them: tell them in person.",
                "%(name)s has no email and has not signed in since appeals %(numbers)s came to "
                "them: tell them in person.",
                len(unreached.appeals),
            )
            % {
                "name": unreached.person.full_name,
                "numbers": ", ".join(appeal.number for appeal in unreached.appeals),
            },
            url=reverse("registry:detail", args=[school.slug, unreached.appeals[0].pk]),
            button=_("Open"),
            due=min(appeal.due_on or datetime.date.max for appeal in unreached.appeals),
        )


def writer_todos(request: StaffRequest, school: School, today: datetime.date) -> Iterable[Todo]:
    """Appeals whose writer wrote back (the mail of it comes the next day, without a number)."""
    leads = registry_rules.may_lead(request.roles)
    # An answered appeal written back on is the responsible person's to decide (its own line).
    to_decide = (
        {appeal.pk for appeal in write_back_to_decide(school=school)}
        if registry_rules.may_register(request.roles)
        else set()
    )
    for appeal in written_back(school=school, user=staff_user(request), leads=leads):
        if appeal.pk in to_decide:
            continue
        yield Todo(
            text=_("The writer of appeal %(number)s wrote back.") % {"number": appeal.number},
            url=reverse("registry:detail", args=[school.slug, appeal.pk]),
            button=_("Read"),
        )


def write_back_todos(request: StaffRequest, school: School, today: datetime.date) -> Iterable[Todo]:
    """Answered appeals whose writer wrote back: the responsible person decides on each."""
    if not registry_rules.may_register(request.roles):
        return
    for appeal in write_back_to_decide(school=school):
        yield Todo(
            text=_("A writer wrote back on appeal %(number)s: decide.") % {"number": appeal.number},
            url=reverse("registry:detail", args=[school.slug, appeal.pk]),
            button=_("Decide"),
        )


def close_request_todos(
    request: StaffRequest, school: School, today: datetime.date
) -> Iterable[Todo]:
    """Appeals whose writer asked to close them: the responsible person decides on each."""
    if not registry_rules.may_register(request.roles):
        return
    for appeal in close_requests_to_decide(school=school):
        yield Todo(
            text=_("The writer of appeal %(number)s asks to close it: decide.")
            % {"number": appeal.number or appeal},
            url=reverse("registry:detail", args=[school.slug, appeal.pk]),
            button=_("Decide"),
        )


def seal_todos(request: StaffRequest, school: School, today: datetime.date) -> Iterable[Todo]:
    """A member's personal key to set; the box key to make or to renew."""
    state = ceremony_state(school)
    ceremony = reverse("seal:ceremony", args=[school.slug])
    is_member = seal_rules.may_hold_share(request.roles)
    if is_member and not MemberKey.objects.filter(user=staff_user(request)).exists():
        yield Todo(
            text=_("Set your personal key: your part of the box key is sealed to it."),
            url=reverse("seal:member_key", args=[school.slug]),
            button=_("Set my personal key"),
        )
    if is_member and state.ready_for_box_key:
        yield Todo(
            text=_(
                "Every member has set their key: make the box key at a meeting of the commission."
            ),
            url=ceremony,
            button=_("Digital seal"),
        )
    if state.needs_renewal and seal_rules.may_start_renewal(request.roles):
        yield Todo(
            text=_(
                "The box key must be renewed for the commission in force: a quorum of those "
                "who hold a part of it gathers on one screen."
            ),
            url=ceremony,
            button=_("Renew the box key"),
            urgent=True,
        )


def commission_todos(request: StaffRequest, school: School, today: datetime.date) -> Iterable[Todo]:
    """The order appointing the commission; the first session's vote."""
    commission = current_commission(school)
    if commission is None:
        if commission_rules.may_appoint(request.roles):
            yield Todo(
                text=_("No commission is appointed yet (cl. 4.1)."),
                url=reverse("commission:appoint", args=[school.slug]),
                button=_("Enter the order"),
                urgent=True,
            )
        return
    if not election_owed(commission).done and commission_rules.may_record_election(request.roles):
        yield Todo(
            text=_("The chair and the secretary are not elected yet (cl. 4.5)."),
            url=reverse("commission:elect", args=[school.slug, commission.pk]),
            button=_("Record the vote of the first session"),
        )


def protocol_todos(request: StaffRequest, school: School, today: datetime.date) -> Iterable[Todo]:
    """Protocols the person has still to sign (cl. 4.3: every member signs)."""
    if not meeting_rules.may_sign(request.roles):
        return
    user = staff_user(request)
    for check in protocols_awaiting(school):
        if any(missing.member == user and missing.can_sign for missing in check.missing):
            yield Todo(
                text=_("Sign protocol № %(number)s of %(year)s.")
                % {"number": check.protocol.number, "year": check.protocol.year},
                url=reverse("meetings:protocol", args=[school.slug, check.protocol.pk]),
                button=_("Sign"),
            )


def report_todos(request: StaffRequest, school: School, today: datetime.date) -> Iterable[Todo]:
    """The last quarter's analytical report, due by the 5th of the month after it (cl. 4.6)."""
    if not report_rules.may_prepare(request.roles):
        return
    status = report_status(school, Quarter.of(today).previous())
    if status.prepared:
        return
    if not report_owed(school, status):
        return  # no commission then: nobody owed that report (compliance line 4.6 says so too)
    yield Todo(
        text=_("Prepare the analytical report for %(period)s by %(date)s.")
        % {"period": quarter_name(status.quarter), "date": _by(status.due_on)},
        url=reverse("reports:list", args=[school.slug]),
        button=_("Reports"),
        # No date to sort by: the appeals' own deadlines come before the report's.
        overdue=status.due_on < today,
    )


def retention_todos(request: StaffRequest, school: School, today: datetime.date) -> Iterable[Todo]:
    """Closed cases past their retention period (the responsible person puts them on an
    agenda); an act of destruction the member has still to sign."""
    overview = reverse("retention:overview", args=[school.slug])
    if retention_rules.may_keep_registry(request.roles):
        count = cases_past_period(school, today).count()
        if count:
            yield Todo(
                text=ngettext(
                    "%(count)s closed case is past its retention period: put its destruction "
                    "on a meeting's agenda.",
                    "%(count)s closed cases are past their retention period: put their "
                    "destruction on a meeting's agenda.",
                    count,
                )
                % {"count": count},
                url=overview,
                button=_("Show"),
            )
    if not retention_rules.may_sign(request.roles):
        return
    user = staff_user(request)
    for act in acts_awaiting(school):
        if any(missing.member == user and missing.can_sign for missing in act_missing(act)):
            yield Todo(
                text=_("Sign the act of destruction № %(number)s of %(year)s.")
                % {"number": act.number, "year": act.year},
                url=reverse("retention:act", args=[school.slug, act.pk]),
                button=_("Sign"),
            )


def records_todos(request: StaffRequest, school: School, today: datetime.date) -> Iterable[Todo]:
    """The papers of the other records past their period (core/records_past.py)."""
    if retention_rules.may_keep_registry(request.roles) and (
        text := records_past_text(school, today)
    ):
        yield Todo(
            text=text,
            url=reverse("retention:periods", args=[school.slug]),
            button=_("Retention periods"),
        )


# Each app's part of the to-do list; append a source to add another part.
TODO_SOURCES: list[TodoSource] = [
    box_todos,
    opening_todos,
    registry_todos,
    assigned_todos,
    unreached_todos,
    writer_todos,
    write_back_todos,
    close_request_todos,
    seal_todos,
    commission_todos,
    protocol_todos,
    report_todos,
    retention_todos,
    records_todos,
]


def todo_list(request: StaffRequest, school: School, today: datetime.date) -> list[Todo]:
    """Everything due for the person at the school: overdue first, then urgent, then by date."""
    items = [item for source in TODO_SOURCES for item in source(request, school, today)]
    return sorted(
        items, key=lambda item: (not item.overdue, not item.urgent, item.due or datetime.date.max)
    )
