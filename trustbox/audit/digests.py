"""Chain heads that leave the database: a daily digest mailed to people, and its record.

A hash chain shows a changed or removed link, but not a chain cut short at its end with its
head put back: the database only agrees with itself. So the heads of a school's chains (the
box of sealed appeals, the audit log) are mailed every day to the chair and the responsible
person, written in the journal and the act at each opening, and the pages show them next to
the last digest's, for people to compare with what they hold outside the database.

The chains are registered by the apps that own them (the box registers its own in its
AppConfig.ready()), so that this module knows none of the apps above it.
"""

from __future__ import annotations

import datetime
import hashlib
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

from django.db import transaction
from django.utils import timezone, translation
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from trustbox.audit.actions import AuditAction, audit_actions
from trustbox.audit.models import GENESIS, AuditChain, AuditEntry, ChainDigest, WriterEntry
from trustbox.audit.services import MODELS, audit_write
from trustbox.lib.dates import long_date
from trustbox.lib.mail import mail_people

if TYPE_CHECKING:
    from django_stubs_ext import StrOrPromise

    from trustbox.accounts.models import User


@audit_actions(group=gettext_lazy("every action on the chains' digests"))
class ChainAction(AuditAction):
    DIGEST = "chain.digest", gettext_lazy("mailed the daily digest of the chains")


def head_code(head: str) -> str:
    """A short code of a chain head (hex) to compare by eye: XXXX-XXXX-XXXX.

    The same code as the seal code of the box (seal.crypto.chain_code) for the same head.
    """
    text = head[:12].upper()
    return "-".join(text[i : i + 4] for i in range(0, 12, 4))


@dataclass(frozen=True)
class Head:
    """A chain's length and newest link (hex), as a digest records it and people compare it."""

    count: int
    head: str
    # For a head made of several chains (the audit log): each part's [count, head].
    parts: Mapping[str, Sequence[Any]] = field(default_factory=dict)

    @property
    def code(self) -> str:
        return head_code(self.head)

    def as_json(self) -> dict[str, Any]:
        data: dict[str, Any] = {"count": self.count, "head": self.head}
        if self.parts:
            data["parts"] = {name: list(part) for name, part in self.parts.items()}
        return data

    @classmethod
    def from_json(cls, data: Mapping[str, Any]) -> Head:
        return cls(count=int(data["count"]), head=str(data["head"]), parts=data.get("parts", {}))


@dataclass(frozen=True)
class DigestChain:
    """A chain whose head is mailed in the digest and compared on the pages."""

    name: str
    order: int
    label: StrOrPromise  # "The box (appeals sealed)"
    # The head now, or (given a day) as it stood when that day began: a digest made at 7 am
    # must not split the day's appeals and writers' actions into before and after 7 am.
    head: Callable[[Any, datetime.date | None], Head]
    # Is a head recorded earlier still in the chain, at its place?
    holds: Callable[[Any, Head], bool]


_CHAINS: dict[str, DigestChain] = {}


def digest_chain_register(chain: DigestChain) -> None:
    """Add a chain to the digest; called from the owning app's AppConfig.ready()."""
    _CHAINS[chain.name] = chain


def digest_chains() -> list[DigestChain]:
    return sorted(_CHAINS.values(), key=lambda chain: chain.order)


# --- the audit log as one chain of the digest ---------------------------------------------


def _day_start(day: datetime.date) -> datetime.datetime:
    return timezone.make_aware(datetime.datetime.combine(day, datetime.time.min))


def _log_head(staff: tuple[int, str], writer: tuple[int, str]) -> Head:
    combined = hashlib.sha256(f"audit-log|{staff[1]}|{writer[1]}".encode()).hexdigest()
    return Head(
        count=staff[0] + writer[0],
        head=combined,
        parts={AuditChain.Kind.STAFF: list(staff), AuditChain.Kind.WRITER: list(writer)},
    )


def _writers_before(school: Any, day: datetime.date) -> tuple[int, str]:
    """The writers' chain as it stood when the day began: its length and newest hash."""
    before = WriterEntry.objects.filter(school=school, created_at__lt=_day_start(day))
    last = before.order_by("-id").values_list("hash", flat=True).first()
    return before.count(), last or GENESIS


def _head_row(school: Any, kind: str) -> tuple[int, str]:
    row = AuditChain.objects.filter(key=AuditChain.key_for(school, kind)).first()
    return (row.count, row.head) if row else (0, GENESIS)


def log_head(school: Any, day: datetime.date | None = None) -> Head:
    """The head of the school's audit log: now, or with the writers' chain at a day's start.

    Staff actions are counted to the moment: their time is no secret.
    """
    staff = _head_row(school, AuditChain.Kind.STAFF)
    writer = (
        _head_row(school, AuditChain.Kind.WRITER) if day is None else _writers_before(school, day)
    )
    return _log_head(staff, writer)


