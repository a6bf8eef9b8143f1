from __future__ import annotations

from typing import Any, NoReturn

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _


class AuditEntryQuerySet(models.QuerySet["AuditEntry"]):
    def for_school(self, school: Any) -> AuditEntryQuerySet:
        return self.filter(school=school)

    def delete(self) -> NoReturn:
        raise TypeError("The audit log is append-only.")

    def update(self, **kwargs: Any) -> NoReturn:
        raise TypeError("The audit log is append-only.")


class AuditEntry(models.Model):
    """One line of the append-only, hash-chained audit log: who did what, when.

    Details never hold the content of an appeal, only identifiers and decisions.
    """

    school = models.ForeignKey(
        "schools.School",
        on_delete=models.PROTECT,
        related_name="audit_entries",
        null=True,
        blank=True,
        verbose_name=_("school"),
    )
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        related_name="+",
        null=True,
        blank=True,
        verbose_name=_("who"),
    )
    action = models.CharField(_("action"), max_length=60)
    target = models.CharField(_("object"), max_length=120, blank=True)
    details = models.JSONField(_("details"), default=dict, blank=True)
    created_at = models.DateTimeField(_("when"))
    prev_hash = models.CharField(max_length=64)
    hash = models.CharField(max_length=64, unique=True)

    # Bypasses append-only: only for the chain check's tests and tampering experiments.
    raw = models.Manager()
    objects = AuditEntryQuerySet.as_manager()

    class Meta:
        verbose_name = _("audit entry")
        verbose_name_plural = _("audit entries")
        default_manager_name = "objects"
        ordering = ["id"]

    def __str__(self) -> str:
        return f"{self.created_at:%Y-%m-%d %H:%M} {self.action}"

    def save(self, *args: Any, **kwargs: Any) -> None:
        if self.pk is not None:
            raise TypeError("The audit log is append-only.")
        super().save(*args, **kwargs)

    def delete(self, *args: Any, **kwargs: Any) -> NoReturn:
        raise TypeError("The audit log is append-only.")

    @property
    def by_writer(self) -> bool:
        """Written for the anonymous writer of an appeal, who has no account."""
        return self.actor_id is None and self.details.get("by") == "writer"
