"""The registry as the writer sees it, through the receipt code: the one road in from public pages.

The public pages never touch the registry's models: they get a WriterView, plain data made
for the status page, and send the writer's messages through writer_message_add.
"""

from __future__ import annotations

import dataclasses
import datetime
from dataclasses import dataclass

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.debug import sensitive_variables

from trustbox.audit.services import audit_write
from trustbox.box.models import Box
from trustbox.box.services import Found, form_spend
from trustbox.box.withdrawal import sealed_appeal_withdraw, withdrawable
from trustbox.registry.actions import AppealAction
from trustbox.registry.channels import reaches_writer
from trustbox.registry.consideration import entry_add
from trustbox.registry.models import Appeal, Entry, Status
from trustbox.registry.withdrawal import appeal_close_ask
from trustbox.seal import crypto

WRITER_MESSAGE_MAX = 5000


class ConversationClosed(Exception):
    """The responsible person closed the conversation to the writer's new messages."""


@dataclass(frozen=True)
class WriterMessage:
    """One message of the conversation: a reply of the commission, or the writer's own."""

    from_writer: bool
    day: datetime.date
    text: str = dataclasses.field(repr=False)


@dataclass(frozen=True)
class WriterView:
    """Where the writer's appeal is, and what is written to them; nothing else of the registry."""

    status: str  # "in_box", "passed_over", "withdrawn", or a Status of the registry
    received_on: datetime.date
    opened_on: datetime.date | None = None
    number: str = ""
    due_on: datetime.date | None = None
    closed_on: datetime.date | None = None
    messages: list[WriterMessage] = dataclasses.field(default_factory=list)
    can_write: bool = False
    # Answers that reached the writer another way: (channel, day) of each, e.g. ("paper", …).
    sent_elsewhere: list[tuple[str, datetime.date]] = dataclasses.field(default_factory=list)
    # The writer wrote back on the answered appeal; the responsible person has not decided yet.
    wrote_back: bool = False
    # Taken back by its writer before the opening (the day), and whether it still may be.
    withdrawn_on: datetime.date | None = None
    can_withdraw: bool = False
    # After the opening: the writer asked to close it (the day), and whether she still may.
    close_asked_on: datetime.date | None = None
    can_ask_close: bool = False
    # The responsible person closed the conversation to new messages.
    messages_closed: bool = False
    # Destroyed after its retention period: the day, and the act's number ("1/2026").
    destroyed_on: datetime.date | None = None
    destruction_act: str = ""

    @property
    def withdrawn(self) -> bool:
        return self.status == "withdrawn"

    @property
    def in_box(self) -> bool:
        return self.status == "in_box"

    @property
    def passed_over(self) -> bool:
        """An opening went past the appeal without taking it out: it could not be opened, or
        it was kept from the registry; the act of that opening names it."""
        return self.status == "passed_over"

    @property
    def taken_out(self) -> bool:
        return self.status == Status.TAKEN_OUT

    @property
    def registered(self) -> bool:
        return self.status == Status.REGISTERED

    @property
    def considering(self) -> bool:
        return self.status == Status.CONSIDERING

    @property
    def answered(self) -> bool:
        return self.status == Status.ANSWERED

    @property
    def closed(self) -> bool:
        return self.status == Status.CLOSED

    @property
    def answered_here(self) -> bool:
        """Whether a reply came through the receipt code (not on paper or by contact)."""
        return any(not message.from_writer for message in self.messages)


def act_number(reference: str) -> str:
    """The act's number and year ("1/2026") from its reference ("destruction act 1/2026")."""
    return reference.strip().rpartition(" ")[2]


def _appeal_of(found: Found) -> Appeal | None:
    """The appeal in the registry, whatever the box's flags say of it."""
    return Appeal.objects.select_related("opening").filter(sealed_appeal=found.sealed).first()


def _passed_over(found: Found) -> bool:
    """Did an opening go past this place of the box (the appeal is not in the registry)?"""
    sealed = found.sealed
    return (
        sealed.set_aside
        or Box.objects.filter(school_id=sealed.school_id, opened_to__gte=sealed.seq).exists()
    )