def log_head_at(entry: AuditEntry) -> Head:
    """The head of the log when this staff entry was written (the writers' at its day's start)."""
    position = AuditEntry.objects.filter(school=entry.school, id__lte=entry.pk).count()
    day = timezone.localtime(entry.created_at).date()
    return _log_head((position, entry.hash), _writers_before(entry.school, day))


def _holds(kind: str, school: Any, count: int, head: str) -> bool:
    if count == 0:
        return True
    model = MODELS[kind]
    found = model.objects.filter(school=school, hash=head).values_list("id", flat=True).first()
    return found is not None and model.objects.filter(school=school, id__lte=found).count() == count


def log_holds(school: Any, recorded: Head) -> bool:
    """Is each part of a recorded head still in its chain, with as many entries before it?"""
    return all(
        _holds(kind, school, int(count), str(head))
        for kind, (count, head) in recorded.parts.items()
    )


LOG_CHAIN = DigestChain(
    name="log",
    order=20,
    label=gettext_lazy("The audit log (entries)"),
    head=log_head,
    holds=log_holds,
)


# --- the digest --------------------------------------------------------------------------


def _lines(
    school_name: str, day: datetime.date, heads: dict[str, Head], whole: bool | None
) -> list[str]:
    """The digest's text in the active language: counts and codes, never any content."""
    language = translation.get_language() or "ky"
    lines = [
        _(
            "Daily digest of the chains of the Trust Box of %(school)s, %(day)s. It holds no "
            "content of any appeal."
        )
        % {"school": school_name, "day": long_date(day, language)}
    ]
    for chain in digest_chains():
        head = heads[chain.name]
        lines.append(
            _("%(label)s: %(count)d, head code %(code)s.")
            % {"label": chain.label, "count": head.count, "code": head.code}
        )
    if whole is True:
        lines.append(_("The audit log was checked in full today: its chains are whole."))
    elif whole is False:
        lines.append(
            _(
                "The audit log was checked in full today and its chains are BROKEN: open the "
                "audit log page and tell the director and the operator."
            )
        )
    lines.append(
        _(
            "Keep this message. The audit log page and the opening page show the last digest's "
            "counts and codes: they must be the ones in this message, and the counts only "
            "grow. If a count went down or a code differs, tell the director and the operator "
            "at once: appeals or entries may have been removed."
        )
    )
    return lines


def digest_send(
    *, school: Any, today: datetime.date, recipients: Sequence[User], whole: bool | None = None
) -> ChainDigest | None:
    """Mail the day's digest of the school's chains, then keep a record of what was mailed.

    The appeals in the box and the writers' actions are counted as they stood when the day
    began; the staff's actions to the moment. Nothing is recorded if nobody can be mailed;
    a failing mail server raises OSError and records nothing. The mail goes out before the
    record and its audit entry are written, so that no chain stays locked while the mail
    server answers: the log's count on the pages is one more than the digest's, its entry.
    """
    people = [person for person in recipients if person.email]
    if not people:
        return None
    heads = {chain.name: chain.head(school, today) for chain in digest_chains()}
    mailed = mail_people(
        people,
        subject=lambda: (
            _("Trust Box: daily digest of the chains, %(school)s") % {"school": school.name}
        ),
        template="audit/mail/chain_digest",
        context=lambda: {"lines": _lines(school.name, today, heads, whole)},
    )
    with transaction.atomic():
        digest = ChainDigest.objects.create(
            school=school,
            day=today,
            sent_at=timezone.now(),
            heads={name: head.as_json() for name, head in heads.items()},
            mailed=mailed,
        )
        audit_write(
            school=school,
            actor=None,
            action=ChainAction.DIGEST,
            details={"mailed": mailed},
        )
    return digest


# --- what the pages show -----------------------------------------------------------------


@dataclass(frozen=True)
class ChainStatus:
    """One chain now, next to the last digest's record of it."""

    chain: DigestChain
    now: Head
    then: Head | None
    holds: bool  # the digest's head is still in the chain, at its place

    @property
    def since(self) -> int | None:
        return None if self.then is None else self.now.count - self.then.count

    @property
    def went_down(self) -> bool:
        return self.then is not None and self.now.count < self.then.count

    @property
    def cut(self) -> bool:
        return self.then is not None and not self.holds


@dataclass(frozen=True)
class DigestStatus:
    digest: ChainDigest | None
    chains: list[ChainStatus]

    @property
    def alarm(self) -> bool:
        return any(status.went_down or status.cut for status in self.chains)


def digest_status(*, school: Any) -> DigestStatus:
    """The school's chains now and at the last digest, and whether the digest still holds."""
    digest = ChainDigest.objects.filter(school=school).order_by("-sent_at", "-id").first()
    recorded = digest.heads if digest else {}
    statuses = []
    for chain in digest_chains():
        then = Head.from_json(recorded[chain.name]) if chain.name in recorded else None
        statuses.append(
            ChainStatus(
                chain=chain,
                now=chain.head(school, None),
                then=then,
                holds=then is None or chain.holds(school, then),
            )
        )
    return DigestStatus(digest=digest, chains=statuses)
