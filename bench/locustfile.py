"""Locust writers for bench/load.py: each GETs the form, POSTs it, and keeps the receipt shown.

Every receipt code a writer is shown is appended to the file named by BENCH_RECEIPTS_FILE, so
that bench/load.py can check afterwards that each maps to exactly one sealed appeal.
"""

from __future__ import annotations

import os
import re

from locust import between, task
from locust.contrib.fasthttp import FastHttpUser

SCHOOL = os.environ.get("BENCH_SCHOOL", "myrzakmatov")
TOKEN = re.compile(r'name="token" value="([^"]+)"')
CSRF = re.compile(r'name="csrfmiddlewaretoken" value="([^"]+)"')
RECEIPT = re.compile(r"\d{4}-\d{4}-\d{4}-\d{4}-\d{4}")
RECEIPTS = open(os.environ["BENCH_RECEIPTS_FILE"], "a", buffering=1)  # noqa: SIM115 (one for the run)
WAIT = float(os.environ.get("BENCH_WAIT_SECONDS", "1"))


class Writer(FastHttpUser):
    """A new visitor each time: no cookie kept from the last appeal."""

    wait_time = between(0, 2 * WAIT)
    network_timeout = 120.0
    connection_timeout = 60.0

    @task
    def write_an_appeal(self) -> None:
        self.client.cookiejar.clear()
        path = f"/b/{SCHOOL}/"
        with self.client.get(path, name="GET form", catch_response=True) as response:
            page = response.text or ""
            token, csrf = TOKEN.search(page), CSRF.search(page)
            if response.status_code != 200 or token is None or csrf is None:
                response.failure(f"no form ({response.status_code})")
                return
        data = {
            "csrfmiddlewaretoken": csrf.group(1),
            "token": token.group(1),
            "kind": "complaint",
            "category": "bullying",
            "text": "Танапис учурунда балдар мени шылдыңдашат. Жардам бергиле. Load test.",
            "signed": "anonymous",
        }
        with self.client.post(
            path, data=data, name="POST appeal → receipt", catch_response=True
        ) as response:
            found = RECEIPT.search(response.text or "")
            if response.status_code != 200 or found is None:
                response.failure(f"no receipt ({response.status_code})")
                return
            RECEIPTS.write(found.group(0) + "\n")
