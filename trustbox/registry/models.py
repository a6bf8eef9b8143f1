from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from trustbox.box.envelope import Category, Kind


class RegistryKey(models.Model):
    """A school's registry key: appeals taken out of the box are sealed to its public half.

    Its private half is stored only wrapped (sealed) for each authorised official.
    """

    school = models.ForeignKey(
        "schools.School",
        on_delete=models.CASCADE,
        related_name="registry_keys",
        verbose_name=_("school"),
    )
    public_key = models.BinaryField(_("public key"), max_length=32)
    created_at = models.DateTimeField(_("created"), auto_now_add=True)
    # The private key sealed to the box key too, so that a quorum that opens the box can
    # wrap it for members appointed later.
    box_key = models.ForeignKey(
        "seal.BoxKey", on_delete=models.PROTECT, related_name="+", verbose_name=_("box key")
    )
    sealed_for_box = models.BinaryField()

    class Meta:
        verbose_name = _("registry key")
        verbose_name_plural = _("registry keys")

    def __str__(self) -> str:
        return f"{self.school} ({self.created_at:%Y-%m-%d})"


class RegistryKeyWrap(models.Model):
    """The registry private key, sealed to one official's personal key."""

    registry_key = models.ForeignKey(
        RegistryKey, on_delete=models.CASCADE, related_name="wraps", verbose_name=_("registry key")
    )
    holder = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.CASCADE,
        related_name="registry_wraps",
        verbose_name=_("holder"),
    )
    sealed_private_key = models.BinaryField(_("sealed private key"))

    class Meta:
        verbose_name = _("registry key wrap")
        verbose_name_plural = _("registry key wraps")
        constraints = [
            models.UniqueConstraint(fields=["registry_key", "holder"], name="one_wrap_per_holder")
        ]

    def __str__(self) -> str:
        return f"{self.registry_key} → {self.holder}"


class Source(models.TextChoices):
    ONLINE = "online", _("online")
    PAPER = "paper", _("paper")


class Appeal(models.Model):
    """An appeal taken out of the box: its content sealed to the registry key.

    Kind, category, urgency and source stay readable for lists and statistics; the text,
    the writer and the attachments are inside ``sealed_content``.
    """

    school = models.ForeignKey(
        "schools.School", on_delete=models.CASCADE, related_name="appeals", verbose_name=_("school")
    )
    opening = models.ForeignKey(
        "openings.Opening",
        on_delete=models.PROTECT,
        related_name="appeals",
        verbose_name=_("opening"),
    )
    number_in_act = models.PositiveIntegerField(_("№ in the act"))
    source = models.CharField(_("source"), max_length=10, choices=Source.choices)
    received_on = models.DateField(_("received on"))
    kind = models.CharField(_("kind"), max_length=20, choices=Kind.choices)
    category = models.CharField(_("category"), max_length=30, choices=Category.choices)
    urgent = models.BooleanField(_("urgent"), default=False)
    signed = models.BooleanField(_("signed"), default=False)
    registry_key = models.ForeignKey(
        RegistryKey,
        on_delete=models.PROTECT,
        related_name="appeals",
        verbose_name=_("registry key"),
    )
    sealed_content = models.BinaryField(_("sealed content"))
    sealed_appeal = models.OneToOneField(
        "box.SealedAppeal",
        on_delete=models.PROTECT,
        related_name="appeal",
        verbose_name=_("as it was in the box"),
    )

    class Meta:
        verbose_name = _("appeal")
        verbose_name_plural = _("appeals")
        ordering = ["opening", "number_in_act"]
        constraints = [
            models.UniqueConstraint(
                fields=["opening", "number_in_act"], name="one_appeal_per_act_line"
            )
        ]
        indexes = [models.Index(fields=["school", "received_on"])]

    def __str__(self) -> str:
        return f"{self.opening_id}/{self.number_in_act}"
