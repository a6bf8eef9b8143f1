"""What a writer puts in the box, as one envelope that is sealed whole."""

from __future__ import annotations

import base64
import json
from dataclasses import asdict, dataclass, field
from typing import NamedTuple

from django.db import models
from django.utils.translation import gettext_lazy as _

from trustbox.seal import crypto

ONLINE, KIOSK = "online", "kiosk"


class Kind(models.TextChoices):
    PROPOSAL = "proposal", _("Proposal")
    REQUEST = "request", _("Request")
    APPLICATION = "application", _("Application or report")
    COMPLAINT = "complaint", _("Complaint")
    MESSAGE = "message", _("Message")
    GRATITUDE = "gratitude", _("Gratitude")


class Category(models.TextChoices):
    BULLYING = "bullying", _("Bullying")
    VIOLENCE = "violence", _("Violence")
    EXTORTION = "extortion", _("Extortion and money collection")
    TEACHER_CONDUCT = "teacher_conduct", _("Teacher conduct")
    LEARNING = "learning", _("Learning")
    CANTEEN = "canteen", _("Canteen and food")
    SAFETY = "safety", _("Safety and buildings")
    HEALTH = "health", _("Health and psychological state")
    FAMILY = "family", _("Family difficulties")
    SCHOOL_LIFE = "school_life", _("Proposals for school life")
    OTHER = "other", _("Other")


@dataclass(frozen=True)
class Attachment:
    name: str
    content_type: str
    data: bytes


@dataclass(frozen=True)
class Writer:
    """A signed appeal's author, as they chose to give themselves."""

    name: str
    class_or_role: str = ""
    contact: str = ""


@dataclass(frozen=True)
class Envelope:
    kind: str
    category: str
    text: str
    urgent: bool = False
    writer: Writer | None = None
    language: str = "ky"
    attachments: list[Attachment] = field(default_factory=list)
    # The writer's key for replies (base64), sealed inside so nobody can swap it unseen.
    reply_public: str = ""
    # Where it was written: ONLINE (the writer's own device) or KIOSK (the foyer tablet).
    # Sealed inside: only the opening tells the registry, never the box's plain rows.
    channel: str = "online"

    VERSION = 1

    def to_bytes(self) -> bytes:
        """The envelope as it is sealed: JSON, padded with spaces to one of a few sizes.

        JSON allows white space after the value, so an envelope read back (from_bytes,
        EnvelopeFacts) is the same padded or not, and envelopes sealed before the padding
        open as they always did.
        """
        body = asdict(self)
        body["v"] = self.VERSION
        body["attachments"] = [
            {
                "name": a.name,
                "content_type": a.content_type,
                "data": base64.b64encode(a.data).decode(),
            }
            for a in self.attachments
        ]
        raw = json.dumps(body, ensure_ascii=False, separators=(",", ":")).encode()
        return raw.ljust(crypto.padded_length(len(raw)), b" ")

    @classmethod
    def from_bytes(cls, raw: bytes) -> Envelope:
        body = json.loads(raw)
        body.pop("v", None)
        writer = body.pop("writer")
        attachments = [
            Attachment(a["name"], a["content_type"], base64.b64decode(a["data"]))
            for a in body.pop("attachments")
        ]
        return cls(**body, writer=Writer(**writer) if writer else None, attachments=attachments)


class EnvelopeFacts(NamedTuple):
    """What the registry keeps of an envelope in plain fields, read without its attachments."""

    kind: str
    category: str
    urgent: bool
    signed: bool
    reply_public: str
    channel: str

    @classmethod
    def from_bytes(cls, raw: bytes) -> EnvelopeFacts:
        body = json.loads(raw)
        return cls(
            body["kind"],
            body["category"],
            bool(body.get("urgent")),
            body.get("writer") is not None,
            body.get("reply_public", ""),
            body.get("channel", ONLINE),
        )


# What a browser may put in an envelope's files: photos re-drawn from their pixels (seal.js).
BROWSER_PICTURE_TYPES = {"image/jpeg": b"\xff\xd8\xff", "image/png": b"\x89PNG\r\n\x1a\n"}


def envelope_holds(raw: bytes) -> bool:
    """Is this opened plaintext an envelope the registry can take in?

    The server made every envelope it sealed itself; one sealed in a browser was made by code
    the server cannot check at its end, so the opening checks its form: JSON with a kind and a
    category of the lists, a text, the writer's key (32 bytes), a known channel, and only
    pictures as files. One that does not hold is set aside like one that does not open.
    """
    try:
        body = json.loads(raw)
        envelope = Envelope.from_bytes(raw)
        reply = base64.b64decode(envelope.reply_public, validate=True)
    except (ValueError, TypeError, KeyError, AttributeError):
        return False
    return (
        isinstance(body, dict)
        and envelope.kind in Kind.values
        and envelope.category in Category.values
        and isinstance(envelope.text, str)
        and bool(envelope.text.strip())
        and len(reply) == crypto.KEY_BYTES
        and envelope.channel in (ONLINE, KIOSK)
        and all(
            a.data.startswith(BROWSER_PICTURE_TYPES.get(a.content_type, b"\x00\x00bad"))
            for a in envelope.attachments
        )
    )
