"""The demo's quarterly report and district (issue 13): called by demo.builders.demo_create.

The demo school gets appeals over the last two quarters through the real way (sealed in the
box, taken out at an opening, registered, decided), with their dates then moved back into those
quarters (a demo's fiction: the registry's plain dates only), in the order a real school's come
(demo.calendar): received after the box was made, opened, registered on the day of the opening,
answered after. Its report for the last quarter is finalised in time, signed and made
(demo.builders puts it on the next meeting's agenda). The district's other schools are built
the same way (demo.neighbours).
"""

from __future__ import annotations

import datetime
from typing import Any

from django.utils import timezone

from trustbox.box.envelope import Envelope
from trustbox.box.services import appeal_submit
from trustbox.demo import calendar
from trustbox.demo.calendar import Batch
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
from trustbox.reports.models import Job, Report, ReportSignature
from trustbox.schools.models import School
from trustbox.schools.periods import Quarter
from trustbox.seal.models import BoxKey

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


def _box_opened(*, school: School, members: list[Any], password: str) -> Opening:
    """A quorum of the commission opens the box, as they do on the opening page."""
    box_key = BoxKey.objects.current(school)
    assert box_key is not None
    opening, key = opening_start(school=school, by=members[0])
    for member in members[: box_key.threshold]:
        opening_join(
            opening=opening, member=member, password=password, session_code=opening_code(opening)
        )
    return opening_open(opening=opening, by=members[0], browser_key=key)


def quarter_of_appeals(
    *,
    school: School,
    members: list[Any],
    password: str,
    rows: tuple[tuple[str, str, bool, str, str], ...],
    batch: Batch,
    until: datetime.date,
) -> None:
    """Seal the appeals, open the box, register and decide them; then date them as `batch` says
    (answers after `until` not given yet: those appeals stay under consideration)."""
    responsible = members[0]
    for kind, category, urgent, _outcome, text in rows:
        appeal_submit(
            school=school,
            envelope=Envelope(kind=kind, category=category, text=text, urgent=urgent),
        )
    opening = _box_opened(school=school, members=members, password=password)
    Opening.objects.filter(pk=opening.pk).update(
        opened_at=timezone.make_aware(datetime.datetime.combine(batch.opened, datetime.time(15)))
    )
    registry_private = registry_unlock(school=school, user=responsible, password=password)
    appeals = list(Appeal.objects.filter(opening=opening).order_by("number_in_act"))
    for appeal, (kind, category, urgent, outcome, _text), day in zip(
        appeals, rows, batch.received, strict=True
    ):
        appeal = appeal_register(
            appeal=appeal,
            by=responsible,
            registry_private=registry_private,
            kind=kind,
            category=category,
            urgent=urgent,
        )
        # The canteen's is answered late, as the analysis says.
        answered = calendar.answered_on(
            batch.registered,
            urgent=urgent,
            late=category == "canteen",
            spread=appeal.number_in_act,
            until=until,
        )
        if outcome and answered:
            appeal_decide(appeal=appeal, by=responsible, outcome=outcome)
            appeal_close(appeal=appeal, by=responsible)
        _appeal_dated(
            appeal,
            by=responsible,
            day=day,
            batch=batch,
            urgent=urgent,
            answered=answered if outcome else None,
        )


def _appeal_dated(
    appeal: Appeal,
    *,
    by: Any,
    day: datetime.date,
    batch: Batch,
    urgent: bool,
    answered: datetime.date | None,
) -> None:
    """Move an appeal back: received on its day, registered on the day of its opening."""
    appeal_backdate(
        appeal=appeal,
        by=by,
        received_on=day,
        register_by=register_by(batch.opened),
        registered_on=batch.registered,
        year=batch.registered.year,
        due_on=answer_by(batch.registered, urgent=urgent),
        answered_on=answered,
        closed_on=answered,
        status=Status.CLOSED if answered else Status.CONSIDERING,
    )


def report_finalised(
    *,
    school: School,
    responsible: Any,
    password: str,
    quarter: Quarter,
    on: datetime.date,
    analysis: str = "",
    proposals: str = "",
) -> Report:
    """The quarter's report, finalised and signed on the day (a demo's fiction, like the
    appeals' dates: what is signed has no date in it)."""
    report = services.report_open(
        school=school, start=quarter.start, end=quarter.end, by=responsible
    )
    if analysis or proposals:
        services.report_draft_save(
            report=report, by=responsible, analysis=analysis, proposals=proposals
        )
    report = services.report_finalise(report=report, by=responsible, password=password)
    if on != timezone.localdate():
        moment = timezone.make_aware(datetime.datetime.combine(on, datetime.time(11)))
        Report.objects.filter(pk=report.pk).update(finalised_at=moment)
        ReportSignature.objects.filter(report=report).update(signed_at=moment)
        report.refresh_from_db()
    return report


def reports_demo_create(*, school: School, members: list[Any], password: str) -> Report:
    """Appeals over the last two quarters and the last quarter's report.

    Call before the walkthrough's own appeals are sealed: the box is opened here.
    """
    today = timezone.localdate()
    current = Quarter.of(today)
    last = current.previous()
    ready = calendar.box_ready(calendar.school_year_start(today))
    until = calendar.report_day(last, today)
    batch = calendar.last_quarter_batch(last, ready=ready, today=today, count=len(LAST_QUARTER))
    if batch is not None:
        quarter_of_appeals(
            school=school,
            members=members,
            password=password,
            rows=LAST_QUARTER,
            batch=batch,
            until=until,
        )
    batch = calendar.this_quarter_batch(current, ready=ready, today=today, count=len(THIS_QUARTER))
    if batch is not None:
        quarter_of_appeals(
            school=school,
            members=members,
            password=password,
            rows=THIS_QUARTER,
            batch=batch,
            until=today,
        )
    responsible = members[0]
    report = report_finalised(
        school=school,
        responsible=responsible,
        password=password,
        quarter=last,
        on=until,
        analysis=ANALYSIS,
        proposals=PROPOSALS,
    )
    # Made now, so that the report is ready to open even before the worker has started: the
    # signed report's job only (the draft's, asked for when the report was opened, is moot).
    job = Job.objects.filter(report=report).exclude(status=Job.Status.DONE).order_by("-id").first()
    if job is not None:
        jobs.job_run(job_id=job.pk)
    return report
