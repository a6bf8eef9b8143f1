"""The demo's quarterly report and district (issue 13): called by demo.builders.demo_create.

The demo school gets appeals over the last two quarters through the real way (sealed in the
box, taken out at an opening, registered, decided), with their dates then moved back into those
quarters (a demo's fiction: the registry's plain dates only); its report for the last quarter
is finalised in time, signed and made (demo.builders puts it on the next meeting's agenda). The
district's other schools have counts only (frozen tallies, as if counted at their deadline) and
reports of their own, except one school that has not reported.
"""

from __future__ import annotations

import datetime
from typing import Any

from django.utils import timezone

from trustbox.box.envelope import Envelope
from trustbox.box.services import appeal_submit
from trustbox.openings.gathering import opening_code, opening_join, opening_start
from trustbox.openings.models import Opening
from trustbox.openings.services import opening_open
from trustbox.registry.consideration import appeal_close, appeal_decide
from trustbox.registry.deadlines import answer_by, register_by
from trustbox.registry.integrity import appeal_backdate
from trustbox.registry.keys import registry_unlock
from trustbox.registry.models import Appeal, Status
from trustbox.registry.services import appeal_register
from trustbox.reports import jobs, services
from trustbox.reports.figures import DIMENSIONS
from trustbox.reports.models import Freeze, Job, Report, ReportSignature, Tally
from trustbox.schools.models import District, School
from trustbox.schools.periods import Quarter

# (kind, category, urgent, outcome or "" for still open); texts are the demo's own.
LAST_QUARTER = (
    ("complaint", "bullying", False, "psychologist", "Танапис учурунда мени шылдыңдашат."),
    ("complaint", "bullying", False, "class_teacher", "Класста бир балага күн бербей жатышат."),
    ("complaint", "bullying", True, "social_pedagogue", "Досума коркутуп кат жазышты."),
    ("complaint", "canteen", False, "resolved", "Ашканада тамак суук."),
    ("proposal", "school_life", False, "proposal_accepted", "Шахмат ийримин ачалы."),
    ("request", "learning", False, "resolved", "Математикадан кошумча сабак керек."),
    ("message", "health", True, "psychologist", "Досум кайгырып жүрөт, жардам бергиле."),
    ("complaint", "extortion", False, "inspector", "Жогорку класстар акча талап кылат."),
    ("gratitude", "other", False, "resolved", "Китепканачыга рахмат."),
)
THIS_QUARTER = (
    ("complaint", "bullying", False, "psychologist", "Мени дагы эле шылдыңдашат."),
    ("complaint", "safety", False, "", "Спорт залдын терезеси сынган."),
    ("proposal", "school_life", False, "", "Мектепте гезит чыгаралы."),
    ("message", "family", False, "", "Үйдө кыйын болуп жатат."),
)
ANALYSIS = (
    "Кварталда кайрылуулардын үчтөн бири кордоо (булинг) тууралуу болду; алар негизинен "
    "танапис учурунда болот. Эки шашылыш кайрылууга өз убагында жооп берилип, алар психологго "
    "жана социалдык педагогго жөнөтүлдү. Бир кайрылууга мөөнөтүнөн кечиктирилип жооп берилди."
)
PROPOSALS = (
    "Танапис учурунда кезмет мугалимдерди көбөйтүү; класс сааттарында кордоо тууралуу "
    "сүйлөшүү; ашкананы ай сайын текшерүү."
)


