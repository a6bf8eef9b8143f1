import itertools
import math
import re
from unittest import mock

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from nacl import pwhash

from trustbox.seal import crypto

# Run on SQLite only (scripts/test.sh): pure cryptography.
pytestmark = pytest.mark.database_independent


@pytest.fixture(scope="module")
def split():
    pair = crypto.box_keypair_generate()
    return pair, crypto.split_box_key(pair.private, threshold=3, count=7)


def test_an_envelope_sealed_for_the_box_opens_with_its_key_only():
    pair, other = crypto.box_keypair_generate(), crypto.box_keypair_generate()
    sealed = crypto.seal_for_box(pair.public, "Салам, кутуча".encode())
    assert crypto.open_with_box_key(pair.private, sealed) == "Салам, кутуча".encode()
    with pytest.raises(crypto.SealError):
        crypto.open_with_box_key(other.private, sealed)


@settings(max_examples=25, deadline=None)
@given(st.binary(max_size=4096))
def test_sealing_round_trips_any_bytes(data):
    pair = crypto.box_keypair_generate()
    assert crypto.open_with_box_key(pair.private, crypto.seal_for_box(pair.public, data)) == data


def test_fewer_shares_than_the_threshold_never_open_the_box(split):
    _pair, shares = split
    for two in itertools.combinations(shares, 2):
        with pytest.raises(crypto.SealError):
            crypto.combine_box_key(two)


def test_any_threshold_of_shares_opens_the_box(split):
    pair, shares = split
    for three in itertools.combinations(shares, 3):
        assert crypto.combine_box_key(three) == pair.private
    assert crypto.combine_box_key(shares) == pair.private


def test_the_reserve_shares_and_one_member_recover_the_box(split):
    pair, shares = split
    members, reserve = shares[:5], shares[5:]
    assert crypto.combine_box_key([members[4], *reserve]) == pair.private
    with pytest.raises(crypto.SealError):
        crypto.combine_box_key(reserve)


def test_a_share_survives_being_retyped_with_extra_spaces(split):
    pair, shares = split
    retyped = ["  " + share.replace(" ", "   ") + "\n" for share in shares[:3]]
    assert crypto.combine_box_key(retyped) == pair.private
    assert crypto.share_is_valid(retyped[0])
    assert not crypto.share_is_valid("not a share at all")


def test_a_password_locked_key_opens_with_that_password_only():
    locked = crypto.lock_with_password(b"k" * 32, "my secret words")
    assert crypto.unlock_with_password(locked, "my secret words") == b"k" * 32
    with pytest.raises(crypto.SealError):
        crypto.unlock_with_password(locked, "my secret word")


def test_a_member_share_opens_with_that_members_key_only():
    alice, bob = crypto.member_keypair_generate(), crypto.member_keypair_generate()
    sealed = crypto.seal_for_member(alice.public, b"share")
    assert crypto.open_with_member_key(alice.private, sealed) == b"share"
    with pytest.raises(crypto.SealError):
        crypto.open_with_member_key(bob.private, sealed)


def test_receipt_codes_are_five_groups_of_four_digits_with_over_sixty_bits():
    codes = {crypto.receipt_code_generate() for _ in range(200)}
    assert len(codes) == 200
    assert all(re.fullmatch(r"\d{4}-\d{4}-\d{4}-\d{4}-\d{4}", code) for code in codes)
    assert len(next(iter(codes))) == 24
    assert crypto.RECEIPT_DIGITS * math.log2(10) >= 66


def test_receipt_codes_are_read_as_people_type_them():
    assert crypto.receipt_code_normalise(" 1234 5678-9012 3456 7890") == "1234-5678-9012-3456-7890"
    assert (
        crypto.receipt_code_normalise("１２３４５６７８９０１２３４５６７８９０")
        == "1234-5678-9012-3456-7890"
    )
    assert crypto.receipt_code_normalise("1234-5678") is None
    assert crypto.receipt_code_normalise("1234-5678-9012-3456-789") is None
    assert crypto.receipt_code_normalise("x" * 1000) is None


def test_a_sixteen_digit_receipt_given_before_is_still_read():
    assert crypto.receipt_code_normalise(" 1234 5678-9012 3456 ") == "1234-5678-9012-3456"
    assert (
        crypto.receipt_code_normalise("１２３４５６７８９０１２３４５６") == "1234-5678-9012-3456"
    )


