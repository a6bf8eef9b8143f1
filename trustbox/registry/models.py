from __future__ import annotations

import datetime
from typing import TYPE_CHECKING

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

if TYPE_CHECKING:
    from trustbox.accounts.models import User
    from trustbox.schools.models import School

from trustbox.box.envelope import Category, Kind
from trustbox.lib.deadlines import is_overdue


class RegistryKey(models.Model):
    """A school's registry key: appeals taken out of the box are sealed to its public half.

    Its private half is stored only wrapped (sealed) for each member of the commission it
    was made for. A new commission gets a new key (the latest one is in force); the key it
    replaced is sealed to the new one, so that the new commission still reads earlier appeals
    while whoever left the commission reads nothing taken out after they left.
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
    # Emptied when the key is replaced: it then opens only through the key that replaced it.
    sealed_for_box = models.BinaryField()
    # The commission whose members hold this key; None for a key made before keys followed
    # the commission (it is replaced at the next opening or renewal).
    commission = models.ForeignKey(
        "commission.Commission",
        on_delete=models.PROTECT,
        related_name="+",
        null=True,
        blank=True,
        verbose_name=_("commission"),
    )
    # The key this one replaced, its private half sealed to this key.
    previous = models.OneToOneField(
        "self",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="next",
        verbose_name=_("previous key"),
    )
    previous_private_sealed = models.BinaryField(null=True, blank=True)

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
    KIOSK = "kiosk", _("the foyer tablet")
    PAPER = "paper", _("paper")


class Status(models.TextChoices):
    TAKEN_OUT = "taken_out", _("taken out, to register")
    REGISTERED = "registered", _("registered")
    CONSIDERING = "considering", _("under consideration")
    ANSWERED = "answered", _("answered")
    CLOSED = "closed", _("closed")


class Outcome(models.TextChoices):
    RESOLVED = "resolved", _("resolved")
    PSYCHOLOGIST = "psychologist", _("referred to the psychologist")
    SOCIAL_PEDAGOGUE = "social_pedagogue", _("referred to the social pedagogue")
    CLASS_TEACHER = "class_teacher", _("referred to the class teacher")
    INSPECTOR = "inspector", _("referred to the inspector for minors' affairs")
    OTHER_BODY = "other_body", _("referred to another body")
    NOT_CONFIRMED = "not_confirmed", _("not confirmed")
    NO_ACTION = "no_action", _("no action possible")
    PROPOSAL_ACCEPTED = "proposal_accepted", _("proposal accepted")
    PROPOSAL_DECLINED = "proposal_declined", _("proposal declined")
    WITHDRAWN = "withdrawn", _("withdrawn by its writer")


# Waiting for an answer: what deadlines count.
OPEN_STATUSES = (Status.REGISTERED, Status.CONSIDERING)
# Registered and not closed: what officials still work on (an answered appeal may go on).
IN_PROGRESS = (*OPEN_STATUSES, Status.ANSWERED)


class ContentFormat:
    """How an appeal's sealed_content is sealed; every format stays readable.

    SEALED_BOX: a libsodium sealed box, to the registry key (appeals taken out before November
    2026) or, once registered, to the appeal's case key. OPENING_SEALER: to the registry key by
    the opening's one ephemeral key (crypto.sealer_for_registry), until registration.
    """

    SEALED_BOX = 1
    OPENING_SEALER = 2


class AppealQuerySet(models.QuerySet["Appeal"]):
    def for_school(self, school: School) -> AppealQuerySet:
        return self.filter(school=school)

    def visible_to(self, user: User, *, whole_registry: bool) -> AppealQuerySet:
        """Appeals the person may see: all for the commission, else only those assigned."""
        return self if whole_registry else self.filter(assignee=user)

    def to_register(self) -> AppealQuerySet:
        return self.filter(status=Status.TAKEN_OUT)

    def open(self) -> AppealQuerySet:
        return self.filter(status__in=OPEN_STATUSES)


class Appeal(models.Model):
    """An appeal taken out of the box: its content sealed, its progress in plain fields.

    Kind, category, urgency, source, status and dates stay readable for lists and
    statistics; the text, the writer and the attachments are inside ``sealed_content``.
    Until registration the content is sealed to the registry key; registration gives the
    appeal its own case key, so that one appeal can be shared with the official it is
    assigned to without the rest of the registry.
    """

    # The school keeps its own index: on SQLite it holds the appeals of a school in the order of
    # their ids, which the registry's list pages through (newest first) without sorting. The
    # opening, the registry key and the registrar have none: the one appeal per line of an act
    # starts with the opening, and nothing looks appeals up by their registry key or registrar
    # (each index more is one more write per appeal taken in at an opening).
    school = models.ForeignKey(
        "schools.School",
        on_delete=models.CASCADE,
        related_name="appeals",
        verbose_name=_("school"),
    )
    opening = models.ForeignKey(
        "openings.Opening",
        on_delete=models.PROTECT,
        related_name="appeals",
        verbose_name=_("opening"),
        db_index=False,
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
        db_index=False,
    )
    sealed_content = models.BinaryField(_("sealed content"))
    # How sealed_content is sealed: see ContentFormat. Rows made before the format existed are
    # sealed boxes, the default.
    content_format = models.PositiveSmallIntegerField(default=1)
    sealed_appeal = models.OneToOneField(
        "box.SealedAppeal",
        on_delete=models.PROTECT,
        related_name="appeal",
        verbose_name=_("as it was in the box"),
    )
    # The writer's own key for replies (from the envelope): replies are sealed to it, and
    # only the receipt code unlocks its private half.
    writer_public_key = models.BinaryField(max_length=32, null=True, blank=True)

    status = models.CharField(
        _("status"), max_length=20, choices=Status.choices, default=Status.TAKEN_OUT
    )
    register_by = models.DateField(_("to register by"), null=True, blank=True)
    year = models.PositiveSmallIntegerField(_("year of registration"), null=True, blank=True)
    serial = models.PositiveIntegerField(_("number of the year"), null=True, blank=True)
    registered_on = models.DateField(_("registered on"), null=True, blank=True)
    registered_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        related_name="+",
        null=True,
        blank=True,
        verbose_name=_("registered by"),
        db_index=False,
    )
    assignee = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        related_name="assigned_appeals",
        null=True,
        blank=True,
        verbose_name=_("assigned to"),
    )
    due_on = models.DateField(_("answer by"), null=True, blank=True)
    outcome = models.CharField(_("outcome"), max_length=30, choices=Outcome.choices, blank=True)
    answered_on = models.DateField(_("answered on"), null=True, blank=True)
    closed_on = models.DateField(_("closed on"), null=True, blank=True)
    reminded_on = models.DateField(null=True, blank=True)
    case_public_key = models.BinaryField(max_length=32, null=True, blank=True)
    case_private_sealed = models.BinaryField(null=True, blank=True)
    # The writer asked with her receipt code to close her appeal (registry.withdrawal): the
    # day, until the responsible person decides.
    close_asked_on = models.DateField(_("its writer asked to close it on"), null=True, blank=True)
    # The responsible person closed the conversation to the writer's new messages (the reason
    # is in the audit log only).
    messages_closed = models.BooleanField(_("closed to the writer's messages"), default=False)
    # Destroyed by the commission's act (registry/destruction.py): its keys, content, entries'
    # texts and sealed appeal are gone; the plain fields the statistics need stay.
    destroyed_on = models.DateField(_("destroyed on"), null=True, blank=True)
    destruction_act = models.CharField(_("act of destruction"), max_length=100, blank=True)

    objects = AppealQuerySet.as_manager()

    class Meta:
        verbose_name = _("appeal")
        verbose_name_plural = _("appeals")
        ordering = ["opening", "number_in_act"]
        constraints = [
            models.UniqueConstraint(
                fields=["opening", "number_in_act"], name="one_appeal_per_act_line"
            ),
            models.UniqueConstraint(
                fields=["school", "year", "serial"], name="one_registration_number"
            ),
        ]
        indexes = [
            models.Index(fields=["school", "received_on"]),
            models.Index(fields=["school", "status", "due_on"]),
            models.Index(fields=["school", "kind"]),
            models.Index(fields=["school", "category"]),
            models.Index(fields=["school", "-year", "-serial"]),
        ]

    def __str__(self) -> str:
        return self.number or f"{self.opening_id}/{self.number_in_act}"

    @property
    def number(self) -> str:
        """The registration number, e.g. 2026/014, or "" before registration."""
        return f"{self.year}/{self.serial:03d}" if self.year and self.serial else ""

    def is_overdue(self, today: datetime.date) -> bool:
        """Past its deadline: to answer if open, to register if taken out (lib.deadlines)."""
        if self.status in OPEN_STATUSES:
            return is_overdue(self.due_on, today)
        return self.status == Status.TAKEN_OUT and is_overdue(self.register_by, today)


class CaseKey(models.Model):
    """A newer case key of an appeal: made at its first entry after the registry key changed.

    The appeal's own fields hold its first case key (its content is sealed to it). Entries
    written after a rotation of the registry key are sealed to a case key made then, whose
    private half is sealed to the registry key in force only: a member who left, with a copy
    of the database from before and her password, holds no key that opens them.
    """

    appeal = models.ForeignKey(
        "Appeal", on_delete=models.CASCADE, related_name="case_keys", verbose_name=_("appeal")
    )
    public_key = models.BinaryField(max_length=32)
    # The private half, sealed to registry_key (the key in force when this one was made).
    private_sealed = models.BinaryField()
    registry_key = models.ForeignKey(
        RegistryKey, on_delete=models.PROTECT, related_name="+", db_index=False
    )

    class Meta:
        verbose_name = _("case key")
        verbose_name_plural = _("case keys")
        ordering = ["id"]

    def __str__(self) -> str:
        return f"{self.appeal} #{self.pk}"


class CaseGrant(models.Model):
    """One appeal's case key, sealed to the personal key of the official it is assigned to.

    case_key None: the appeal's first case key; else one of its newer keys (one grant each).
    """

    appeal = models.ForeignKey(
        Appeal, on_delete=models.CASCADE, related_name="grants", verbose_name=_("appeal")
    )
    holder = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.CASCADE,
        related_name="case_grants",
        verbose_name=_("holder"),
    )
    sealed_case_private = models.BinaryField()
    case_key = models.ForeignKey(
        CaseKey, on_delete=models.CASCADE, related_name="grants", null=True, blank=True
    )

    class Meta:
        verbose_name = _("access to an appeal")
        verbose_name_plural = _("accesses to appeals")
        constraints = [
            models.UniqueConstraint(
                fields=["appeal", "holder"],
                condition=models.Q(case_key__isnull=True),
                name="one_grant_per_holder",
            ),
            models.UniqueConstraint(
                fields=["case_key", "holder"], name="one_grant_per_holder_and_case_key"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.appeal} → {self.holder}"


class Entry(models.Model):
    """A line of an appeal's file: a note, a decision, a reply or the writer's message.

    Its text is sealed to the appeal's case key; a reply to the writer and the writer's
    own message are also sealed to the writer's key, so that the receipt reads them.
    """

    class Kind(models.TextChoices):
        NOTE = "note", _("internal note")
        DECISION = "decision", _("decision")
        REPLY = "reply", _("reply to the writer")
        WRITER = "writer", _("message from the writer")

    class Channel(models.TextChoices):
        RECEIPT = "receipt", _("through the receipt code")
        PAPER = "paper", _("on paper")
        CONTACT = "contact", _("by the contact the writer gave")
        # For a paper appeal with no writer's name and no receipt: a sheet the school posts
        # in the foyer, naming the appeal by its number only.
        NOTICE = "notice", _("on a reply sheet posted in the foyer")

    appeal = models.ForeignKey(
        Appeal, on_delete=models.CASCADE, related_name="entries", verbose_name=_("appeal")
    )
    kind = models.CharField(_("kind"), max_length=10, choices=Kind.choices)
    channel = models.CharField(_("channel"), max_length=10, choices=Channel.choices, blank=True)
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        related_name="+",
        null=True,
        blank=True,
        verbose_name=_("author"),
    )
    created_on = models.DateField(_("date"))
    sealed_for_case = models.BinaryField()
    # The case key it is sealed to: None for the appeal's first one.
    case_key = models.ForeignKey(
        CaseKey, on_delete=models.PROTECT, related_name="+", null=True, blank=True
    )
    sealed_for_writer = models.BinaryField(null=True, blank=True)
    # False for a writer's message until the day's mail told the officials of it: the mail
    # goes out once a day for the days before, so no flag tells a time finer than the day.
    notified = models.BooleanField(default=True)

    class Meta:
        verbose_name = _("entry of an appeal's file")
        verbose_name_plural = _("entries of appeals' files")
        ordering = ["id"]

    def __str__(self) -> str:
        return f"{self.appeal} {self.kind}"


class RegistrationCounter(models.Model):
    """The last registration number given at a school in a year."""

    school = models.ForeignKey("schools.School", on_delete=models.CASCADE, related_name="+")
    year = models.PositiveSmallIntegerField()
    last = models.PositiveIntegerField(default=0)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["school", "year"], name="one_counter_per_year")
        ]

    def __str__(self) -> str:
        return f"{self.school_id} {self.year}: {self.last}"
