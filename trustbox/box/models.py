from __future__ import annotations

import datetime

from django.db import models
from django.utils.translation import gettext_lazy as _

from trustbox.seal import crypto


class Box(models.Model):
    """A school's box: the head of its chain of sealed appeals and its receipt salt."""

    school = models.OneToOneField(
        "schools.School", on_delete=models.CASCADE, related_name="box", verbose_name=_("school")
    )
    receipt_salt = models.BinaryField(_("receipt salt"), max_length=16)
    count = models.PositiveIntegerField(_("appeals sealed"), default=0)
    head = models.BinaryField(_("chain head"), max_length=32, default=crypto.GENESIS)
    # The last place an opening accounted for (taken out, set aside or named as damage): an
    # appeal at or before it that is not in the registry was passed over, never "in the box".
    opened_to = models.PositiveIntegerField(_("places accounted for by openings"), default=0)

    class Meta:
        verbose_name = _("box")
        verbose_name_plural = _("boxes")

    def __str__(self) -> str:
        return str(self.school)


class SealedAppealQuerySet(models.QuerySet["SealedAppeal"]):
    def in_box(self) -> SealedAppealQuerySet:
        """Appeals not yet taken out of the box by an opening, nor set aside as unreadable."""
        return self.filter(opened=False, set_aside=False)


class SealedAppeal(models.Model):
    """An appeal as the box holds it: ciphertext only, the day it came, and its chain link.

    Kind, category, text, the writer's name and attachments are all inside the ciphertext.
    Only the urgency is outside, so that the commission can be told to open the box early.
    """

    school = models.ForeignKey(
        "schools.School",
        on_delete=models.CASCADE,
        related_name="sealed_appeals",
        verbose_name=_("school"),
    )
    box_key = models.ForeignKey(
        "seal.BoxKey", on_delete=models.PROTECT, related_name="appeals", verbose_name=_("box key")
    )
    seq = models.PositiveIntegerField(_("number in the box"))
    received_on = models.DateField(_("received on"))
    urgent = models.BooleanField(_("urgent"), default=False)
    paper = models.BooleanField(_("paper appeal entered at an opening"), default=False)
    ciphertext = models.BinaryField(_("ciphertext"))
    receipt_lookup = models.CharField(max_length=64, unique=True, null=True, blank=True)
    # The private half of the writer's reply key, locked under a key only the receipt gives.
    writer_key_locked = models.BinaryField(null=True, blank=True)
    prev_hash = models.BinaryField(max_length=32)
    chain_hash = models.BinaryField(max_length=32)
    opened = models.BooleanField(_("taken out of the box"), default=False)
    # An appeal that did not open with the box key: named in the act of the opening that found
    # it, then kept as it is (ciphertext and chain link, the evidence) and never tried again.
    set_aside = models.BooleanField(_("set aside: could not be opened"), default=False)
    # The day its writer took it back with her receipt code, before an opening (box.withdrawal):
    # the next opening sets it aside unread and its act lists it. Not in the chain's metadata:
    # the writers' audit chain vouches for it instead.
    withdrawn_on = models.DateField(_("withdrawn by its writer on"), null=True, blank=True)
    # An erased appeal (its case destroyed, box/erasure.py): the ciphertext and the writer's
    # locked key are deleted for good; the SHA-256 of the ciphertext stays, so that the chain
    # link still checks, and the day of the erasure.
    ciphertext_digest = models.BinaryField(
        _("SHA-256 of the erased ciphertext"), max_length=32, null=True, blank=True
    )
    erased_on = models.DateField(_("erased on"), null=True, blank=True)

    objects = SealedAppealQuerySet.as_manager()

    class Meta:
        verbose_name = _("sealed appeal")
        verbose_name_plural = _("sealed appeals")
        ordering = ["school", "seq"]
        constraints = [
            models.UniqueConstraint(fields=["school", "seq"], name="one_appeal_per_place")
        ]

    def __str__(self) -> str:
        return f"{self.school_id}/{self.seq}"

    @property
    def erased(self) -> bool:
        return self.ciphertext_digest is not None

    def chain_metadata(self) -> list[str | int]:
        return chain_metadata(
            school_id=self.school_id,
            seq=self.seq,
            received_on=self.received_on,
            urgent=self.urgent,
            paper=self.paper,
            box_key_id=self.box_key_id,
            receipt_lookup=self.receipt_lookup,
        )


def chain_metadata(
    *,
    school_id: int,
    seq: int,
    received_on: datetime.date,
    urgent: bool,
    paper: bool,
    box_key_id: int,
    receipt_lookup: str | None,
) -> list[str | int]:
    """What of a sealed appeal, beside its ciphertext, its chain link holds."""
    return [
        school_id,
        seq,
        received_on.isoformat(),
        int(urgent),
        int(paper),
        box_key_id,
        receipt_lookup or "",
    ]


class SpentForm(models.Model):
    """A public form's one-time token, spent in the transaction that sealed its appeal.

    Only the token's SHA-256 and the day: a form sent again (a reload, a resend after a lost
    answer, another worker, a restart) finds its token spent and stores nothing twice. No link
    to the appeal and no time of day; rows older than a form's life are deleted daily.
    """

    digest = models.CharField(max_length=64, primary_key=True)
    spent_on = models.DateField()

    class Meta:
        verbose_name = _("spent form")
        verbose_name_plural = _("spent forms")

    def __str__(self) -> str:
        return f"{self.digest[:8]}… {self.spent_on}"
