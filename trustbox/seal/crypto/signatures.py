"""Signing keys: an Ed25519 key pair per commission member; members sign protocols' content.

The private half is locked under the member's password like their personal key
(passwords.py); a signed document is named by the fingerprint of its canonical content.
"""

from __future__ import annotations

import hashlib

from nacl.exceptions import CryptoError
from nacl.signing import SigningKey, VerifyKey

from .envelopes import KeyPair

SIGNATURE_BYTES = 64


def signing_keypair_generate() -> KeyPair:
    """An Ed25519 key pair: the private half is the 32-byte seed."""
    key = SigningKey.generate()
    return KeyPair(public=bytes(key.verify_key), private=bytes(key))


def signing_public_from_private(private: bytes) -> bytes:
    return bytes(SigningKey(private).verify_key)


def sign_with_signing_key(private: bytes, message: bytes) -> bytes:
    """A detached Ed25519 signature of the message."""
    return SigningKey(private).sign(message).signature


def signature_verify(public: bytes, message: bytes, signature: bytes) -> bool:
    """Whether the signature over exactly this message was made with the public key's pair."""
    try:
        VerifyKey(public).verify(message, signature)
    except (CryptoError, ValueError, TypeError):
        return False
    return True


def content_fingerprint(content: bytes) -> str:
    """The SHA-256 of a document's canonical content, as 64 hex digits."""
    return hashlib.sha256(content).hexdigest()


def key_fingerprint(public: bytes) -> str:
    """A short name of a public key for the audit log: the first 16 hex digits of its hash."""
    return hashlib.sha256(public).hexdigest()[:16]
