"""Meetings of the commission (cl. 4.3, 4.5), their protocols and the members' signatures."""

from __future__ import annotations

from typing import TYPE_CHECKING

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

if TYPE_CHECKING:
    from trustbox.schools.models import School


class MeetingQuerySet(models.QuerySet["Meeting"]):
    def for_school(self, school: School) -> MeetingQuerySet:
        return self.filter(school=school)

    def held(self) -> MeetingQuerySet:
        return self.filter(status=Meeting.Status.HELD)

    def upcoming(self) -> MeetingQuerySet:
        return self.filter(status=Meeting.Status.SCHEDULED)


class Meeting(models.Model):
    """A meeting of the commission: when and where, its agenda, who came and what it decided.

    Meetings belong to the school: a commission replaced by a new order leaves its meetings in
    the school's record, and the new commission's meetings count in the same half-year.
    """

    class Kind(models.TextChoices):
        FIRST_SESSION = "first_session", _("first session")
        REGULAR = "regular", _("meeting")

    class Status(models.TextChoices):
        SCHEDULED = "scheduled", _("scheduled")
        HELD = "held", _("held")
        CANCELLED = "cancelled", _("cancelled")

    school = models.ForeignKey(
        "schools.School",
        on_delete=models.CASCADE,
        related_name="meetings",
        verbose_name=_("school"),
    )
    commission = models.ForeignKey(
        "commission.Commission",
        on_delete=models.PROTECT,
        related_name="meetings",
        verbose_name=_("commission"),
    )
    kind = models.CharField(_("kind"), max_length=20, choices=Kind.choices, default=Kind.REGULAR)
    status = models.CharField(
        _("status"), max_length=20, choices=Status.choices, default=Status.SCHEDULED
    )
    held_on = models.DateField(_("date"))
    starts_at = models.TimeField(_("time"), null=True, blank=True)
    place = models.CharField(_("place"), max_length=200, blank=True)
    # The first session's open vote, kept by the commission app (cl. 4.5).
    election = models.OneToOneField(
        "commission.Election",
        on_delete=models.PROTECT,
        related_name="meeting",
        null=True,
        blank=True,
        verbose_name=_("election of chair and secretary"),
    )
    scheduled_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("scheduled by"),
    )
    scheduled_at = models.DateTimeField(_("scheduled"), auto_now_add=True)

    objects = MeetingQuerySet.as_manager()

    class Meta:
        verbose_name = _("meeting of the commission")
        verbose_name_plural = _("meetings of the commission")
        ordering = ["-held_on", "-starts_at", "-id"]
        indexes = [models.Index(fields=["school", "status", "held_on"])]

    def __str__(self) -> str:
        return f"{self.school} {self.held_on:%Y-%m-%d}"


class Attendance(models.Model):
    """Whether one member of the meeting's commission was present."""

    meeting = models.ForeignKey(
        Meeting, on_delete=models.CASCADE, related_name="attendance", verbose_name=_("meeting")
    )
    member = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("member"),
    )
    present = models.BooleanField(_("present"), default=False)

    class Meta:
        verbose_name = _("attendance")
        verbose_name_plural = _("attendance")
        ordering = ["member__full_name"]
        constraints = [
            models.UniqueConstraint(fields=["meeting", "member"], name="one_attendance_per_member")
        ]

    def __str__(self) -> str:
        return f"{self.member}: {self.present}"


class AgendaItem(models.Model):
    """One item of a meeting's agenda: free text, or a reference of a registered kind.

    A reference names a thing by its number only (an appeal by its registration number, an
    opening by its line in the journal), never by its content: see agenda.py for the kinds.
    """

    meeting = models.ForeignKey(
        Meeting, on_delete=models.CASCADE, related_name="agenda", verbose_name=_("meeting")
    )
    position = models.PositiveSmallIntegerField(_("№"))
    kind = models.CharField(_("kind"), max_length=30, default="free")
    ref_id = models.PositiveBigIntegerField(null=True, blank=True)
    # What the protocol writes for the reference ("2026/014"), fixed when the item is added.
    reference = models.CharField(_("reference"), max_length=100, blank=True)
    # Only for items written before the record was sealed and not sealed yet (sealing.py).
    title = models.CharField(_("item"), max_length=300, blank=True)
    # The chair's words of the item, sealed to the registry key (sealing.py), or None.
    sealed_title = models.JSONField(null=True, blank=True)

    class Meta:
        verbose_name = _("agenda item")
        verbose_name_plural = _("agenda items")
        ordering = ["position"]
        constraints = [
            models.UniqueConstraint(fields=["meeting", "position"], name="one_item_per_position")
        ]

    def __str__(self) -> str:
        return f"{self.position}. {self.title or self.kind}"


class Decision(models.Model):
    """A decision the meeting took, with its open vote counted."""

    meeting = models.ForeignKey(
        Meeting, on_delete=models.CASCADE, related_name="decisions", verbose_name=_("meeting")
    )
    item = models.ForeignKey(
        AgendaItem,
        on_delete=models.SET_NULL,
        related_name="decisions",
        null=True,
        blank=True,
        verbose_name=_("agenda item"),
    )
    position = models.PositiveSmallIntegerField(_("№"))
    # Only for decisions written before the record was sealed and not sealed yet (sealing.py).
    text = models.TextField(_("decision"), blank=True)
    # The decision's words, sealed to the registry key (sealing.py).
    sealed_text = models.JSONField(null=True, blank=True)
    votes_for = models.PositiveSmallIntegerField(_("for"))
    votes_against = models.PositiveSmallIntegerField(_("against"))
    votes_abstained = models.PositiveSmallIntegerField(_("abstained"))
    adopted = models.BooleanField(_("adopted"))

    class Meta:
        verbose_name = _("decision")
        verbose_name_plural = _("decisions")
        ordering = ["position"]
        constraints = [
            models.UniqueConstraint(
                fields=["meeting", "position"], name="one_decision_per_position"
            )
        ]

    def __str__(self) -> str:
        return f"{self.position}. {self.meeting_id}"


