"""Sealing in the writer's browser (seal.js) on a cheap phone's CPU, and what the server spends.

A one-off measurement, not a test. In Chromium (Playwright), with the CPU slowed down through
the DevTools protocol (Emulation.setCPUThrottlingRate ×1, ×4, ×6: ×4–6 is a cheap Android phone
against this machine's core), it times: PBKDF2-SHA256 at several iteration counts (the browser's
receipt), sealAppeal of a text-only appeal, and of an appeal with a 12 MP photo re-drawn. In the
same run, on the server: one Argon2id receipt derivation (the server's path) against one
PBKDF2 derivation at the chosen count (the status page's second look-up), and the server's CPU
per appeal through appeal_submit (sealed there) against appeal_submit_sealed (sealed in the
browser: no derivation, no sealing). Prints JSON.

    .venv/bin/python bench/browser_seal.py
"""

from __future__ import annotations

import base64
import hashlib
import json
import statistics
import sys
import time
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from bench.common import django_setup, emit, machine

ROOT = Path(__file__).resolve().parent.parent
SEAL_JS = ROOT / "trustbox/public/static/public/seal.js"
ITERATIONS = (25_000, 100_000, 300_000)
RATES = (1, 4, 6)

_PBKDF2 = """async (n) => { const s = crypto.subtle; const t0 = performance.now();
  const k = await s.importKey("raw", new TextEncoder().encode("1234-5678-9012-3456-7890"),
    "PBKDF2", false, ["deriveBits"]);
  await s.deriveBits({name: "PBKDF2", hash: "SHA-256", salt: new Uint8Array(43), iterations: n},
    k, 512);
  return performance.now() - t0; }"""

_SEAL = """async ([key, n, photo]) => { let files = [];
  if (photo) { const c = new OffscreenCanvas(4000, 3000); const g = c.getContext("2d");
    for (let i = 0; i < 200; i++) { g.fillStyle = `hsl(${i * 7},60%,50%)`;
      g.fillRect((i * 97) % 4000, (i * 61) % 3000, 400, 300); }
    const blob = await c.convertToBlob({type: "image/jpeg", quality: 0.9});
    files = [new File([blob], "p.jpg", {type: "image/jpeg"})]; }
  const t0 = performance.now();
  const out = await window.TrustBoxSeal.sealAppeal({boxKey: key, salt: new Uint8Array(16),
    iterations: n, fields: {text: "Бенчмарк ".repeat(60), kind: "complaint"}, files});
  return [performance.now() - t0, out.envelope.length]; }"""


def browser_figures(box_public: bytes, chosen: int) -> dict[str, Any]:
    from playwright.sync_api import sync_playwright

    key = base64.b64encode(box_public).decode()
    figures: dict[str, Any] = {}
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(
            executable_path="/usr/bin/chromium", args=["--no-sandbox", "--disable-gpu"]
        )
        page = browser.new_page()
        # A secure context (WebCrypto needs one): a page of localhost, served by Playwright.
        page.route("http://localhost/**", lambda route: route.fulfill(body="<!doctype html>"))
        page.goto("http://localhost/")
        page.add_script_tag(content=SEAL_JS.read_text())
        cdp = page.context.new_cdp_session(page)
        for rate in RATES:
            cdp.send("Emulation.setCPUThrottlingRate", {"rate": rate})
            row: dict[str, Any] = {}
            for n in ITERATIONS:
                row[f"pbkdf2_{n}_ms"] = round(
                    statistics.median(page.evaluate(_PBKDF2, n) for _ in range(3))
                )
            text = [page.evaluate(_SEAL, [key, chosen, False]) for _ in range(3)]
            row["seal_text_appeal_ms"] = round(statistics.median(t for t, _ in text))
            row["text_envelope_bytes"] = text[0][1]
            photo = page.evaluate(_SEAL, [key, chosen, True])
            row["seal_with_12mp_photo_ms"] = round(photo[0])
            row["photo_envelope_bytes"] = photo[1]
            figures[f"cpu_slowed_x{rate}"] = row
        browser.close()
    return figures


def server_figures(count: int) -> dict[str, Any]:
    django_setup(sqlite=True)
    from django.core.management import call_command

    from trustbox.box.envelope import Envelope
    from trustbox.box.sealed_intake import BrowserSealed, appeal_submit_sealed
    from trustbox.box.selectors import writer_box
    from trustbox.box.services import appeal_submit, box_for
    from trustbox.demo.builders import demo_create
    from trustbox.seal import crypto

    call_command("migrate", verbosity=0)
    school = demo_create()
    salt = bytes(box_for(school).receipt_salt)
    box = writer_box(school.slug)
    assert box is not None and box.box_public is not None
    envelope = Envelope(kind="complaint", category="bullying", text="Бенчмарк " * 60)
    sealed = crypto.seal_for_box_as_browser(box.box_public, envelope.to_bytes().rstrip())
    locked = crypto.browser_writer_key_lock(bytes(32), bytes(32))
    code = crypto.receipt_code_generate()

    def cpu_ms(call: Any) -> float:
        start = time.process_time()
        for _ in range(count):
            call()
        return round((time.process_time() - start) / count * 1000, 2)

    numbers = iter(range(10**9))
    return {
        "argon2id_receipt_derivation_cpu_ms": cpu_ms(lambda: crypto.receipt_derive(code, salt)),
        "pbkdf2_receipt_derivation_cpu_ms": cpu_ms(
            lambda: crypto.browser_receipt_derive(code, salt)
        ),
        "hashlib_pbkdf2_per_100k_cpu_ms": cpu_ms(
            lambda: hashlib.pbkdf2_hmac("sha256", b"x", b"y", 100_000)
        ),
        "appeal_submit_sealed_on_the_server_cpu_ms": cpu_ms(
            lambda: appeal_submit(school=school, envelope=envelope, into=box)
        ),
        "appeal_submit_sealed_in_the_browser_cpu_ms": cpu_ms(
            lambda: appeal_submit_sealed(
                into=box,
                sealed=BrowserSealed(
                    envelope=sealed,
                    lookup=f"{next(numbers):064x}",
                    writer_key_locked=locked,
                    urgent=False,
                    box_key_id=box.box_key_id,
                ),
                form_token="",
            )
        ),
    }


def main() -> None:
    from trustbox.seal.crypto.browser import RECEIPT_ITERATIONS

    box_public = bytes(32 * [9])
    result = {
        "benchmark": "browser_seal",
        "machine": machine(),
        "chosen_iterations": RECEIPT_ITERATIONS,
        "browser": browser_figures(box_public, RECEIPT_ITERATIONS),
        "server": server_figures(30),
    }
    emit(result)
    json.dumps(result)


if __name__ == "__main__":
    main()
