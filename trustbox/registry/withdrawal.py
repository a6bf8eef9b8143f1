"""After the opening: a writer asks to close her appeal, and a thread that turned abusive.

With her receipt code a writer may ask to close her appeal (issue 24, point 4): the request
is a day on the appeal, a "decide" line of the responsible person's to-do list, who closes
the appeal with the outcome "withdrawn by its writer" or answers her why it stays open.
The responsible person may also close the writer's conversation to further messages, with a
reason that goes to the audit log only (never to the writer), and reopen it. One service
per change, each with its audit row; the writer's own request is audited by the day only.
"""

from __future__ import annotations

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from trustbox.accounts.models import User
from trustbox.audit.services import audit_write
from trustbox.registry.actions import AppealAction
from trustbox.registry.consideration import entry_add
from trustbox.registry.integrity import state_of
from trustbox.registry.models import Appeal, Entry, Outcome, Status
from trustbox.schools.models import School

# A reason for closing a conversation: a sentence or two, for the audit log.
REASON_MAX = 500


def _locked(appeal: Appeal) -> Appeal:
    return Appeal.objects.select_for_update().get(pk=appeal.pk)


@transaction.atomic
def appeal_close_ask(*, appeal: Appeal) -> Appeal:
    """The writer asks to close her appeal; the day is kept until the responsible person decides."""
    appeal = _locked(appeal)
    if appeal.status == Status.CLOSED:
        raise ValidationError(_("Your appeal is already closed."))
    if appeal.close_asked_on is None:
        appeal.close_asked_on = timezone.localdate()
        appeal.save(update_fields=["close_asked_on"])
        audit_write(
            school=appeal.school,
            actor=None,
            action=AppealAction.CLOSE_ASK,
            target=appeal,
            by_writer=True,
        )
    return appeal


def _asked(appeal: Appeal) -> Appeal:
    appeal = _locked(appeal)
    if appeal.close_asked_on is None or appeal.status == Status.CLOSED:
        raise ValidationError(_("The writer has not asked to close this appeal."))
    return appeal


@transaction.atomic
def appeal_close_withdrawn(*, appeal: Appeal, by: User) -> Appeal:
    """Close the appeal as its writer asked: the outcome "withdrawn by its writer"."""
    appeal = _asked(appeal)
    appeal.outcome = Outcome.WITHDRAWN
    appeal.status = Status.CLOSED
    appeal.closed_on = timezone.localdate()
    appeal.close_asked_on = None
    appeal.save(update_fields=["outcome", "status", "closed_on", "close_asked_on"])
    audit_write(
        school=appeal.school,
        actor=by,
        action=AppealAction.WITHDRAWN_CLOSE,
        target=appeal,
        details=state_of(appeal),
    )
    return appeal


@transaction.atomic
def appeal_close_decline(*, appeal: Appeal, by: User, text: str) -> Appeal:
    """Keep the appeal open and tell the writer why, on her status page."""
    appeal = _asked(appeal)
    entry_add(
        appeal=appeal,
        kind=Entry.Kind.REPLY,
        text=text,
        author=by,
        channel=Entry.Channel.RECEIPT,
        for_writer=True,
    )
    appeal.close_asked_on = None
    appeal.save(update_fields=["close_asked_on"])
    audit_write(
        school=appeal.school,
        actor=by,
        action=AppealAction.CLOSE_DECLINE,
        target=appeal,
        details=state_of(appeal),
    )
    return appeal


@transaction.atomic
def appeal_messages_close(*, appeal: Appeal, by: User, reason: str) -> Appeal:
    """Close the writer's conversation to further messages; the reason goes to the log only."""
    reason = reason.strip()
    if not reason:
        raise ValidationError(_("Write the reason first."))
    if len(reason) > REASON_MAX:
        raise ValidationError(
            _("The text is too long: at most %(max)d characters.") % {"max": REASON_MAX}
        )
    appeal = _locked(appeal)
    if appeal.messages_closed:
        raise ValidationError(_("The conversation is already closed to new messages."))
    appeal.messages_closed = True
    appeal.save(update_fields=["messages_closed"])
    audit_write(
        school=appeal.school,
        actor=by,
        action=AppealAction.MESSAGES_CLOSE,
        target=appeal,
        details={"reason": reason, **state_of(appeal)},
    )
    return appeal


@transaction.atomic
def appeal_messages_reopen(*, appeal: Appeal, by: User) -> Appeal:
    """Let the writer send messages again."""
    appeal = _locked(appeal)
    if not appeal.messages_closed:
        raise ValidationError(_("The conversation is open."))
    appeal.messages_closed = False
    appeal.save(update_fields=["messages_closed"])
    audit_write(
        school=appeal.school,
        actor=by,
        action=AppealAction.MESSAGES_REOPEN,
        target=appeal,
        details=state_of(appeal),
    )
    return appeal


def close_requests_to_decide(*, school: School) -> list[Appeal]:
    """Appeals whose writer asked to close them: the responsible person decides on each."""
    return list(
        Appeal.objects.for_school(school)
        .filter(close_asked_on__isnull=False)
        .exclude(status=Status.CLOSED)
        .only("pk", "year", "serial", "school_id", "opening_id", "number_in_act")
        .order_by("close_asked_on", "pk")
    )
