"""Run ``python -m trustbox`` in a child process against a data directory of its own."""

from __future__ import annotations

import os
import socket
import subprocess
import sys
from pathlib import Path

from django.conf import settings


def trustbox_env(data_dir: Path, **extra: str) -> dict[str, str]:
    """The environment of a child install: its own data directory, SQLite unless told otherwise."""
    # Not the test run's own switches: the browser tests allow Django's async-unsafe calls.
    dropped = {"DATABASE_URL", "DJANGO_ALLOW_ASYNC_UNSAFE"}
    env = {k: v for k, v in os.environ.items() if k not in dropped}
    env.update(
        TRUSTBOX_DATA_DIR=str(data_dir),
        TRUSTBOX_HTTPS="0",
        TRUSTBOX_EMAIL_BACKEND="django.core.mail.backends.locmem.EmailBackend",
        # As in the suite (conftest.py): children fill the box and open it the same day.
        TRUSTBOX_OPENING_TAKES_ITS_OWN_DAY="1",
        PYTHONPATH=str(settings.BASE_DIR),
    )
    env.pop("TRUSTBOX_SECRET_KEY", None)
    env.pop("TRUSTBOX_OTP_KEY", None)
    env.update(extra)
    return env


def run_trustbox(
    *args: str,
    data_dir: Path,
    env: dict[str, str] | None = None,
    stdin: str | None = None,
    check: bool = True,
    timeout: float = 300,
) -> subprocess.CompletedProcess[str]:
    """Run one operator command to its end; fail with its output if it fails and check is on."""
    result = subprocess.run(
        [sys.executable, "-m", "trustbox", *args],
        cwd=settings.BASE_DIR,
        env=env or trustbox_env(data_dir),
        input=stdin,
        capture_output=True,
        text=True,
        timeout=timeout,
        check=False,
    )
    if check and result.returncode != 0:
        raise AssertionError(
            f"trustbox {' '.join(args)} exited {result.returncode}:\n"
            f"{result.stdout}\n{result.stderr}"
        )
    return result


PRELUDE = (
    "import os, django\n"
    "os.umask(0o077)\n"
    "os.environ.setdefault('DJANGO_SETTINGS_MODULE', 'trustbox.settings')\n"
    "django.setup()\n"
    "from django.conf import settings\n"
    "settings.PASSWORD_HASHERS = ['trustbox.test.FastArgon2PasswordHasher']\n"
)


def run_script_to_its_end(
    script: str, *, data_dir: Path, env: dict[str, str] | None = None, timeout: float = 300
) -> subprocess.CompletedProcess[str]:
    """Run Python code with Django set up for that data directory, however it ends."""
    return subprocess.run(
        [sys.executable, "-c", PRELUDE + script],
        cwd=settings.BASE_DIR,
        env=env or trustbox_env(data_dir),
        capture_output=True,
        text=True,
        timeout=timeout,
        check=False,
    )


def run_script(
    script: str, *, data_dir: Path, env: dict[str, str] | None = None, timeout: float = 300
) -> str:
    """Run Python code with Django set up for that data directory (cheap test password hashing)."""
    result = run_script_to_its_end(script, data_dir=data_dir, env=env, timeout=timeout)
    if result.returncode != 0:
        raise AssertionError(
            f"script exited {result.returncode}:\n{result.stdout}\n{result.stderr}"
        )
    return result.stdout


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port: int = probe.getsockname()[1]
        return port
