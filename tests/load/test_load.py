"""The short load test: 20 writers for 15 s through the real form, gunicorn on PostgreSQL.

bench/load.py does the work (and is the long version: 200 writers for 120 s); this test
holds it to its promises: no request failed, every receipt shown maps to exactly one sealed
appeal, no appeal was stored without its receipt being shown, and the chain verifies.
"""

import json
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]


def test_twenty_writers_see_no_error_and_lose_no_appeal():
    if not list(Path("/usr/lib/postgresql").glob("*/bin/initdb")):
        pytest.skip(
            "PostgreSQL's server binaries are missing (apt-get install postgresql): "
            "the load test starts a throw-away PostgreSQL server"
        )
    done = subprocess.run(
        [sys.executable, str(ROOT / "bench" / "load.py"), "--users", "20", "--seconds", "15"],
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=900,
        check=False,
    )
    assert done.stdout, done.stderr[-3000:]
    result = json.loads(done.stdout)
    check = result["check"]
    assert result["all_requests"]["failures"] == 0, result["failures"]
    assert check["receipts_shown"] > 0
    assert check["receipts_shown"] == check["distinct_receipts"]
    assert check["lost_appeals"] == 0
    assert check["appeals_without_a_receipt_shown"] == 0
    assert check["chain_damage"] == []
    assert result["server_errors_logged"] == 0
    assert result["ok"], result
