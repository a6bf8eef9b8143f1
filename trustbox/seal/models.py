from __future__ import annotations

from typing import TYPE_CHECKING

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

if TYPE_CHECKING:
    from trustbox.schools.models import School


class MemberKey(models.Model):
    """A commission member's personal key pair; the private half is locked by their password."""

    user = models.OneToOneField(
        settings.AUTH_USER_MODEL,
        on_delete=models.CASCADE,
        related_name="member_key",
        verbose_name=_("member"),
    )
    public_key = models.BinaryField(_("public key"), max_length=32)
    locked_private_key = models.BinaryField(_("locked private key"))
    created_at = models.DateTimeField(_("created"), auto_now_add=True)

    class Meta:
        verbose_name = _("member key")
        verbose_name_plural = _("member keys")

    def __str__(self) -> str:
        return str(self.user)


class BoxKeyQuerySet(models.QuerySet["BoxKey"]):
    def current(self, school: School) -> BoxKey | None:
        return self.filter(school=school, retired_at__isnull=True).order_by("-id").first()


class BoxKey(models.Model):
    """The public half of a school's box key, and how its private half was split.

    The private half is never stored: only the members' sealed shares are, and the
    reserve shares are printed once for the school safe.
    """

    school = models.ForeignKey(
        "schools.School",
        on_delete=models.CASCADE,
        related_name="box_keys",
        verbose_name=_("school"),
    )
    commission = models.ForeignKey(
        "commission.Commission",
        on_delete=models.PROTECT,
        related_name="box_keys",
        verbose_name=_("commission"),
    )
    public_key = models.BinaryField(_("public key"), max_length=32)
    threshold = models.PositiveSmallIntegerField(_("shares needed to open"))
    member_shares = models.PositiveSmallIntegerField(_("member shares"))
    reserve_shares = models.PositiveSmallIntegerField(_("reserve shares"))
    # The SLIP-39 identifier common to every share of this key (not secret): tells a part of
    # this key from a part of a key it replaced. Unknown for keys made before it was kept.
    share_identifier = models.PositiveIntegerField(null=True, blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("created by"),
    )
    created_at = models.DateTimeField(_("created"), auto_now_add=True)
    retired_at = models.DateTimeField(_("retired"), null=True, blank=True)
    # The key this one replaced, its private half sealed to this key: appeals still sealed
    # under the old key open with this key's quorum.
    previous = models.OneToOneField(
        "self",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="next",
        verbose_name=_("previous key"),
    )
    previous_private_sealed = models.BinaryField(null=True, blank=True)

    objects = BoxKeyQuerySet.as_manager()

    class Meta:
        verbose_name = _("box key")
        verbose_name_plural = _("box keys")

    def __str__(self) -> str:
        return f"{self.school}: {self.threshold}/{self.member_shares}+{self.reserve_shares}"


class KeyShare(models.Model):
    """One member's share of a box key, sealed to that member's personal key."""

    box_key = models.ForeignKey(
        BoxKey, on_delete=models.CASCADE, related_name="shares", verbose_name=_("box key")
    )
    holder = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        related_name="key_shares",
        verbose_name=_("holder"),
    )
    sealed_share = models.BinaryField(_("sealed share"))

    class Meta:
        verbose_name = _("key share")
        verbose_name_plural = _("key shares")
        constraints = [
            models.UniqueConstraint(fields=["box_key", "holder"], name="one_share_per_holder")
        ]

    def __str__(self) -> str:
        return f"{self.box_key} → {self.holder}"


class SigningKey(models.Model):
    """A member's Ed25519 signing key; the private half is locked under their password.

    One key per member signs protocols and the quarterly reports (keyring.signing_key_unlock).

    Made the first time the member signs. A key whose password was reset (the old password no
    longer opens it) is retired: its private half is dropped and its public half stays, since
    every signature keeps the public key it was made with.
    """

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.CASCADE,
        related_name="signing_keys",
        verbose_name=_("member"),
    )
    public_key = models.BinaryField(_("public key"), max_length=32)
    locked_private_key = models.BinaryField(_("locked private key"))
    created_at = models.DateTimeField(_("created"), auto_now_add=True)
    retired_at = models.DateTimeField(_("retired"), null=True, blank=True)

    class Meta:
        db_table = "meetings_signingkey"  # moved from meetings, its rows kept
        verbose_name = _("signing key")
        verbose_name_plural = _("signing keys")
        constraints = [
            models.UniqueConstraint(
                fields=["user"],
                condition=models.Q(retired_at__isnull=True),
                name="one_signing_key_in_use",
            )
        ]

    def __str__(self) -> str:
        return str(self.user)
