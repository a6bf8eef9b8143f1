"""The ceiling of the throughput benchmark: a bare Django project whose one view stores one row.

Same Django, same SQLite settings as Trust Box (WAL, immediate transactions, synchronous=FULL),
no middleware, no template, no session. Never part of Trust Box (its own settings and URLs).
"""

import os
from pathlib import Path

DATA_DIR = Path(os.environ.get("BENCH_CEILING_DIR", "/tmp")).resolve()  # noqa: S108
SECRET_KEY = "bench-ceiling-not-a-secret"
DEBUG = False
ALLOWED_HOSTS = ["127.0.0.1", "localhost"]
INSTALLED_APPS = ["bench.ceiling"]
MIDDLEWARE: list[str] = []
ROOT_URLCONF = "bench.ceiling.urls"
DATABASES = {
    "default": {
        "ENGINE": "django.db.backends.sqlite3",
        "NAME": str(DATA_DIR / "ceiling.sqlite3"),
        "OPTIONS": {
            "transaction_mode": "IMMEDIATE",
            "timeout": 20,
            "init_command": (
                "PRAGMA journal_mode=WAL; PRAGMA synchronous=FULL; "
                "PRAGMA foreign_keys=ON; PRAGMA secure_delete=ON;"
            ),
        },
    }
}
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"
USE_TZ = True
