"""The commission's words at rest: sealed to the registry key, opened only by those who hold it.

What a meeting discussed and decided, the agenda's own words and a correction's reason are
free text that may name a child or an incident. Each piece is sealed on its own to the school's
registry key in force (registry.sealing), as `{"to": <public key>, "sealed": <sealed box>}`,
wherever it is kept: in an agenda item, a decision, or a protocol's content. Sealing needs only
the public key, so the secretary records a decision without unlocking anything; opening needs
the registry key, which only members of the commission in force hold (rules.may_read_record),
unlocked in their browser (registry.session). The rest of a meeting (its date, place, who came,
agenda references by number, the votes' counts, the signatures) stays in clear for everyone
who may see that the meeting happened.
"""

from __future__ import annotations

import base64
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from django.core.exceptions import ValidationError
from django.db.models import Q
from django.utils.translation import gettext as _

from trustbox.accounts.models import User
from trustbox.audit.services import audit_write
from trustbox.meetings.actions import MeetingAction
from trustbox.meetings.content import FORMAT_CLEAR, content_fingerprint, content_seal
from trustbox.meetings.models import AgendaItem, Decision, Protocol
from trustbox.registry.keys import registry_holds, registry_private_from_personal
from trustbox.registry.sealing import commission_private_for, registry_key_for_sealing
from trustbox.schools.models import School
from trustbox.seal import crypto

SealedText = str | dict[str, str]


def sealed_to(public: bytes, text: str) -> dict[str, str]:
    """One piece of text sealed to a registry public key."""
    return {
        "to": base64.b64encode(public).decode(),
        "sealed": base64.b64encode(crypto.seal_for_commission(public, text.encode())).decode(),
    }


def is_sealed(value: Any) -> bool:
    return isinstance(value, dict) and set(value) == {"to", "sealed"}


def _registry_public(school: School, by: User | None) -> bytes:
    registry_key = registry_key_for_sealing(school=school, by=by)
    if registry_key is None:
        raise ValidationError(
            _(
                "What the commission writes is sealed to its key: make the box key on the "
                "Digital seal page first."
            )
        )
    public = bytes(registry_key.public_key)
    record_seal_leftovers(school=school, by=by, public=public)
    return public


def record_seal(*, school: School, by: User | None, text: str) -> SealedText:
    """Seal a piece of the record to the registry key in force ("" stays "")."""
    text = text.strip()
    if not text:
        return ""
    return sealed_to(_registry_public(school, by), text)


def record_sealer(*, school: School, by: User | None) -> Callable[[str], SealedText]:
    """Seal several pieces to the registry key in force, looked up once."""
    public = _registry_public(school, by)
    return lambda text: sealed_to(public, text.strip()) if text.strip() else ""


@dataclass
class RecordOpener:
    """Opens the commission's sealed words with one official's unlocked registry key."""

    school: School
    registry_private: bytes = field(repr=False)
    _keys: dict[bytes, bytes] = field(default_factory=dict, repr=False)

    def text(self, value: SealedText | None) -> str:
        """The text of a sealed piece; a piece in clear (not sealed yet) as it is."""
        if not is_sealed(value):
            return str(value or "")
        assert isinstance(value, dict)
        public = base64.b64decode(value["to"])
        if public not in self._keys:
            self._keys[public] = commission_private_for(
                school=self.school, public=public, registry_private=self.registry_private
            )
        sealed = base64.b64decode(value["sealed"])
        return crypto.open_with_commission_key(self._keys[public], sealed).decode()

    def content(self, value: Any) -> Any:
        """A protocol's content with every sealed piece opened, as it was before sealing."""
        if is_sealed(value):
            return self.text(value)
        if isinstance(value, dict):
            return {key: self.content(inner) for key, inner in value.items()}
        if isinstance(value, list):
            return [self.content(inner) for inner in value]
        return value


def record_opener(*, school: School, user: User, personal: bytes | None) -> RecordOpener | None:
    """The opener of the school's record for an official whose personal key is unlocked.

    None unless she holds the registry key in force (a member of the commission in force).
    """
    if personal is None or not registry_holds(school=school, user=user):
        return None
    try:
        private = registry_private_from_personal(school=school, user=user, personal=personal)
    except (ValidationError, crypto.SealError):
        return None
    return RecordOpener(school=school, registry_private=private)


def record_read_audit(*, opener: RecordOpener, by: User, target: Any, purpose: str) -> None:
    """Every reading of the commission's sealed words names the official (cl. 5.1)."""
    audit_write(
        school=opener.school,
        actor=by,
        action=MeetingAction.READ,
        target=target,
        details={"purpose": purpose},
    )


def record_seal_leftovers(*, school: School, by: User | None, public: bytes) -> int:
    """Seal what was written in clear before the record was sealed; return how many pieces.

    The migration seals everything of schools that had a registry key; a school that had none
    keeps its earlier words in clear until its first sealing (or the daily job) comes here.
    """
    count = 0
    for item in AgendaItem.objects.filter(meeting__school=school).exclude(title=""):
        item.sealed_title, item.title = sealed_to(public, item.title), ""
        item.save(update_fields=["sealed_title", "title"])
        count += 1
    for decision in Decision.objects.filter(meeting__school=school).exclude(text=""):
        decision.sealed_text, decision.text = sealed_to(public, decision.text), ""
        decision.save(update_fields=["sealed_text", "text"])
        count += 1
    for protocol in Protocol.objects.filter(school=school).filter(_clear_protocols()):
        count += protocol_content_seal(protocol, lambda text: sealed_to(public, text))
    if count:
        audit_write(
            school=school,
            actor=by,
            action=MeetingAction.SEAL_LEFTOVERS,
            details={"pieces": count},
        )
    return count


def record_seal_leftovers_everywhere() -> int:
    """The daily job: seal the clear words of every school that can seal now; count pieces."""
    schools = set(AgendaItem.objects.exclude(title="").values_list("meeting__school", flat=True))
    schools |= set(Decision.objects.exclude(text="").values_list("meeting__school", flat=True))
    schools |= set(Protocol.objects.filter(_clear_protocols()).values_list("school", flat=True))
    count = 0
    for school in School.objects.filter(pk__in=schools).order_by("pk"):
        registry_key = registry_key_for_sealing(school=school, by=None)
        if registry_key is not None:
            count += record_seal_leftovers(
                school=school, by=None, public=bytes(registry_key.public_key)
            )
    return count


def _clear_protocols() -> Q:
    """Protocols whose content may still hold free text in clear (written before sealing)."""
    return Q(content__format=FORMAT_CLEAR)


def protocol_content_seal(protocol: Protocol, seal: Callable[[str], SealedText]) -> int:
    """Seal a protocol's free text in place; keep the clear fingerprint its signatures cover."""
    content, count = content_seal(protocol.content, seal)
    fingerprint = content_fingerprint(content)
    if protocol.signatures.exists() and not protocol.legacy_fingerprint:
        protocol.legacy_fingerprint = protocol.fingerprint
    protocol.content, protocol.fingerprint = content, fingerprint
    protocol.save(update_fields=["content", "fingerprint", "legacy_fingerprint"])
    return count