def _days(start: datetime.date, end: datetime.date, count: int) -> list[datetime.date]:
    span = max((end - start).days, 0)
    return [start + datetime.timedelta(days=span * (i + 1) // (count + 1)) for i in range(count)]


def _quarter_of_appeals(
    *,
    school: School,
    members: list[Any],
    password: str,
    rows: tuple[tuple[str, str, bool, str, str], ...],
    start: datetime.date,
    end: datetime.date,
) -> None:
    """Seal the appeals, open the box, register and decide them; then date them in [start, end]."""
    responsible = members[0]
    for kind, category, urgent, _outcome, text in rows:
        appeal_submit(
            school=school,
            envelope=Envelope(kind=kind, category=category, text=text, urgent=urgent),
        )
    opening, key = opening_start(school=school, by=responsible)
    for member in members[:3]:
        opening_join(
            opening=opening,
            member=member,
            password=password,
            session_code=opening_code(opening),
        )
    opening = opening_open(opening=opening, by=responsible, browser_key=key)
    registry_private = registry_unlock(school=school, user=responsible, password=password)
    appeals = list(Appeal.objects.filter(opening=opening).order_by("number_in_act"))
    days = _days(start, end, len(appeals))
    opened_on = days[0]
    for appeal, (kind, category, urgent, outcome, _text), day in zip(
        appeals, rows, days, strict=True
    ):
        appeal = appeal_register(
            appeal=appeal,
            by=responsible,
            registry_private=registry_private,
            kind=kind,
            category=category,
            urgent=urgent,
        )
        if outcome:
            appeal_decide(appeal=appeal, by=responsible, outcome=outcome)
            appeal_close(appeal=appeal, by=responsible)
        _appeal_dated(
            appeal, by=responsible, day=day, category=category, urgent=urgent, outcome=outcome
        )
        opened_on = min(opened_on, day)
    Opening.objects.filter(pk=opening.pk).update(
        opened_at=timezone.make_aware(datetime.datetime.combine(days[-1], datetime.time(15)))
    )


def settings_days() -> int:
    from django.conf import settings

    return int(settings.ANSWER_WITHIN_DAYS)


def _neighbour_counts(school: School, quarter: Quarter, seed: int) -> None:
    """A neighbour school's frozen counts for a quarter (the demo has no appeals there)."""
    categories = ("bullying", "canteen", "learning", "safety", "health", "other")
    tallies = []
    for index, category in enumerate(categories):
        count = (seed * 7 + index * 5) % 6
        if not count:
            continue
        values = dict.fromkeys(DIMENSIONS)
        values.update(
            kind="complaint" if index % 2 == 0 else "request",
            category=category,
            source="online",
            signed=False,
            urgent=False,
            status=Status.CLOSED,
            outcome="resolved",
            registered_in_time=True,
            answered_in_time=True,
            overdue=False,
        )
        tallies.append(
            Tally(
                school=school,
                district=school.district,
                quarter=quarter.start,
                count=count,
                registration_days=count,
                registration_days_max=1,
                answer_days=5 * count,
                answer_days_max=7,
                **values,
            )
        )
    Freeze.objects.create(school=school, quarter=quarter.start, reason=Freeze.Reason.DEADLINE)
    Tally.objects.bulk_create(tallies)


def _appeal_dated(
    appeal: Appeal, *, by: Any, day: datetime.date, category: str, urgent: bool, outcome: str
) -> None:
    """Move an appeal back into its quarter: received on day, registered the next working day."""
    registered = register_by(day)
    # Urgent ones the next day; the others in days; the canteen's late, as the analysis says.
    answered = registered + datetime.timedelta(days=1 if urgent else 4 + appeal.number_in_act % 5)
    if category == "canteen" and outcome:
        answered = registered + datetime.timedelta(days=settings_days() + 3)
    appeal_backdate(
        appeal=appeal,
        by=by,
        received_on=day,
        register_by=registered,
        registered_on=registered,
        year=registered.year,
        due_on=answer_by(registered, urgent=urgent),
        answered_on=answered if outcome else None,
        closed_on=answered if outcome else None,
        status=Status.CLOSED if outcome else Status.CONSIDERING,
    )


def reports_demo_create(
    *, school: School, members: list[Any], password: str, district: District
) -> Report:
    """Appeals over the last two quarters, the last quarter's report, and the district's schools.

    Call before the walkthrough's own appeals are sealed: the box is opened here.
    """
    today = timezone.localdate()
    current = Quarter.of(today)
    last = current.previous()
    _quarter_of_appeals(
        school=school,
        members=members,
        password=password,
        rows=LAST_QUARTER,
        start=last.start + datetime.timedelta(days=3),
        end=last.end - datetime.timedelta(days=3),
    )
    _quarter_of_appeals(
        school=school,
        members=members,
        password=password,
        rows=THIS_QUARTER,
        start=current.start + datetime.timedelta(days=1),
        end=max(current.start + datetime.timedelta(days=2), today - datetime.timedelta(days=3)),
    )
    responsible = members[0]
    report = services.report_open(school=school, start=last.start, end=last.end, by=responsible)
    services.report_draft_save(
        report=report, by=responsible, analysis=ANALYSIS, proposals=PROPOSALS
    )
    report = services.report_finalise(report=report, by=responsible, password=password)
    if today > last.due_on:
        # Finalised in time, as the walkthrough tells it (a demo's fiction, like the appeals'
        # dates): the day before the deadline. What is signed has no date in it.
        in_time = timezone.make_aware(
            datetime.datetime.combine(last.due_on - datetime.timedelta(days=1), datetime.time(11))
        )
        Report.objects.filter(pk=report.pk).update(finalised_at=in_time)
        ReportSignature.objects.filter(report=report).update(signed_at=in_time)
        report.refresh_from_db()
    # Made now, so that the report is ready to open even before the worker has started.
    for job in Job.objects.filter(report=report).exclude(status=Job.Status.DONE):
        jobs.job_run(job_id=job.pk)
    _neighbours_create(school=school, district=district, last=last)
    return report


def _neighbours_create(*, school: School, district: District, last: Quarter) -> None:
    """The district's other schools: counts for two quarters, and reports (one school has none)."""
    neighbours = [
        School.objects.create(district=district, name=name, slug=slug)
        for name, slug in (
            ("Т. Сатылганов атындагы орто мектеби", "satylganov"),
            ("А. Осмонов атындагы гимназия", "osmonov"),
            ("№ 3 орто мектеп", "school-3"),
        )
    ]
    neighbours += list(district.schools.exclude(pk__in=[school.pk, *(n.pk for n in neighbours)]))
    for seed, neighbour in enumerate(neighbours):
        for quarter in (last.previous(), last):
            _neighbour_counts(neighbour, quarter, seed + quarter.number)
        if neighbour.slug == "school-3":
            continue  # the school that has not reported
        finalised = timezone.make_aware(
            datetime.datetime.combine(
                last.due_on - datetime.timedelta(days=seed + 1), datetime.time(10)
            )
        )
        Report.objects.create(
            school=neighbour,
            start=last.start,
            end=last.end,
            status=Report.Status.FINAL,
            finalised_at=finalised,
            figures={},
        )
