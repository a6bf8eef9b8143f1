from __future__ import annotations

from typing import Any, NoReturn, Self, TypeVar

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

# The hash a chain starts from.
GENESIS = "0" * 64


_M = TypeVar("_M", bound=models.Model)


class AppendOnlyQuerySet(models.QuerySet[_M]):
    def for_school(self, school: Any) -> Self:
        return self.filter(school=school)

    def delete(self) -> NoReturn:
        raise TypeError("The audit log is append-only.")

    def update(self, **kwargs: Any) -> NoReturn:
        raise TypeError("The audit log is append-only.")


class AuditEntryQuerySet(AppendOnlyQuerySet["AuditEntry"]):
    pass


class WriterEntryQuerySet(AppendOnlyQuerySet["WriterEntry"]):
    pass


class AppendOnly(models.Model):
    """A row of a hash chain: it is written once and never changed nor removed."""

    class Meta:
        abstract = True

    def save(self, *args: Any, **kwargs: Any) -> None:
        if self.pk is not None:
            raise TypeError("The audit log is append-only.")
        super().save(*args, **kwargs)

    def delete(self, *args: Any, **kwargs: Any) -> NoReturn:
        raise TypeError("The audit log is append-only.")


class AuditEntry(AppendOnly):
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
        indexes = [models.Index(fields=["school", "created_at"], name="audit_entry_school_day")]

    def __str__(self) -> str:
        return f"{self.created_at:%Y-%m-%d %H:%M} {self.action}"

    @property
    def by_writer(self) -> bool:
        """Written for the anonymous writer before writers had a chain of their own."""
        return self.actor_id is None and self.details.get("by") == "writer"


class WriterEntry(AppendOnly):
    """An action of an appeal's anonymous writer: the day only, in a chain of its own.

    Writers' entries have their own table (so their own numbers) and their own chain per
    school, so that neither the number of an entry nor its links place it among the staff's
    actions of that day: only the day is known.
    """

    school = models.ForeignKey(
        "schools.School",
        on_delete=models.PROTECT,
        related_name="+",
        null=True,
        blank=True,
        verbose_name=_("school"),
    )
    action = models.CharField(_("action"), max_length=60)
    target = models.CharField(_("object"), max_length=120, blank=True)
    details = models.JSONField(_("details"), default=dict, blank=True)
    created_at = models.DateTimeField(_("day"))
    prev_hash = models.CharField(max_length=64)
    hash = models.CharField(max_length=64, unique=True)

    raw = models.Manager()
    objects = WriterEntryQuerySet.as_manager()

    # A writer has no account: the log page reads these as it reads a staff entry's.
    actor = None
    actor_id = None
    by_writer = True

    class Meta:
        verbose_name = _("writer's audit entry")
        verbose_name_plural = _("writers' audit entries")
        default_manager_name = "objects"
        ordering = ["id"]
        indexes = [models.Index(fields=["school", "created_at"], name="audit_writer_school_day")]

    def __str__(self) -> str:
        return f"{self.created_at:%Y-%m-%d} {self.action}"


class AuditChain(models.Model):
    """The head of one chain of the audit log, and how far it was last checked in full.

    Every writer of the chain locks this row first, so that two writers at once never chain
    from the same predecessor. A school has two chains (staff, writers); the install has its
    own two for actions of no school. The key is a plain string ("school:12:staff",
    "install:staff") because a unique school of NULL would not be unique.
    """

    class Kind(models.TextChoices):
        STAFF = "staff", _("staff")
        WRITER = "writer", _("writers")

    key = models.CharField(max_length=40, unique=True)
    school = models.ForeignKey(
        "schools.School",
        on_delete=models.PROTECT,
        related_name="+",
        null=True,
        blank=True,
        verbose_name=_("school"),
    )
    kind = models.CharField(_("kind"), max_length=10, choices=Kind.choices)
    count = models.PositiveBigIntegerField(_("entries"), default=0)
    head = models.CharField(_("head"), max_length=64, default=GENESIS)
    # The last full check that found the chain whole (the daily job): entries up to
    # checked_id are whole, the last of them hashing to checked_hash.
    checked_id = models.PositiveBigIntegerField(default=0)
    checked_hash = models.CharField(max_length=64, default=GENESIS)
    checked_count = models.PositiveBigIntegerField(default=0)
    checked_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        verbose_name = _("chain of the audit log")
        verbose_name_plural = _("chains of the audit log")

    def __str__(self) -> str:
        return self.key

    @staticmethod
    def key_for(school: Any, kind: str) -> str:
        return f"install:{kind}" if school is None else f"school:{school.pk}:{kind}"


class ChainDigest(models.Model):
    """A digest of a school's chains as it was mailed: counts and head codes, no content.

    The pages compare the chains with the last digest, and the people who got the mail
    compare the pages with their mail: a chain cut short after a digest shows.
    """

    school = models.ForeignKey(
        "schools.School",
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("school"),
    )
    day = models.DateField(_("day"))
    sent_at = models.DateTimeField(_("sent"))
    # {"box": {"count": 40, "head": "ab12…"}, "log": {"count": …, "head": …, "parts": {…}}}
    heads = models.JSONField(_("heads of the chains"), default=dict)
    mailed = models.PositiveSmallIntegerField(_("people mailed"), default=0)

    class Meta:
        verbose_name = _("digest of the chains")
        verbose_name_plural = _("digests of the chains")
        ordering = ["-sent_at", "-id"]

    def __str__(self) -> str:
        return f"{self.school_id} {self.day}"
