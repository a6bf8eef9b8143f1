from __future__ import annotations

from typing import TYPE_CHECKING

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

if TYPE_CHECKING:
    from django.contrib.auth.models import AnonymousUser

    from trustbox.accounts.models import User


class District(models.Model):
    """A district (or city) education department that groups schools."""

    name = models.CharField(_("name"), max_length=200)
    slug = models.SlugField(_("short name"), unique=True)

    class Meta:
        verbose_name = _("district")
        verbose_name_plural = _("districts")
        ordering = ["name"]

    def __str__(self) -> str:
        return self.name


class SchoolQuerySet(models.QuerySet["School"]):
    def for_user(self, user: User | AnonymousUser) -> SchoolQuerySet:
        """Schools the user belongs to as director, employee or parent."""
        if not user.is_authenticated:
            return self.none()
        return self.filter(memberships__user=user).distinct()


class School(models.Model):
    """A school: the tenant every other row belongs to."""

    district = models.ForeignKey(
        District,
        on_delete=models.PROTECT,
        related_name="schools",
        null=True,
        blank=True,
        verbose_name=_("district"),
    )
    name = models.CharField(_("name"), max_length=300)
    slug = models.SlugField(_("short name"), unique=True)
    created_at = models.DateTimeField(_("created"), auto_now_add=True)

    objects = SchoolQuerySet.as_manager()

    class Meta:
        verbose_name = _("school")
        verbose_name_plural = _("schools")
        ordering = ["name"]

    def __str__(self) -> str:
        return self.name


class MembershipQuerySet(models.QuerySet["Membership"]):
    def for_school(self, school: School) -> MembershipQuerySet:
        return self.filter(school=school).select_related("user")


class Membership(models.Model):
    """A person's place in a school: the director, an employee or a parent.

    The roles inside the commission (member, responsible person, chair, secretary)
    come from the current commission order, not from here.
    """

    class Kind(models.TextChoices):
        DIRECTOR = "director", _("Director")
        EMPLOYEE = "employee", _("Employee")
        PARENT = "parent", _("Parent")

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.CASCADE,
        related_name="memberships",
        verbose_name=_("person"),
    )
    school = models.ForeignKey(
        School, on_delete=models.CASCADE, related_name="memberships", verbose_name=_("school")
    )
    kind = models.CharField(_("kind"), max_length=20, choices=Kind.choices)
    position = models.CharField(_("position"), max_length=200, blank=True)
    added_at = models.DateTimeField(_("added"), auto_now_add=True)

    objects = MembershipQuerySet.as_manager()

    class Meta:
        verbose_name = _("membership")
        verbose_name_plural = _("memberships")
        constraints = [
            models.UniqueConstraint(fields=["user", "school"], name="one_membership_per_school")
        ]
        ordering = ["user__full_name"]

    def __str__(self) -> str:
        return f"{self.user} ({self.get_kind_display()})"


class DistrictViewer(models.Model):
    """A district education officer who sees the district's aggregated picture."""

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.CASCADE,
        related_name="district_access",
        verbose_name=_("person"),
    )
    district = models.ForeignKey(
        District, on_delete=models.CASCADE, related_name="viewers", verbose_name=_("district")
    )

    class Meta:
        verbose_name = _("district viewer")
        verbose_name_plural = _("district viewers")
        constraints = [
            models.UniqueConstraint(fields=["user", "district"], name="one_access_per_district")
        ]

    def __str__(self) -> str:
        return f"{self.user} → {self.district}"


class CalendarChange(models.Model):
    """A day off or a working day declared by a government decree, beyond the law's holidays.

    Read by trustbox.schools.calendar for every deadline.
    """

    class Kind(models.TextChoices):
        DAY_OFF = "day_off", _("day off")
        WORKING_DAY = "working_day", _("working day")

    day = models.DateField(_("day"), unique=True)
    kind = models.CharField(_("kind"), max_length=20, choices=Kind.choices)
    reason = models.CharField(_("reason"), max_length=300)
    changed_at = models.DateTimeField(_("changed"), auto_now=True)

    class Meta:
        verbose_name = _("change of the calendar")
        verbose_name_plural = _("changes of the calendar")
        ordering = ["day"]

    def __str__(self) -> str:
        return f"{self.day.isoformat()} {self.get_kind_display()}"
