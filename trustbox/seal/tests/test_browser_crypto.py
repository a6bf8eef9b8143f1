"""The browser's envelopes and receipts (seal/crypto/browser.py), against the server's."""

from unittest import TestCase

from trustbox.seal import crypto


class BrowserEnvelopeTestCase(TestCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.box = crypto.box_keypair_generate()

    def test_a_browser_envelope_opens_with_the_box_key_as_sealed(self):
        plaintext = b'{"text":"x"}'
        sealed = crypto.seal_for_box_as_browser(self.box.public, plaintext)
        opened = crypto.opener_with_box_key(self.box.private).open(sealed)
        self.assertEqual(opened.rstrip(b" "), plaintext)
        self.assertTrue(crypto.browser_envelope_form_holds(sealed))

    def test_a_browser_envelope_is_as_long_as_a_server_envelope_of_the_same_size_class(self):
        for length in (10, 2047, 2048, 9000, 600_000, 2_200_000):
            plaintext = b"a" * length
            browser = crypto.seal_for_box_as_browser(self.box.public, plaintext)
            server = crypto.seal_for_box(
                self.box.public, plaintext.ljust(crypto.padded_length(length + 1), b" ")
            )
            self.assertEqual(len(browser), len(server), length)

    def test_an_altered_browser_envelope_does_not_open(self):
        sealed = bytearray(crypto.seal_for_box_as_browser(self.box.public, b"{}"))
        sealed[40] ^= 1
        with self.assertRaises(crypto.SealError):
            crypto.opener_with_box_key(self.box.private).open(bytes(sealed))

    def test_a_browser_envelope_does_not_open_with_another_box_key(self):
        sealed = crypto.seal_for_box_as_browser(self.box.public, b"{}")
        other = crypto.box_keypair_generate()
        with self.assertRaises(crypto.SealError):
            crypto.opener_with_box_key(other.private).open(sealed)

    def test_a_server_envelope_that_starts_with_the_browsers_version_byte_still_opens(self):
        for _ in range(5000):
            sealed = crypto.seal_for_box(self.box.public, b"server")
            if sealed[0] == crypto.BROWSER_VERSION:
                break
        self.assertEqual(sealed[0], crypto.BROWSER_VERSION)
        self.assertEqual(crypto.opener_with_box_key(self.box.private).open(sealed), b"server")

    def test_the_form_check_refuses_other_versions_sizes_and_the_too_large(self):
        sealed = crypto.seal_for_box_as_browser(self.box.public, b"{}")
        self.assertFalse(crypto.browser_envelope_form_holds(b"\xb2" + sealed[1:]))
        self.assertFalse(crypto.browser_envelope_form_holds(sealed + b"\x00"))
        self.assertFalse(crypto.browser_envelope_form_holds(sealed[:-1]))
        self.assertFalse(crypto.browser_envelope_form_holds(b""))
        self.assertFalse(
            crypto.browser_envelope_form_holds(b"\xb1" * (5 * crypto.PADDED_STEP_PAST + 48))
        )
        self.assertTrue(
            crypto.browser_envelope_form_holds(b"\xb1" * (4 * crypto.PADDED_STEP_PAST + 48))
        )


class BrowserReceiptTestCase(TestCase):
    def test_the_browser_receipt_gives_a_lookup_and_a_key_that_unlocks_the_writers_key(self):
        code, salt = crypto.receipt_code_generate(), bytes(16)
        lookup, reply_key = crypto.browser_receipt_derive(code, salt)
        self.assertEqual(len(bytes.fromhex(lookup)), 32)
        self.assertNotEqual(lookup, crypto.receipt_derive(code, salt).lookup)
        writer = crypto.box_keypair_generate()
        locked = crypto.browser_writer_key_lock(reply_key, writer.private)
        self.assertTrue(crypto.browser_writer_key_holds(locked))
        self.assertEqual(crypto.writer_key_unlock(reply_key, locked), writer.private)
        _other_lookup, other_key = crypto.browser_receipt_derive(
            crypto.receipt_code_generate(), salt
        )
        with self.assertRaises(crypto.SealError):
            crypto.writer_key_unlock(other_key, locked)

    def test_the_browser_receipt_is_one_pbkdf2_block_of_the_grouped_code_then_two_hashes(self):
        import hashlib

        code, salt = "1234-5678-9012-3456-7890", b"s" * 16
        master = hashlib.pbkdf2_hmac(
            "sha256", code.encode(), salt + b"trustbox-browser-receipt-v1", 1000, 32
        )
        self.assertEqual(
            crypto.browser_receipt_derive(code, salt, 1000),
            (
                hashlib.sha256(b"lookup" + master).hexdigest(),
                hashlib.sha256(b"reply" + master).digest(),
            ),
        )


class EnvelopeHoldsTestCase(TestCase):
    def test_an_opened_envelope_holds_only_with_listed_values_a_writers_key_and_pictures(self):
        import base64
        import json

        from trustbox.box.envelope import envelope_holds
        from trustbox.box.tests.browser_helpers import envelope_json

        key = base64.b64encode(bytes(32)).decode()
        jpeg = {"name": "p.jpg", "content_type": "image/jpeg", "data": "/9j/4AAQ"}
        self.assertTrue(envelope_holds(envelope_json("x", reply_public=key, attachments=[jpeg])))
        for wrong in (
            {"kind": "no such kind"},
            {"category": "no such category"},
            {"text": "   "},
            {"reply_public": ""},
            {"channel": "elsewhere"},
            {"attachments": [{**jpeg, "content_type": "application/pdf"}]},
            {"attachments": [{**jpeg, "data": "JVBERi0="}]},
        ):
            with self.subTest(wrong=wrong):
                fields = {"reply_public": key, **wrong}
                text = str(fields.pop("text", "x"))
                self.assertFalse(envelope_holds(envelope_json(text, **fields)))
        self.assertFalse(envelope_holds(b"not json"))
        self.assertFalse(envelope_holds(json.dumps([1, 2]).encode()))