@sensitive_variables()
def writer_view(*, found: Found) -> WriterView:
    """What the holder of a right receipt code sees of their appeal."""
    appeal = _appeal_of(found)
    if appeal is None:
        return _box_view(found)
    opened_at = appeal.opening.opened_at
    said = list(
        appeal.entries.filter(kind__in=(Entry.Kind.REPLY, Entry.Kind.WRITER)).values_list(
            "kind", "channel", "created_on"
        )
    )
    view = WriterView(
        status=appeal.status,
        received_on=appeal.received_on,
        opened_on=timezone.localtime(opened_at).date() if opened_at else None,
        number=appeal.number,
        due_on=appeal.due_on,
        closed_on=appeal.closed_on,
        sent_elsewhere=[
            (channel, day)
            for kind, channel, day in said
            if kind == Entry.Kind.REPLY
            and channel != Entry.Channel.RECEIPT
            and reaches_writer(appeal, channel)
        ],
        wrote_back=appeal.status == Status.ANSWERED
        and bool(said)
        and said[-1][0] == Entry.Kind.WRITER,
        close_asked_on=appeal.close_asked_on,
        can_ask_close=appeal.status != Status.CLOSED and appeal.close_asked_on is None,
        messages_closed=appeal.messages_closed,
        destroyed_on=appeal.destroyed_on,
        destruction_act=act_number(appeal.destruction_act),
    )
    private = found.writer_private()
    if private is None:
        return view
    messages = [
        WriterMessage(
            from_writer=entry.kind == Entry.Kind.WRITER,
            day=entry.created_on,
            text=crypto.open_with_writer_key(private, bytes(sealed)).decode(),
        )
        for entry in appeal.entries.filter(sealed_for_writer__isnull=False)
        if (sealed := entry.sealed_for_writer) is not None
    ]
    can_write = (
        appeal.case_public_key is not None
        and appeal.writer_public_key is not None
        and appeal.status != Status.CLOSED
        and not appeal.messages_closed
    )
    return dataclasses.replace(view, messages=messages, can_write=can_write)


def _box_view(found: Found) -> WriterView:
    """An appeal not in the registry: in the box, taken back by its writer, or passed over."""
    sealed = found.sealed
    if sealed.withdrawn_on is not None:
        return WriterView(
            status="withdrawn", received_on=sealed.received_on, withdrawn_on=sealed.withdrawn_on
        )
    if _passed_over(found):
        return WriterView(status="passed_over", received_on=sealed.received_on)
    box = Box.objects.filter(school_id=sealed.school_id).first()
    return WriterView(
        status="in_box", received_on=sealed.received_on, can_withdraw=withdrawable(sealed, box)
    )


@transaction.atomic
def writer_withdraw(*, found: Found, form_token: str = "") -> None:
    """The writer takes her appeal back before the opening (box.withdrawal).

    A form's token is spent in the same transaction: AlreadyInTheBox if it was (sent before).
    """
    if form_token:
        form_spend(form_token)
    if _appeal_of(found) is not None:
        raise ValidationError(
            _("This appeal can no longer be taken back: the commission has opened the box.")
        )
    sealed_appeal_withdraw(sealed_appeal=found.sealed)


@transaction.atomic
def writer_close_ask(*, found: Found, form_token: str = "") -> None:
    """After the opening, the writer asks to close her appeal (registry.withdrawal)."""
    if form_token:
        form_spend(form_token)
    appeal = _appeal_of(found)
    if appeal is None:
        raise ValidationError(_("You can ask to close your appeal once the box is opened."))
    appeal_close_ask(appeal=appeal)


@transaction.atomic
def writer_message_add(*, found: Found, text: str, form_token: str = "") -> None:
    """The writer answers back with their receipt: sealed for the case and for themselves.

    A form's token is spent in the same transaction: AlreadyInTheBox if it was (sent before).
    """
    if form_token:
        form_spend(form_token)
    appeal = _appeal_of(found)
    if appeal is None:
        raise ValidationError(_("You can write back once your appeal is being considered."))
    appeal = Appeal.objects.select_for_update().get(pk=appeal.pk)
    if appeal.case_public_key is None or appeal.status == Status.CLOSED:
        raise ValidationError(_("You can write back once your appeal is being considered."))
    if appeal.messages_closed:
        raise ConversationClosed
    if len(text) > WRITER_MESSAGE_MAX:
        raise ValidationError(
            _("The text is too long: at most %(max)d characters.") % {"max": WRITER_MESSAGE_MAX}
        )
    # The appeal's fields stay as they are: on an answered appeal the responsible person decides
    # what the message asks for (registry.answers), and only a new request gets a new deadline.
    entry_add(appeal=appeal, kind=Entry.Kind.WRITER, text=text, author=None, for_writer=True)
    audit_write(
        school=appeal.school,
        actor=None,
        action=AppealAction.WRITER_MESSAGE,
        target=appeal,
        by_writer=True,
    )
    # No mail now: the daily run announces writers' messages (notify.writer_messages_notify).
