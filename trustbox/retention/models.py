"""Retention periods of a school's records, and the commission's acts of destruction."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _


class RetentionRule(models.Model):
    """A school's own retention periods, in years, from its nomenclature of cases.

    A period left empty is the install's default (settings RETENTION_YEARS and
    RETENTION_YEARS_LONG); `clause` names the nomenclature's clause the school follows.
    """

    school = models.OneToOneField(
        "schools.School",
        on_delete=models.CASCADE,
        related_name="retention_rule",
        verbose_name=_("school"),
    )
    appeals = models.PositiveSmallIntegerField(_("appeals and their files"), null=True, blank=True)
    appeals_long = models.PositiveSmallIntegerField(
        _("urgent and referred appeals"), null=True, blank=True
    )
    removal_acts = models.PositiveSmallIntegerField(_("acts of removal"), null=True, blank=True)
    journal = models.PositiveSmallIntegerField(_("journal of openings"), null=True, blank=True)
    protocols = models.PositiveSmallIntegerField(_("protocols"), null=True, blank=True)
    reports = models.PositiveSmallIntegerField(_("quarterly reports"), null=True, blank=True)
    clause = models.CharField(_("clause of the nomenclature of cases"), max_length=300, blank=True)
    # The day the responsible person last confirmed that the papers of the other records past
    # their period (acts of removal, the journal, protocols, reports) are destroyed by the
    # school's own procedure: the to-do line lists only periods that ended after it.
    papers_done_on = models.DateField(null=True, blank=True)
    changed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+", null=True
    )
    changed_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = _("retention periods")
        verbose_name_plural = _("retention periods")

    def __str__(self) -> str:
        return str(self.school)


class DestructionAct(models.Model):
    """The act of destruction of cases past their period, drawn up from a meeting's decision.

    `content` is what the members sign (canonical JSON, as a protocol's): numbers, dates and
    codes of kind, category and outcome, never a text or a name. Once every member of the
    commission that held the meeting has signed it, the cases are destroyed (`destroyed_at`).
    """

    school = models.ForeignKey(
        "schools.School", on_delete=models.CASCADE, related_name="+", verbose_name=_("school")
    )
    meeting = models.ForeignKey(
        "meetings.Meeting",
        on_delete=models.PROTECT,
        related_name="destruction_acts",
        verbose_name=_("meeting"),
    )
    year = models.PositiveSmallIntegerField(_("year"))
    number = models.PositiveIntegerField(_("number"))
    content = models.JSONField(_("content"))
    fingerprint = models.CharField(_("fingerprint"), max_length=64)
    drawn_up_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    drawn_up_at = models.DateTimeField(auto_now_add=True)
    completed_at = models.DateTimeField(_("signed by all"), null=True, blank=True)
    destroyed_at = models.DateTimeField(_("cases destroyed"), null=True, blank=True)
    # Withdrawn by the commission before any case of it was destroyed (e.g. a member left
    # before signing): it destroys nothing, and its cases may go into another act.
    withdrawn_at = models.DateTimeField(_("withdrawn"), null=True, blank=True)
    withdrawn_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+", null=True
    )
    withdrawal_reason = models.CharField(_("reason of the withdrawal"), max_length=300, blank=True)

    class Meta:
        verbose_name = _("act of destruction")
        verbose_name_plural = _("acts of destruction")
        ordering = ["-year", "-number"]
        constraints = [
            models.UniqueConstraint(
                fields=["school", "year", "number"], name="one_destruction_act_per_number"
            ),
            models.UniqueConstraint(fields=["meeting"], name="one_destruction_act_per_meeting"),
        ]

    def __str__(self) -> str:
        return f"{self.number}/{self.year}"

    @property
    def reference(self) -> str:
        """How the registry and the audit log name the act: "destruction act 1/2026"."""
        return f"destruction act {self.number}/{self.year}"


class ActLine(models.Model):
    """One case on an act: which appeal, and whether it is destroyed yet."""

    act = models.ForeignKey(DestructionAct, on_delete=models.CASCADE, related_name="lines")
    position = models.PositiveIntegerField()
    appeal = models.OneToOneField(
        "registry.Appeal", on_delete=models.PROTECT, related_name="destruction_line"
    )
    destroyed_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["position"]

    def __str__(self) -> str:
        return f"{self.act}: {self.position}"


class ActSignature(models.Model):
    """One member's signature of an act of destruction with her signing key (Ed25519)."""

    act = models.ForeignKey(DestructionAct, on_delete=models.PROTECT, related_name="signatures")
    member = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    signed_at = models.DateTimeField(auto_now_add=True)
    fingerprint = models.CharField(max_length=64)
    public_key = models.BinaryField(max_length=32)
    value = models.BinaryField(max_length=64)

    class Meta:
        ordering = ["signed_at", "id"]
        constraints = [
            models.UniqueConstraint(fields=["act", "member"], name="one_act_signature_per_member")
        ]

    def __str__(self) -> str:
        return f"{self.act}: {self.member}"
