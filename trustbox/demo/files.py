"""The demo's secrets kept in the data folder for convenience, and how they are written.

The demo writes the reserve parts of its box key and the 7th-grader's receipt code into the
data folder, so that a visitor can try a renewal and the writer's status page. They are
secrets (the reserve parts and one member open the demo box): each file is for the owner only
(0600), the demo command names them, and a production server refuses to start while one
exists (trustbox/core/production.py).
"""

from __future__ import annotations

import os
from pathlib import Path

from django.conf import settings

RESERVE_FILE = "demo-reserve-shares.txt"
RECEIPT_FILE = "demo-receipt.txt"


def demo_reserve_path() -> Path:
    return settings.DATA_DIR / RESERVE_FILE


def demo_receipt_path() -> Path:
    return settings.DATA_DIR / RECEIPT_FILE


def demo_secret_files() -> list[Path]:
    """The demo's secret files present in the data folder."""
    return [path for path in (demo_reserve_path(), demo_receipt_path()) if path.exists()]


def demo_file_write(path: Path, text: str) -> None:
    """Write a demo secret for the owner only (0600), also over a file made before with more."""
    fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
    os.fchmod(fd, 0o600)
    with os.fdopen(fd, "w", encoding="utf-8") as handle:
        handle.write(text)
