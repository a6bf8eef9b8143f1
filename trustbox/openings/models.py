from __future__ import annotations

import datetime
from typing import TYPE_CHECKING

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

if TYPE_CHECKING:
    from trustbox.schools.models import School


class OpeningQuerySet(models.QuerySet["Opening"]):
    def for_school(self, school: School) -> OpeningQuerySet:
        return self.filter(school=school)

    def gathering(self) -> OpeningQuerySet:
        """The gathering under way, if any (one at a time per school)."""
        return self.filter(status=Opening.Status.GATHERING)

    def done(self) -> OpeningQuerySet:
        """Openings of the box that took place: the journal of openings."""
        return self.filter(status=Opening.Status.OPENED, purpose=Opening.Purpose.OPEN)

    def within(self, start: datetime.date | None, end: datetime.date | None) -> OpeningQuerySet:
        """Openings held between two local days, both included; an empty end is open."""
        result = self
        if start:
            result = result.filter(opened_at__date__gte=start)
        if end:
            result = result.filter(opened_at__date__lte=end)
        return result


class Opening(models.Model):
    """One opening of the box by the commission (cl. 3.1, 3.3), with its act and journal line.

    Members who join seal their unlocked share to this session's key. The session's private
    key is kept here only encrypted under a key that lives in the browser of the member who
    started the opening, so the database alone can never put the shares together.
    """

    class Status(models.TextChoices):
        GATHERING = "gathering", _("gathering the commission")
        OPENED = "opened", _("opened")
        CANCELLED = "cancelled", _("cancelled")
        EXPIRED = "expired", _("expired: not finished in time")

    class Purpose(models.TextChoices):
        OPEN = "open", _("open the box")
        REKEY = "rekey", _("renew the box key")

    school = models.ForeignKey(
        "schools.School",
        on_delete=models.CASCADE,
        related_name="openings",
        verbose_name=_("school"),
    )
    purpose = models.CharField(
        _("purpose"), max_length=10, choices=Purpose.choices, default=Purpose.OPEN
    )
    box_key = models.ForeignKey(
        "seal.BoxKey", on_delete=models.PROTECT, related_name="openings", verbose_name=_("box key")
    )
    status = models.CharField(
        _("status"), max_length=20, choices=Status.choices, default=Status.GATHERING
    )
    started_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("started by"),
    )
    started_at = models.DateTimeField(_("started"), auto_now_add=True)
    # Where the starter said the shared screen is ("school library"): every member is told,
    # so that one who is not there knows something is wrong.
    place = models.CharField(_("where the commission gathers"), max_length=100, blank=True)
    session_public_key = models.BinaryField(max_length=32)
    session_private_locked = models.BinaryField()

    opened_at = models.DateTimeField(_("opened"), null=True, blank=True)
    journal_number = models.PositiveIntegerField(_("№ in the journal"), null=True, blank=True)
    box_note = models.TextField(_("state of the physical box and its seals"), blank=True)
    copies = models.PositiveSmallIntegerField(_("copies of the act"), default=2)
    from_seq = models.PositiveIntegerField(default=0)
    from_head = models.BinaryField(max_length=32, null=True, blank=True)
    to_seq = models.PositiveIntegerField(default=0)
    new_head = models.BinaryField(max_length=32, null=True, blank=True)
    damage = models.JSONField(_("damage of the seal"), default=list, blank=True)
    # Places past to_seq taken out all the same: the urgent and paper appeals of its own day.
    beyond = models.JSONField(_("appeals of its own day taken out"), default=list, blank=True)
    # Appeals their writers took back before it, set aside unread: [{"seq": …, "day": …}].
    withdrawn = models.JSONField(_("appeals withdrawn by their writers"), default=list, blank=True)
    online_count = models.PositiveIntegerField(default=0)
    paper_count = models.PositiveIntegerField(default=0)

    objects = OpeningQuerySet.as_manager()

    class Meta:
        verbose_name = _("opening of the box")
        verbose_name_plural = _("openings of the box")
        ordering = ["-started_at"]
        constraints = [
            models.UniqueConstraint(
                fields=["school", "journal_number"], name="one_journal_line_per_number"
            )
        ]

    def __str__(self) -> str:
        return f"{self.school} {self.started_at:%Y-%m-%d}"

    @property
    def appeal_count(self) -> int:
        return self.online_count + self.paper_count

    @property
    def is_gathering(self) -> bool:
        """The commission is gathering: members join, the box is not open yet."""
        return self.status == self.Status.GATHERING

    @property
    def is_opened(self) -> bool:
        """Done: the box was opened (or, for a renewal, the key renewed)."""
        return self.status == self.Status.OPENED

    @property
    def is_cancelled(self) -> bool:
        return self.status == self.Status.CANCELLED

    @property
    def is_expired(self) -> bool:
        return self.status == self.Status.EXPIRED

    @property
    def is_renewal(self) -> bool:
        """A gathering to renew the box key, not to open the box."""
        return self.purpose == self.Purpose.REKEY


class Participant(models.Model):
    """A member present at an opening, with their share sealed to the opening's session key."""

    opening = models.ForeignKey(
        Opening, on_delete=models.CASCADE, related_name="participants", verbose_name=_("opening")
    )
    member = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        related_name="+",
        null=True,
        blank=True,
        verbose_name=_("member"),
    )
    reserve = models.BooleanField(_("reserve share from the safe"), default=False)
    # Which reserve part of the box key (1, 2 …): not secret, and a part counts only once.
    reserve_number = models.PositiveSmallIntegerField(null=True, blank=True)
    sealed_share = models.BinaryField()
    joined_at = models.DateTimeField(_("joined"), auto_now_add=True)
    confirmed_seal = models.BooleanField(_("confirmed the new seal"), default=False)

    class Meta:
        verbose_name = _("member present")
        verbose_name_plural = _("members present")
        ordering = ["joined_at"]
        constraints = [
            models.UniqueConstraint(fields=["opening", "member"], name="one_join_per_member"),
            models.UniqueConstraint(
                fields=["opening", "reserve_number"], name="one_use_per_reserve_part"
            ),
        ]

    def __str__(self) -> str:
        return str(self.member) if self.member else "reserve"
