from __future__ import annotations

from typing import TYPE_CHECKING

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

if TYPE_CHECKING:
    from trustbox.accounts.models import User
    from trustbox.schools.models import School


class CommissionQuerySet(models.QuerySet["Commission"]):
    def for_school(self, school: School) -> CommissionQuerySet:
        return self.filter(school=school)

    def in_force(self) -> CommissionQuerySet:
        return self.filter(replaced_at__isnull=True)

    def current(self, school: School) -> Commission | None:
        """The commission whose order is in force at the school, if any."""
        return (
            self.for_school(school)
            .in_force()
            .select_related("responsible", "parents_representative", "chair", "secretary")
            .order_by("-order_date", "-id")
            .first()
        )


class Commission(models.Model):
    """The trust box commission, as appointed by one order of the director (cl. 4.1, 4.2)."""

    school = models.ForeignKey(
        "schools.School",
        on_delete=models.CASCADE,
        related_name="commissions",
        verbose_name=_("school"),
    )
    order_number = models.CharField(_("order number"), max_length=30)
    order_date = models.DateField(_("order date"))
    members: models.ManyToManyField[User, CommissionMember] = models.ManyToManyField(
        settings.AUTH_USER_MODEL,
        through="CommissionMember",
        related_name="commissions",
        verbose_name=_("members"),
    )
    parents_representative = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("parents' community representative"),
    )
    responsible = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("responsible person"),
    )
    chair = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        related_name="+",
        null=True,
        blank=True,
        verbose_name=_("chair"),
    )
    secretary = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        related_name="+",
        null=True,
        blank=True,
        verbose_name=_("secretary"),
    )
    entered_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("entered by"),
    )
    entered_at = models.DateTimeField(_("entered"), auto_now_add=True)
    replaced_at = models.DateTimeField(_("replaced"), null=True, blank=True)
    replaced_by = models.OneToOneField(
        "self",
        on_delete=models.PROTECT,
        related_name="replaces",
        null=True,
        blank=True,
        verbose_name=_("replaced by"),
    )

    objects = CommissionQuerySet.as_manager()

    class Meta:
        verbose_name = _("commission")
        verbose_name_plural = _("commissions")
        ordering = ["-order_date", "-id"]
        constraints = [
            models.UniqueConstraint(
                fields=["school", "order_number", "order_date"],
                name="one_order_per_number_and_date",
            )
        ]

    def __str__(self) -> str:
        return f"№ {self.order_number} ({self.order_date:%d.%m.%Y})"

    @property
    def in_force(self) -> bool:
        return self.replaced_at is None

    @property
    def size(self) -> int:
        return self.seats.count()


class CommissionMember(models.Model):
    """A seat in a commission; the position is kept as it was on the day of the order."""

    commission = models.ForeignKey(
        Commission, on_delete=models.CASCADE, related_name="seats", verbose_name=_("commission")
    )
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        related_name="seats",
        verbose_name=_("member"),
    )
    position = models.CharField(_("position"), max_length=200, blank=True)

    class Meta:
        verbose_name = _("commission member")
        verbose_name_plural = _("commission members")
        ordering = ["user__full_name"]
        constraints = [
            models.UniqueConstraint(fields=["commission", "user"], name="one_seat_per_member")
        ]

    def __str__(self) -> str:
        return str(self.user)


class Election(models.Model):
    """The first session's open vote for chair and secretary (cl. 4.5)."""

    commission = models.OneToOneField(
        Commission, on_delete=models.CASCADE, related_name="election", verbose_name=_("commission")
    )
    held_on = models.DateField(_("held on"))
    protocol_number = models.CharField(_("protocol number"), max_length=30, default="1")
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("recorded by"),
    )
    recorded_at = models.DateTimeField(_("recorded"), auto_now_add=True)

    class Meta:
        verbose_name = _("election of chair and secretary")
        verbose_name_plural = _("elections of chair and secretary")

    def __str__(self) -> str:
        return f"{self.commission}: {self.held_on:%d.%m.%Y}"


class Office(models.TextChoices):
    CHAIR = "chair", _("Chair")
    SECRETARY = "secretary", _("Secretary")


class ElectionVote(models.Model):
    """One member's open vote for one office."""

    election = models.ForeignKey(
        Election, on_delete=models.CASCADE, related_name="votes", verbose_name=_("election")
    )
    office = models.CharField(_("office"), max_length=20, choices=Office.choices)
    voter = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("voter"),
    )
    candidate = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("voted for"),
    )

    class Meta:
        verbose_name = _("vote")
        verbose_name_plural = _("votes")
        ordering = ["office", "voter__full_name"]
        constraints = [
            models.UniqueConstraint(
                fields=["election", "office", "voter"], name="one_vote_per_office"
            )
        ]

    def __str__(self) -> str:
        return f"{self.voter} → {self.candidate} ({self.get_office_display()})"
