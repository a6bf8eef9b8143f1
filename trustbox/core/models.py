"""What the install itself remembers: when its daily work and its last backup ran."""

from __future__ import annotations

from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _


class Heartbeat(models.Model):
    """The last time an operator's routine (daily, backup) finished; read by the health check.

    Nothing of a school, a person or an appeal: one row per routine.
    """

    class Routine(models.TextChoices):
        DAILY = "daily", _("the daily work")
        BACKUP = "backup", _("a backup")

    routine = models.CharField(max_length=16, choices=Routine.choices, primary_key=True)
    finished_at = models.DateTimeField()

    class Meta:
        verbose_name = _("heartbeat")
        verbose_name_plural = _("heartbeats")

    def __str__(self) -> str:
        return f"{self.routine} {self.finished_at:%Y-%m-%d %H:%M}"

    @classmethod
    def beat(cls, routine: Heartbeat.Routine) -> None:
        cls.objects.update_or_create(routine=routine, defaults={"finished_at": timezone.now()})