def _argon2id(code: str, salt: bytes, cost: crypto.KdfCost) -> bytes:
    return pwhash.argon2id.kdf(
        64, code.encode(), salt, opslimit=cost.opslimit, memlimit=cost.memlimit
    )


def test_the_length_of_a_code_says_which_cost_derives_it():
    salt = crypto.receipt_salt_generate()
    new, old = "1234-5678-9012-3456-7890", "1234-5678-9012-3456"
    production = {"receipt": crypto.RECEIPT_KDF, "receipt_16": crypto.RECEIPT_KDF_16_DIGITS}
    with mock.patch.dict(crypto._costs, production):
        assert crypto.receipt_cost(new) == crypto.KdfCost(2, 8 * 1024 * 1024)
        assert crypto.receipt_cost(old) == crypto.KdfCost(2, 16 * 1024 * 1024)
        derived_new = crypto.receipt_derive(new, salt)
        derived_old = crypto.receipt_derive(old, salt)
    expected_new = _argon2id(new, salt, crypto.RECEIPT_KDF)
    expected_old = _argon2id(old, salt, crypto.RECEIPT_KDF_16_DIGITS)
    assert derived_new.lookup == expected_new[:32].hex()
    assert derived_new.reply_key == expected_new[32:]
    assert derived_old.lookup == expected_old[:32].hex()
    assert derived_old.reply_key == expected_old[32:]
    # The old cost on a new code (or the other way round) gives another lookup: no mix-up.
    assert _argon2id(new, salt, crypto.RECEIPT_KDF_16_DIGITS)[:32].hex() != derived_new.lookup
    with pytest.raises(ValueError):
        crypto.receipt_cost("1234-5678")


def test_one_derivation_gives_a_lookup_and_a_reply_key_that_depend_on_the_salt():
    salt = crypto.receipt_salt_generate()
    first = crypto.receipt_derive("1234-5678-9012-3456", salt)
    assert first == crypto.receipt_derive("1234-5678-9012-3456", salt)
    assert first.lookup != crypto.receipt_derive("1234-5678-9012-3457", salt).lookup
    assert (
        first.lookup
        != crypto.receipt_derive("1234-5678-9012-3456", crypto.receipt_salt_generate()).lookup
    )
    assert first.reply_key.hex() not in first.lookup
    sealed = crypto.seal_for_receipt(first.reply_key, "Жооп".encode())
    assert crypto.open_with_receipt(first.reply_key, sealed) == "Жооп".encode()


def test_the_chain_link_changes_with_every_input():
    base = crypto.chain_link(crypto.GENESIS, b"cipher", [1, 2, "2026-09-02"])
    assert base != crypto.chain_link(b"\x01" * 32, b"cipher", [1, 2, "2026-09-02"])
    assert base != crypto.chain_link(crypto.GENESIS, b"cipheR", [1, 2, "2026-09-02"])
    assert base != crypto.chain_link(crypto.GENESIS, b"cipher", [1, 3, "2026-09-02"])
    assert re.fullmatch(r"[0-9A-F]{4}-[0-9A-F]{4}-[0-9A-F]{4}", crypto.chain_code(base))


def test_rotating_tags_change_with_the_day_and_hide_the_value():
    today = crypto.rotating_tag("secret", "2026-11-25", "203.0.113.9")
    assert today == crypto.rotating_tag("secret", "2026-11-25", "203.0.113.9")
    assert today != crypto.rotating_tag("secret", "2026-11-26", "203.0.113.9")
    assert "203" not in today


def test_a_reply_sealed_to_the_writer_opens_with_the_receipt_only():
    salt = crypto.receipt_salt_generate()
    right = crypto.receipt_derive("1234-5678-9012-3456", salt)
    wrong = crypto.receipt_derive("1234-5678-9012-3457", salt)
    public, locked = crypto.writer_key_make(right.reply_key)
    sealed = crypto.seal_for_writer(public, "Жооп".encode())
    private = crypto.writer_key_unlock(right.reply_key, locked)
    assert crypto.open_with_writer_key(private, sealed) == "Жооп".encode()
    with pytest.raises(crypto.SealError):
        crypto.writer_key_unlock(wrong.reply_key, locked)


def test_a_case_key_opens_its_own_file_only():
    case, other = crypto.case_keypair_generate(), crypto.case_keypair_generate()
    sealed = crypto.seal_for_case(case.public, b"note")
    assert crypto.open_with_case_key(case.private, sealed) == b"note"
    with pytest.raises(crypto.SealError):
        crypto.open_with_case_key(other.private, sealed)


