"""Answers that reach their writer (the ways are in `channels`), and the writer writing back.

An appeal marked answered before the rule by a way that cannot reach its writer goes back
under consideration, with an audit row (the daily run does it; after the first run it finds
none). When the writer writes back on an answered appeal, nothing reopens by itself: the responsible
person decides (close with thanks, answer again, or take it as a new request, which alone gets
a new deadline of Law No. 67).
"""

from __future__ import annotations

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from trustbox.accounts.models import User
from trustbox.audit.services import audit_write
from trustbox.registry import deadlines
from trustbox.registry.actions import AppealAction
from trustbox.registry.channels import reaches_writer
from trustbox.registry.consideration import appeal_reply, entry_add
from trustbox.registry.integrity import reopened_by_writers, state_of
from trustbox.registry.models import Appeal, Entry, Outcome, Status
from trustbox.registry.selectors import awaits_decision
from trustbox.schools.models import School

Channel = Entry.Channel


# --- appeals marked answered before the rule ---------------------------------------------------


def unreached_answers() -> list[Appeal]:
    """Answered appeals none of whose replies can reach the writer (answered before the rule)."""
    answered = Appeal.objects.filter(status=Status.ANSWERED).prefetch_related("entries")
    return [
        appeal
        for appeal in answered.order_by("pk")
        if not any(
            reaches_writer(appeal, entry.channel)
            for entry in appeal.entries.all()
            if entry.kind == Entry.Kind.REPLY
        )
    ]


def unreached_answers_reopen() -> int:
    """Put each appeal answered by a way that cannot reach its writer back under consideration.

    Its deadline stays: an answer that never reached the writer was not given in time.
    The daily run calls this; after the first run it finds none.
    """
    count = 0
    for appeal in unreached_answers():
        appeal_unreached_reopen(appeal=appeal)
        count += 1
    return count


@transaction.atomic
def appeal_unreached_reopen(*, appeal: Appeal) -> Appeal:
    """One appeal whose answer cannot reach its writer: under consideration, not answered."""
    appeal = Appeal.objects.select_for_update().get(pk=appeal.pk)
    if appeal.status != Status.ANSWERED:
        return appeal
    appeal.status = Status.CONSIDERING
    appeal.answered_on = None
    appeal.save(update_fields=["status", "answered_on"])
    audit_write(
        school=appeal.school,
        actor=None,
        action=AppealAction.UNREACHED,
        target=appeal,
        details=state_of(appeal),
    )
    return appeal


def writer_reopened_restore() -> int:
    """Put back as answered each appeal a writer's message reopened before issue 21, so that the
    responsible person decides on it; its deadline no longer runs."""
    count = 0
    schools = (
        Appeal.objects.filter(status=Status.CONSIDERING, answered_on__isnull=False)
        .values_list("school", flat=True)
        .distinct()
    )
    for school in School.objects.filter(pk__in=list(schools)).order_by("pk"):
        for pk in reopened_by_writers(school):
            appeal_writer_reopen_undo(appeal=Appeal.objects.get(pk=pk))
            count += 1
    return count


@transaction.atomic
def appeal_writer_reopen_undo(*, appeal: Appeal) -> Appeal:
    """One appeal a writer's message reopened: answered again, awaiting the decision."""
    appeal = Appeal.objects.select_for_update().get(pk=appeal.pk)
    appeal.status = Status.ANSWERED
    appeal.save(update_fields=["status"])
    audit_write(
        school=appeal.school,
        actor=None,
        action=AppealAction.WRITE_BACK_RESTORE,
        target=appeal,
        details=state_of(appeal),
    )
    return appeal


# --- the writer wrote back: the responsible person decides -----------------------------------


def _awaiting(appeal: Appeal) -> Appeal:
    appeal = Appeal.objects.select_for_update().get(pk=appeal.pk)
    if not awaits_decision(appeal):
        raise ValidationError(_("No message of the writer waits for a decision on this appeal."))
    return appeal


@transaction.atomic
def write_back_close(*, appeal: Appeal, by: User, outcome: str, text: str = "") -> Appeal:
    """Close the appeal with thanks: the writer's page shows the thanks if any are written."""
    appeal = _awaiting(appeal)
    if outcome not in Outcome.values:
        raise ValidationError(_("Choose an outcome."))
    if text.strip():
        entry_add(
            appeal=appeal,
            kind=Entry.Kind.REPLY,
            text=text,
            author=by,
            channel=Channel.RECEIPT,
            for_writer=True,
        )
    appeal.outcome = outcome
    appeal.status = Status.CLOSED
    appeal.closed_on = timezone.localdate()
    appeal.save(update_fields=["outcome", "status", "closed_on"])
    audit_write(
        school=appeal.school,
        actor=by,
        action=AppealAction.WRITE_BACK_CLOSE,
        target=appeal,
        details={"outcome": outcome, "thanked": bool(text.strip()), **state_of(appeal)},
    )
    return appeal


@transaction.atomic
def write_back_new_request(*, appeal: Appeal, by: User) -> Appeal:
    """Take the writer's message as a new request: under consideration, a new deadline."""
    appeal = _awaiting(appeal)
    today = timezone.localdate()
    appeal.status = Status.CONSIDERING
    appeal.due_on = deadlines.answer_by(today, urgent=appeal.urgent)
    appeal.save(update_fields=["status", "due_on"])
    audit_write(
        school=appeal.school,
        actor=by,
        action=AppealAction.NEW_REQUEST,
        target=appeal,
        details={"due_on": str(appeal.due_on), **state_of(appeal)},
    )
    return appeal


def write_back_answer(*, appeal: Appeal, by: User, text: str) -> Entry:
    """Answer the writer again on her status page; the appeal stays answered, on its first day."""
    with transaction.atomic():
        _awaiting(appeal)
        return appeal_reply(appeal=appeal, by=by, text=text, channel=Channel.RECEIPT)
