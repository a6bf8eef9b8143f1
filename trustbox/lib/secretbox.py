"""Small secrets sealed at rest under a key of the server (the authenticators' TOTP secrets).

The one piece of cryptography below the seal app: accounts, which keeps the TOTP secrets, is
below trustbox.seal in the layers, so it cannot use trustbox/seal/crypto.py. Like that module
this one is pure (PyNaCl only, nothing of Trust Box; an import-linter contract says so).

XChaCha20-Poly1305 (libsodium's IETF construction): a random 192-bit nonce per seal, so no
counter to keep, and associated data that binds each sealed secret to its place (a device's
owner): a sealed secret copied into another row does not open there. A 20-byte secret seals
to 60 bytes, written as ``tb1:`` and 75 characters of Base85, which fits django-otp's 80
character column; a clear hex key never has a colon, so sealed and clear never look alike.
"""

from __future__ import annotations

import base64
import hashlib
import secrets

from nacl import bindings
from nacl.exceptions import CryptoError

PREFIX = "tb1:"
KEY_BYTES = bindings.crypto_aead_xchacha20poly1305_ietf_KEYBYTES
NONCE_BYTES = bindings.crypto_aead_xchacha20poly1305_ietf_NPUBBYTES
LONGEST_SECRET = 20  # bytes: what fits the 80 characters of django-otp's key column


class SecretNotOpened(ValueError):
    """The text is not a secret sealed under this key for this place."""


def server_key_from_text(text: str) -> bytes:
    """The 32-byte key made from the text of the setting (any string of enough randomness)."""
    return hashlib.blake2b(text.encode(), digest_size=KEY_BYTES, person=b"trustbox-otpkey").digest()


def is_sealed(text: str) -> bool:
    return text.startswith(PREFIX)


def seal_with_server_key(key: bytes, secret: bytes, place: bytes) -> str:
    """Seal a short secret to the server's key, bound to its place."""
    if len(secret) > LONGEST_SECRET:
        raise ValueError(f"secrets of at most {LONGEST_SECRET} bytes fit the column")
    nonce = secrets.token_bytes(NONCE_BYTES)
    sealed = bindings.crypto_aead_xchacha20poly1305_ietf_encrypt(secret, place, nonce, key)
    return PREFIX + base64.b85encode(nonce + sealed).decode()


def open_with_server_key(key: bytes, text: str, place: bytes) -> bytes:
    """The secret sealed in `text` for `place`; SecretNotOpened for anything else."""
    if not is_sealed(text):
        raise SecretNotOpened("not a sealed secret")
    try:
        raw = base64.b85decode(text[len(PREFIX) :])
        nonce, sealed = raw[:NONCE_BYTES], raw[NONCE_BYTES:]
        return bindings.crypto_aead_xchacha20poly1305_ietf_decrypt(sealed, place, nonce, key)
    except (ValueError, CryptoError) as error:
        raise SecretNotOpened("this key does not open it") from error