class ProtocolQuerySet(models.QuerySet["Protocol"]):
    def for_school(self, school: School) -> ProtocolQuerySet:
        return self.filter(school=school)

    def in_force(self) -> ProtocolQuerySet:
        """Protocols not replaced by a correction."""
        return self.filter(corrected_by__isnull=True)


class Protocol(models.Model):
    """The protocol of a meeting: its content frozen as drafted, numbered per school and year.

    `content` is what the members sign (its canonical serialisation, see content.py); the
    documents and pages are written from it, not from the meeting, so that what is shown is
    what was signed. Its free text (the discussion, the decisions, the agenda's own words, a
    correction's reason) is in it only sealed to the registry key (sealing.py), so that a
    signature covers the sealed text and is checked without opening it. A draft follows the
    meeting until the first signature; from then on it cannot change, and a correction is a new
    protocol that names the one it corrects.
    """

    school = models.ForeignKey(
        "schools.School",
        on_delete=models.CASCADE,
        related_name="protocols",
        verbose_name=_("school"),
    )
    meeting = models.ForeignKey(
        Meeting, on_delete=models.PROTECT, related_name="protocols", verbose_name=_("meeting")
    )
    year = models.PositiveSmallIntegerField(_("year"))
    number = models.PositiveIntegerField(_("number"))
    content = models.JSONField(_("content"))
    fingerprint = models.CharField(_("fingerprint"), max_length=64)
    # The fingerprint of the content in clear, for a protocol signed before its text was sealed:
    # those signatures are over the clear text and are checked in full only once it is opened.
    legacy_fingerprint = models.CharField(max_length=64, blank=True)
    verify_code = models.CharField(_("verification code"), max_length=16, unique=True)
    corrects = models.OneToOneField(
        "self",
        on_delete=models.PROTECT,
        related_name="corrected_by",
        null=True,
        blank=True,
        verbose_name=_("corrects"),
    )
    drafted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("drafted by"),
    )
    drafted_at = models.DateTimeField(_("drafted"), auto_now_add=True)
    completed_at = models.DateTimeField(_("signed by all"), null=True, blank=True)

    objects = ProtocolQuerySet.as_manager()

    class Meta:
        verbose_name = _("protocol")
        verbose_name_plural = _("protocols")
        ordering = ["-year", "-number"]
        constraints = [
            models.UniqueConstraint(
                fields=["school", "year", "number"], name="one_protocol_per_number"
            )
        ]

    def __str__(self) -> str:
        return f"№ {self.number} ({self.year})"

    @property
    def verify_code_display(self) -> str:
        code = self.verify_code
        return "-".join(code[i : i + 4] for i in range(0, len(code), 4))


class ProtocolScan(models.Model):
    """A scan of the paper page of a protocol that a member signed by hand.

    Kept in the database in clear, not sealed: what a member signs on paper is the sheet of
    signatures (the printout's last page, with the names, the code and the fingerprint); a
    scan of any other page would hold the sealed text in clear, so only those who read the
    protocol see scans (rules.py). Its camera and location data are stripped when it is taken
    in (box.attachments.clean_attachment). In the database, not in a file, it is backed up
    with the protocol and nothing is left on disk.
    """

    protocol = models.ForeignKey(
        Protocol, on_delete=models.CASCADE, related_name="scans", verbose_name=_("protocol")
    )
    name = models.CharField(_("file name"), max_length=100)
    content_type = models.CharField(_("type"), max_length=50)
    data = models.BinaryField(_("file"))
    sha256 = models.CharField(max_length=64)
    attached_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("attached by"),
    )
    attached_at = models.DateTimeField(_("attached"), auto_now_add=True)

    class Meta:
        verbose_name = _("scan of a signed sheet")
        verbose_name_plural = _("scans of signed sheets")

    def __str__(self) -> str:
        return self.name


class Signature(models.Model):
    """One member's signature of a protocol: digital (Ed25519) or on paper, with its scan."""

    class Method(models.TextChoices):
        DIGITAL = "digital", _("digital signature")
        PAPER = "paper", _("on paper, scan attached")

    protocol = models.ForeignKey(
        Protocol, on_delete=models.PROTECT, related_name="signatures", verbose_name=_("protocol")
    )
    member = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("member"),
    )
    method = models.CharField(_("how"), max_length=10, choices=Method.choices)
    signed_at = models.DateTimeField(_("signed"), auto_now_add=True)
    # The fingerprint of the content the member signed (or whose printout they signed).
    fingerprint = models.CharField(_("fingerprint"), max_length=64)
    public_key = models.BinaryField(max_length=32, null=True, blank=True)
    value = models.BinaryField(max_length=64, null=True, blank=True)
    scan = models.OneToOneField(
        ProtocolScan,
        on_delete=models.PROTECT,
        related_name="signature",
        null=True,
        blank=True,
        verbose_name=_("scan"),
    )

    class Meta:
        verbose_name = _("signature")
        verbose_name_plural = _("signatures")
        ordering = ["signed_at", "id"]
        constraints = [
            models.UniqueConstraint(fields=["protocol", "member"], name="one_signature_per_member")
        ]

    def __str__(self) -> str:
        return f"{self.protocol}: {self.member}"
