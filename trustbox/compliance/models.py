from django.db import models
from django.utils.translation import gettext_lazy as _


class ComplianceWarning(models.Model):
    """A warning mailed to the chair before a deadline of the regulation: once per deadline."""

    school = models.ForeignKey(
        "schools.School",
        on_delete=models.CASCADE,
        related_name="compliance_warnings",
        verbose_name=_("school"),
    )
    line = models.CharField(_("line"), max_length=20)
    deadline = models.DateField(_("deadline"))
    sent_on = models.DateField(_("sent on"))

    class Meta:
        verbose_name = _("compliance warning")
        verbose_name_plural = _("compliance warnings")
        constraints = [
            models.UniqueConstraint(
                fields=["school", "line", "deadline"], name="one_warning_per_deadline"
            )
        ]

    def __str__(self) -> str:
        return f"{self.school} {self.line} {self.deadline}"
