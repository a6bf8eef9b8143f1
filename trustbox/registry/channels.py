"""The ways an answer reaches the writer of an appeal (issue 21): only these count as answered.

- An anonymous appeal (no name given) is answered through its receipt code, on the writer's
  status page; a paper one without receipt, by a reply sheet the school posts in the foyer,
  naming the appeal by its number only.
- A signed appeal may also be answered on paper or by the contact its writer gave.
"""

from __future__ import annotations

from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _

from trustbox.registry.models import Appeal, Entry

Channel = Entry.Channel


def reply_channels(appeal: Appeal) -> list[str]:
    """The ways an answer reaches this appeal's writer, the receipt first."""
    receipt = [Channel.RECEIPT.value] if appeal.writer_public_key is not None else []
    if appeal.signed:
        return [*receipt, Channel.PAPER.value, Channel.CONTACT.value]
    return receipt or [Channel.NOTICE.value]


def reaches_writer(appeal: Appeal, channel: str) -> bool:
    return channel in reply_channels(appeal)


def reply_check(appeal: Appeal, channel: str) -> None:
    """Refuse a channel by which the answer cannot reach the writer."""
    if reaches_writer(appeal, channel):
        return
    if channel == Channel.RECEIPT:
        raise ValidationError(
            _("This writer has no receipt code: answer on paper or by their contact.")
        )
    if appeal.writer_public_key is not None:
        raise ValidationError(
            _("This writer gave no name: answer through the receipt code, on their status page.")
        )
    raise ValidationError(
        _(
            "This writer gave no name and has no receipt: answer by a reply sheet "
            "posted in the foyer."
        )
    )
