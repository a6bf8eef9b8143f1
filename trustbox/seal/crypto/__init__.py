"""All of Trust Box's cryptography, in one package, named by the direction of each operation.

Everything is imported from here (`from trustbox.seal import crypto`); the modules split it by
subject:

- envelopes.py — sealing to a key pair and opening with its private half. The box key: an
  X25519 key pair per school; appeals are sealed to its public half (libsodium sealed boxes);
  its private half exists whole only in memory, during a key ceremony or an opening. Member
  keys: an X25519 key pair per commission member; a member's box share is sealed to the
  member's public half. The registry key, case keys, the commission's record, a browser
  session's hold on an unlocked key.
- shares.py — the box private key kept as SLIP-39 Shamir shares, any threshold of which open it.
- passwords.py — keys derived from passwords (Argon2id) and their costs: a member's private
  keys are locked under a key derived from the member's password.
- receipts.py — one Argon2id derivation of the receipt code gives both the lookup hash that is
  stored and the key that opens replies to the writer.
- codes.py — the chain (every sealed appeal links to the one before it by a hash), short codes
  people compare by eye, verification codes, rotating tags for the abuse limits.
- signatures.py — an Ed25519 signing key pair per commission member, its private half locked
  under the member's password like their personal key; members sign the canonical content of
  protocols.

Nothing here touches the database, a log or a file, and nothing imports Trust Box (the
import-linter contract "crypto" in pyproject.toml).
"""

from .codes import (
    GENESIS,
    VERIFICATION_CODE_CHARS,
    chain_code,
    chain_link,
    chain_link_from_digest,
    ciphertext_digest,
    code_fold,
    key_code,
    key_code_normalise,
    rotating_tag,
    verification_code_generate,
    verification_code_normalise,
)
from .envelopes import (
    KEY_BYTES,
    PADDED_SIZES,
    PADDED_STEP_PAST,
    BoxOpener,
    KeyPair,
    RegistrySealer,
    SealError,
    box_keypair_generate,
    box_public_from_private,
    case_keypair_generate,
    lock_for_browser,
    member_keypair_generate,
    open_with_box_key,
    open_with_case_key,
    open_with_commission_key,
    open_with_member_key,
    open_with_registry_key,
    opener_with_box_key,
    padded_length,
    seal_for_box,
    seal_for_case,
    seal_for_commission,
    seal_for_member,
    sealer_for_registry,
    unlock_from_browser,
)
from .passwords import (
    MEMBER_KDF,
    RECEIPT_KDF,
    RECEIPT_KDF_16_DIGITS,
    TEST_KDF,
    KdfCost,
    _costs,
    kdf_costs_lower_for_tests,
    lock_with_password,
    unlock_with_password,
)
from .receipts import (
    RECEIPT_DIGITS,
    RECEIPT_DIGITS_BEFORE,
    RECEIPT_GROUP_DIGITS,
    RECEIPT_GROUPS,
    ReceiptSecrets,
    open_with_receipt,
    open_with_writer_key,
    receipt_code_generate,
    receipt_code_normalise,
    receipt_cost,
    receipt_derive,
    receipt_salt_generate,
    seal_for_receipt,
    seal_for_writer,
    writer_key_make,
    writer_key_unlock,
)
from .shares import (
    MAX_SHARES,
    ShareFacts,
    combine_box_key,
    share_facts,
    share_is_valid,
    split_box_key,
)
from .signatures import (
    SIGNATURE_BYTES,
    content_fingerprint,
    key_fingerprint,
    sign_with_signing_key,
    signature_verify,
    signing_keypair_generate,
    signing_public_from_private,
)

__all__ = [
    "GENESIS",
    "KEY_BYTES",
    "MAX_SHARES",
    "MEMBER_KDF",
    "PADDED_SIZES",
    "PADDED_STEP_PAST",
    "RECEIPT_DIGITS",
    "RECEIPT_DIGITS_BEFORE",
    "RECEIPT_GROUPS",
    "RECEIPT_GROUP_DIGITS",
    "RECEIPT_KDF",
    "RECEIPT_KDF_16_DIGITS",
    "SIGNATURE_BYTES",
    "TEST_KDF",
    "VERIFICATION_CODE_CHARS",
    "BoxOpener",
    "KdfCost",
    "KeyPair",
    "ReceiptSecrets",
    "RegistrySealer",
    "SealError",
    "ShareFacts",
    "_costs",
    "box_keypair_generate",
    "box_public_from_private",
    "case_keypair_generate",
    "chain_code",
    "chain_link",
    "chain_link_from_digest",
    "ciphertext_digest",
    "code_fold",
    "combine_box_key",
    "content_fingerprint",
    "kdf_costs_lower_for_tests",
    "key_code",
    "key_code_normalise",
    "key_fingerprint",
    "lock_for_browser",
    "lock_with_password",
    "member_keypair_generate",
    "open_with_box_key",
    "open_with_case_key",
    "open_with_commission_key",
    "open_with_member_key",
    "open_with_receipt",
    "open_with_registry_key",
    "open_with_writer_key",
    "opener_with_box_key",
    "padded_length",
    "receipt_code_generate",
    "receipt_code_normalise",
    "receipt_cost",
    "receipt_derive",
    "receipt_salt_generate",
    "rotating_tag",
    "seal_for_box",
    "seal_for_case",
    "seal_for_commission",
    "seal_for_member",
    "seal_for_receipt",
    "seal_for_writer",
    "sealer_for_registry",
    "share_facts",
    "share_is_valid",
    "sign_with_signing_key",
    "signature_verify",
    "signing_keypair_generate",
    "signing_public_from_private",
    "split_box_key",
    "unlock_from_browser",
    "unlock_with_password",
    "verification_code_generate",
    "verification_code_normalise",
    "writer_key_make",
    "writer_key_unlock",
]
