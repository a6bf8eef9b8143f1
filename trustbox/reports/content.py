"""What a finalised report's signature covers: its canonical content, and the bytes signed.

The responsible person signs with her own Ed25519 key, the one she signs protocols with
(seal.SigningKey, seal.keyring): one key per member for everything she signs.
"""

from __future__ import annotations

import json
from typing import TYPE_CHECKING, Any

from trustbox.seal import crypto

if TYPE_CHECKING:
    from trustbox.reports.models import Report

# Put before the content when signing, so that a report's signature can never pass for a
# protocol's (whose context is another) nor for anything else's.
SIGNING_CONTEXT = b"trustbox-report-v1\n"


def canonical_content(
    *, school: str, start: str, end: str, figures: dict[str, Any], analysis: str, proposals: str
) -> str:
    """What is signed: the school, the period, every figure and the text, as canonical JSON."""
    return json.dumps(
        {
            "school": school,
            "start": start,
            "end": end,
            "figures": figures,
            "analysis": analysis,
            "proposals": proposals,
        },
        ensure_ascii=False,
        sort_keys=True,
        separators=(",", ":"),
    )


def content_message(content: str) -> bytes:
    """The bytes the responsible person signs."""
    return SIGNING_CONTEXT + content.encode()


def content_fingerprint(content: str) -> str:
    return crypto.content_fingerprint(content.encode())


def signature_valid(*, content: str, fingerprint: str, public_key: bytes, value: bytes) -> bool:
    """Whether a signature was made over exactly this content, with the pair of this public key."""
    return (
        bool(content)
        and fingerprint == content_fingerprint(content)
        and crypto.signature_verify(public_key, content_message(content), value)
    )


def report_content(report: Report) -> str:
    """The report's canonical content as it is now (what its signatures cover)."""
    return canonical_content(
        school=report.school.name,
        start=report.start.isoformat(),
        end=report.end.isoformat(),
        figures=report.figures,
        analysis=report.analysis,
        proposals=report.proposals,
    )