def test_what_a_browser_holds_opens_with_its_cookie_key_only():
    key, locked = crypto.lock_for_browser(b"personal key")
    assert crypto.unlock_from_browser(key, locked) == b"personal key"
    with pytest.raises(crypto.SealError):
        crypto.unlock_from_browser(b"\0" * 32, locked)
    with pytest.raises(crypto.SealError):
        crypto.unlock_from_browser(b"short", locked)


def test_the_production_costs_are_the_documented_ones():
    assert crypto.KdfCost(2, 8 * 1024 * 1024) == crypto.RECEIPT_KDF
    assert crypto.KdfCost(2, 16 * 1024 * 1024) == crypto.RECEIPT_KDF_16_DIGITS
    assert (
        crypto.KdfCost(pwhash.argon2id.OPSLIMIT_INTERACTIVE, pwhash.argon2id.MEMLIMIT_INTERACTIVE)
        == crypto.MEMBER_KDF
    )


def test_the_suite_runs_with_the_cheapest_cost():
    assert crypto._costs["receipt"] == crypto.TEST_KDF
    assert crypto._costs["receipt_16"] == crypto.TEST_KDF
    assert crypto._costs["member"] == crypto.TEST_KDF


def test_a_key_locked_at_the_production_cost_still_opens():
    with mock.patch.dict(crypto._costs, {"member": crypto.MEMBER_KDF}):
        locked = crypto.lock_with_password(b"k" * 32, "pw")
    assert int.from_bytes(locked[5:13], "big") == crypto.MEMBER_KDF.memlimit
    assert crypto.unlock_with_password(locked, "pw") == b"k" * 32


def test_what_an_opening_seals_to_the_registry_opens_with_the_registry_key_only():
    registry, other = crypto.box_keypair_generate(), crypto.box_keypair_generate()
    sealer = crypto.sealer_for_registry(registry.public)
    first, second = sealer.seal(b"appeal one"), sealer.seal(b"appeal one")
    # One ephemeral key for the opening, a new nonce for every appeal.
    assert first[:32] == second[:32] == sealer.ephemeral_public
    assert first[32:56] != second[32:56]
    assert crypto.open_with_registry_key(registry.private, first) == b"appeal one"
    assert crypto.open_with_registry_key(registry.private, second) == b"appeal one"
    with pytest.raises(crypto.SealError):
        crypto.open_with_registry_key(other.private, first)
    with pytest.raises(crypto.SealError):
        crypto.open_with_registry_key(registry.private, first[:-1] + bytes([first[-1] ^ 1]))
    with pytest.raises(crypto.SealError):
        crypto.open_with_registry_key(registry.private, b"short")
    # Another opening, another ephemeral key.
    assert crypto.sealer_for_registry(registry.public).ephemeral_public != sealer.ephemeral_public


def test_an_opener_opens_many_envelopes_with_its_box_key_only():
    pair, other = crypto.box_keypair_generate(), crypto.box_keypair_generate()
    opener = crypto.opener_with_box_key(pair.private)
    for text in (b"one", b"two"):
        assert opener.open(crypto.seal_for_box(pair.public, text)) == text
    with pytest.raises(crypto.SealError):
        opener.open(crypto.seal_for_box(other.public, b"three"))


@given(st.text(max_size=200))
@settings(max_examples=20, deadline=None)
def test_the_commissions_words_open_with_the_registry_key_they_were_sealed_to_only(text):
    registry, other = crypto.box_keypair_generate(), crypto.box_keypair_generate()
    sealed = crypto.seal_for_commission(registry.public, text.encode())
    # A few bytes may turn up in random ciphertext by chance (one byte in about 1 of 4 seals):
    # only words of 8 bytes or more tell that the plaintext is not in the sealed bytes.
    assert len(text.encode()) < 8 or text.encode() not in sealed
    assert crypto.open_with_commission_key(registry.private, sealed) == text.encode()
    # Sealed twice, the same words are other bytes (a signature over them binds these bytes).
    assert crypto.seal_for_commission(registry.public, text.encode()) != sealed
    with pytest.raises(crypto.SealError):
        crypto.open_with_commission_key(other.private, sealed)
    with pytest.raises(crypto.SealError):
        crypto.open_with_commission_key(registry.private, sealed[:-1] + bytes([sealed[-1] ^ 1]))
