"""Considering an appeal (cl. 5.1): its file's notes, the reply, the decision, closing."""

from __future__ import annotations

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from trustbox.accounts.models import User
from trustbox.audit.services import audit_write
from trustbox.registry import case_keys, channels
from trustbox.registry.actions import AppealAction
from trustbox.registry.integrity import state_of
from trustbox.registry.models import IN_PROGRESS, OPEN_STATUSES, Appeal, Entry, Outcome, Status
from trustbox.seal import crypto


def entry_add(
    *,
    appeal: Appeal,
    kind: str,
    text: str,
    author: User | None,
    channel: str = "",
    for_writer: bool = False,
) -> Entry:
    """Seal a line of the appeal's file to its case key (and to the writer's key if for them)."""
    if appeal.case_public_key is None:
        raise ValidationError(_("This appeal is not registered yet."))
    text = text.strip()
    if not text:
        raise ValidationError(_("Write the text first."))
    plaintext = text.encode()
    writer_public = appeal.writer_public_key
    case_key, case_public = case_keys.case_key_for_writing(appeal)
    return Entry.objects.create(
        appeal=appeal,
        kind=kind,
        channel=channel,
        author=author,
        created_on=timezone.localdate(),
        case_key=case_key,
        notified=kind != Entry.Kind.WRITER,
        sealed_for_case=crypto.seal_for_case(case_public, plaintext),
        sealed_for_writer=crypto.seal_for_writer(bytes(writer_public), plaintext)
        if for_writer and writer_public is not None
        else None,
    )


def _open_appeal(appeal: Appeal) -> Appeal:
    appeal = Appeal.objects.select_for_update().get(pk=appeal.pk)
    if appeal.status not in IN_PROGRESS:
        raise ValidationError(_("This appeal is not under consideration."))
    return appeal


@transaction.atomic
def appeal_note_add(*, appeal: Appeal, by: User, text: str) -> Entry:
    """Add an internal note to the appeal's file; the writer never sees it."""
    appeal = _open_appeal(appeal)
    entry = entry_add(appeal=appeal, kind=Entry.Kind.NOTE, text=text, author=by)
    audit_write(school=appeal.school, actor=by, action=AppealAction.NOTE, target=appeal)
    return entry


@transaction.atomic
def appeal_reply(*, appeal: Appeal, by: User, text: str, channel: str) -> Entry:
    """Answer the writer by a way that reaches them (channels.reply_channels): the receipt
    code, on paper or by the contact of a signed appeal, a posted sheet for a paper one."""
    appeal = _open_appeal(appeal)
    channels.reply_check(appeal, channel)
    entry = entry_add(
        appeal=appeal,
        kind=Entry.Kind.REPLY,
        text=text,
        author=by,
        channel=channel,
        for_writer=channel == Entry.Channel.RECEIPT,
    )
    if appeal.status in OPEN_STATUSES:
        # A further reply (the writer wrote back) keeps the day of the answer that was owed.
        appeal.answered_on = timezone.localdate()
    appeal.status = Status.ANSWERED
    appeal.save(update_fields=["status", "answered_on"])
    audit_write(
        school=appeal.school,
        actor=by,
        action=AppealAction.REPLY,
        target=appeal,
        details={"channel": channel, **state_of(appeal)},
    )
    return entry


@transaction.atomic
def appeal_decide(*, appeal: Appeal, by: User, outcome: str, text: str = "") -> Appeal:
    """Record the commission's decision on the appeal, with its reasons if written."""
    appeal = _open_appeal(appeal)
    if outcome not in Outcome.values:
        raise ValidationError(_("Choose an outcome."))
    if text.strip():
        entry_add(appeal=appeal, kind=Entry.Kind.DECISION, text=text, author=by)
    appeal.outcome = outcome
    appeal.save(update_fields=["outcome"])
    audit_write(
        school=appeal.school,
        actor=by,
        action=AppealAction.DECIDE,
        target=appeal,
        details={"outcome": outcome, **state_of(appeal)},
    )
    return appeal


@transaction.atomic
def appeal_close(*, appeal: Appeal, by: User) -> Appeal:
    """Close the appeal's file once it has a decision."""
    appeal = _open_appeal(appeal)
    if not appeal.outcome:
        raise ValidationError(_("Record the decision before closing the appeal."))
    appeal.status = Status.CLOSED
    appeal.closed_on = timezone.localdate()
    appeal.save(update_fields=["status", "closed_on"])
    audit_write(
        school=appeal.school,
        actor=by,
        action=AppealAction.CLOSE,
        target=appeal,
        details=state_of(appeal),
    )
    return appeal
