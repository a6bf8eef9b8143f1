"""What an opening found, in the school's words: one sentence and a small line of fingerprints.

The act of removal and the journal of openings say in one plain sentence whether the digital
seal and the audit log were found whole, with the new seal code to compare by eye (the short
XXXX-XXXX-XXXX code of `seal.crypto.chain_code`, the one the members confirm). The counts of
the chains and their full heads (64 hexadecimal digits) are for the operator's check: they go
in a small appendix line, not in the sentence a director reads.
"""

from __future__ import annotations

import dataclasses
from dataclasses import dataclass

from django.utils.html import format_html, format_html_join
from django.utils.safestring import SafeString
from django.utils.translation import gettext as _


@dataclass(frozen=True)
class Heads:
    """The heads of the chains at an opening, and whether the audit log was found whole."""

    box_count: int  # appeals sealed into the box since it was made
    box_code: str  # the new seal code, XXXX-XXXX-XXXX
    log_count: int | None  # None: the log's own entry of this opening is missing
    log_code: str
    box_fingerprint: str = ""  # the box's head in full (hex)
    log_fingerprint: str = ""  # the audit log's head at the opening's entry in full (hex)
    log_whole: bool = True  # the check of the log when the document is made found no break

    @property
    def log_found_whole(self) -> bool:
        return self.log_whole and self.log_count is not None


@dataclass(frozen=True)
class Coded:
    """A sentence with a code in it: plain for the DOCX; for the PDF, the code on one line."""

    sentence: str  # translated, every value filled in but "%(code)s"
    code: str

    @property
    def text(self) -> str:
        return self.sentence.replace("%(code)s", self.code)

    @property
    def html(self) -> SafeString:
        before, marker, after = self.sentence.partition("%(code)s")
        if not marker:
            return format_html("{}", self.sentence)
        return format_html('{}<span class="code">{}</span>{}', before, self.code, after)


def _sentence(seal_whole: bool, log_whole: bool) -> str:
    if seal_whole and log_whole:
        return _(
            "The digital seal and the audit log were found whole (no appeal was taken out of "
            "the box, changed or added since the last opening); the new seal code is %(code)s."
        )
    if log_whole:
        return _(
            "The digital seal was found broken (the check found what follows) and the "
            "audit log whole; the new seal code is %(code)s."
        )
    if seal_whole:
        return _(
            "The digital seal was found whole (no appeal was taken out of the box, changed or "
            "added since the last opening), the audit log was not (its page shows where it "
            "breaks); the new seal code is %(code)s."
        )
    return _(
        "Neither the digital seal (the check found what follows) nor the audit log (its "
        "page shows where it breaks) was found whole; the new seal code is %(code)s."
    )


def finding(*, damaged: bool, heads: Heads | None, code: str = "") -> Coded:
    """Whether the seal and the audit log were found whole, and the new seal code, in a sentence.

    Without heads (no record of the chains) the log is not named as whole; code: the new seal
    code when the heads do not give it.
    """
    log_whole = heads.log_found_whole if heads is not None else False
    return Coded(_sentence(not damaged, log_whole), heads.box_code if heads else code)


@dataclass(frozen=True)
class Fingerprints:
    """The small appendix line: each chain's count and its head in full, for the operator."""

    lead: str
    parts: list[tuple[str, str]] = dataclasses.field(default_factory=list)  # (words, head)

    @property
    def text(self) -> str:
        parts = "; ".join(f"{words} {head}".strip() for words, head in self.parts)
        return f"{self.lead} {parts}."

    @property
    def html(self) -> SafeString:
        parts = format_html_join(
            "; ", '{} <span class="code">{}</span>', ((words, head) for words, head in self.parts)
        )
        return format_html("{} {}.", self.lead, parts)


def fingerprints(heads: Heads | None, *, number: int | None = None) -> Fingerprints | None:
    """The chains' counts and full heads; number: the journal's number of the opening."""
    if heads is None:
        return None
    parts = [
        (
            _("the box (appeals sealed since it was made: %(count)d):")
            % {"count": heads.box_count},
            heads.box_fingerprint.upper(),
        )
    ]
    if heads.log_count is None:
        parts.append((_("the audit log: its entry of this opening is missing"), ""))
    else:
        parts.append(
            (
                _("the audit log (entries: %(count)d):") % {"count": heads.log_count},
                heads.log_fingerprint.upper(),
            )
        )
    lead = (
        _("Fingerprints for the operator's check, opening № %(number)d:") % {"number": number}
        if number is not None
        else _("Fingerprints for the operator's check:")
    )
    return Fingerprints(lead, parts)
