"""Signing a finalised report with the member's own Ed25519 key.

TODO(lead): the meetings branch adds signing_keypair_generate, sign_with_signing_key,
signature_verify and content_fingerprint to trustbox/seal/crypto.py, and a SigningKey model
in meetings. These helpers do the same with nacl.signing directly, and lock the private half
with seal.crypto.lock_with_password exactly as meetings does, so that one key can serve both:
when both branches land, call seal.crypto's functions here and use meetings.SigningKey.
"""

from __future__ import annotations

import hashlib
import json
from typing import Any

from nacl.exceptions import BadSignatureError
from nacl.signing import SigningKey, VerifyKey

DOMAIN = b"trustbox-report-v1\n"  # a report's signature can never pass for a protocol's


def keypair_generate() -> tuple[bytes, bytes]:
    """(private seed, public key) of a new Ed25519 key."""
    key = SigningKey.generate()
    return bytes(key), bytes(key.verify_key)


def sign(private: bytes, content: str) -> bytes:
    return SigningKey(private).sign(DOMAIN + content.encode()).signature


def verify(public: bytes, content: str, signature: bytes) -> bool:
    try:
        VerifyKey(public).verify(DOMAIN + content.encode(), signature)
    except (BadSignatureError, ValueError, TypeError):
        return False
    return True


def fingerprint(content: str) -> str:
    return hashlib.sha256(content.encode()).hexdigest()


def key_fingerprint(public: bytes) -> str:
    return hashlib.sha256(public).hexdigest()[:16]


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
