"""A throw-away "machine" for the deploy guide: a directory standing for `/`, its own PostgreSQL.

The guide's blocks are taken from docs/deploy.md as they are written; only the absolute paths
of the machine are moved under the directory (`/etc/trustbox` → `<root>/etc/trustbox`, …), and a
few commands that need what a test cannot have are stood in for by small scripts on the PATH:
`sudo -u USER` runs as USER with USER's home (`runuser`), `systemctl` only says what it would do.
The service runs as its own system account `trustbox`, as section 1 makes it (the test makes it
on the machine that runs it when it is missing): the clone, the `.venv`, `setpriv`, the units'
`User=`, the monitor's commands, so a file that account cannot read or write fails the test.
"""

from __future__ import annotations

import os
import pwd
import re
import shlex
import shutil
import signal
import socket
import subprocess
import sys
import urllib.parse
from dataclasses import dataclass, field
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
GUIDE = ROOT / "docs" / "deploy.md"
MARKER = "<!-- deploy-test: "
BLOCK = re.compile(
    r"^<!-- deploy-test: (?P<name>[^>]+?) -->\n```\w*\n(?P<body>.*?)^```$", re.M | re.S
)
ARCHIVE_IN_GUIDE = "trustbox-backup-20261126-023000.tar.gz"
ACCOUNT = "trustbox"
# How a monitor or the operator runs a command: the units' account, environment file and folder.
MONITOR = """[Service]
User=trustbox
Group=trustbox
EnvironmentFile=/etc/trustbox/env
WorkingDirectory=/srv/trustbox/app
ExecStart=/srv/trustbox/app/.venv/bin/python -m trustbox health
"""

SHIMS = {
    "sudo": """#!/bin/bash
# sudo -u USER COMMAND…: as USER, with USER's home (sudo resets HOME); nothing else of sudo.
[ "$1" = -u ] || { echo "the test's sudo knows only: sudo -u USER COMMAND" >&2; exit 2; }
user=$2; shift 2
[ "$user" = trustbox ] && home={home} || home=$(getent passwd "$user" | cut -d: -f6)
exec runuser -u "$user" -- env HOME="$home" "$@"
""",
    "systemctl": """#!/bin/bash
echo "systemctl $* (not run: the test starts the units' ExecStart lines itself)"
""",
}
# The repository on the test's disk is root's: the clone as `trustbox` trusts it (git refuses a
# repository of another owner; a clone from the project's address has no such question).
GIT_TRUST = "[safe]\n\tdirectory = *\n"


def account_made() -> None:
    """Section 1's `adduser --system --group --home /srv/trustbox trustbox`, once per machine."""
    try:
        pwd.getpwnam(ACCOUNT)
    except KeyError:
        home = ["--home-dir", "/srv/trustbox", "--no-create-home"]
        subprocess.run(
            ["useradd", "--system", "--user-group", *home, "--shell", "/usr/sbin/nologin", ACCOUNT],
            check=True,
            capture_output=True,
        )


def guide_blocks() -> dict[str, str]:
    """The guide's marked blocks by name; every marker must stand right above its block."""
    text = GUIDE.read_text(encoding="utf-8")
    blocks: dict[str, str] = {}
    for found in BLOCK.finditer(text):
        name = found["name"]
        if name in blocks:
            raise AssertionError(f"two blocks of docs/deploy.md are marked {name!r}")
        blocks[name] = found["body"]
    markers = sum(line.startswith(MARKER) for line in text.splitlines())
    if markers != len(blocks):
        raise AssertionError(
            f"{markers} markers in docs/deploy.md but {len(blocks)} blocks right under one"
        )
    return blocks


def as_postgres(*command: str) -> list[str]:
    return ["runuser", "-u", "postgres", "--", *command]


def postgres_bin() -> Path | None:
    found = sorted(Path("/usr/lib/postgresql").glob("*/bin/initdb"))
    return found[-1].parent if found else None


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


def unit_service(body: str) -> dict[str, str]:
    """The [Service] settings of a unit file (one value each)."""
    settings: dict[str, str] = {}
    section = ""
    for line in body.splitlines():
        line = line.strip()
        if line.startswith("["):
            section = line
        elif section == "[Service]" and "=" in line and not line.startswith("#"):
            key, _, value = line.partition("=")
            settings[key] = value
    return settings


@dataclass
class Machine:
    """One fresh machine: `root` stands for `/`; PostgreSQL on its Debian socket path."""

    root: Path
    redis: bool
    archive: str = ARCHIVE_IN_GUIDE
    port: int = field(default_factory=free_port)
    running: list[subprocess.Popen[bytes]] = field(default_factory=list)

    @property
    def socket_dir(self) -> Path:
        return self.root / "var" / "run" / "postgresql"

    @property
    def app(self) -> Path:
        return self.root / "srv" / "trustbox" / "app"

    @property
    def shims(self) -> Path:
        return self.root / "test-shims"

    @property
    def home(self) -> Path:
        """The service account's home (/srv/trustbox), its own as `adduser --home` makes it."""
        return self.root / "srv" / "trustbox"

    def start(self) -> None:
        """Section 1 as far as a test goes (the account and its home; the guide's "folders"
        block makes the rest), the shims, and PostgreSQL as `postgres`."""
        account_made()
        self.root.mkdir(parents=True)
        for folder in ("var/lib", "var/backups", "srv", "root"):
            (self.root / folder).mkdir(parents=True, mode=0o755, exist_ok=True)
        (self.root / "root").chmod(0o700)
        self.home.mkdir(mode=0o700)
        shutil.chown(self.home, ACCOUNT, ACCOUNT)
        self.shims.mkdir()
        for name, text in SHIMS.items():
            (self.shims / name).write_text(text.replace("{home}", shlex.quote(str(self.home))))
            (self.shims / name).chmod(0o755)
        (self.shims / "gitconfig").write_text(GIT_TRUST)
        (self.shims / "gitconfig").chmod(0o644)
        bin_dir = postgres_bin()
        assert bin_dir is not None
        data = self.root / "var" / "lib" / "postgresql"
        for folder in (data, self.socket_dir):
            folder.mkdir(parents=True)
            shutil.chown(folder, "postgres")
        subprocess.run(
            as_postgres(str(bin_dir / "initdb"), "-D", str(data / "main"), "-A", "trust"),
            check=True,
            capture_output=True,
        )
        options = f"-k {self.socket_dir} -p 5432 -c listen_addresses='' -c fsync=off"
        subprocess.run(
            as_postgres(
                str(bin_dir / "pg_ctl"),
                "-D",
                str(data / "main"),
                "-l",
                str(data / "log"),
                "-w",
                "-o",
                options,
                "start",
            ),
            check=True,
            capture_output=True,
        )

    def stop(self) -> None:
        for process in self.running:
            if process.poll() is None:
                process.kill()
                process.wait()
        bin_dir = postgres_bin()
        data = self.root / "var" / "lib" / "postgresql" / "main"
        if bin_dir and (data / "postmaster.pid").exists():
            subprocess.run(
                as_postgres(str(bin_dir / "pg_ctl"), "-D", str(data), "-m", "immediate", "stop"),
                check=False,
                capture_output=True,
            )

    def moved(self, text: str) -> str:
        """The guide's text with this machine's paths, port and archive."""
        places = {
            "<the Trust Box repository>": str(ROOT),
            "%2Fvar%2Frun%2Fpostgresql": urllib.parse.quote(str(self.socket_dir), safe=""),
            "/etc/trustbox": f"{self.root}/etc/trustbox",
            "/srv/trustbox": f"{self.root}/srv/trustbox",
            "/var/lib/trustbox": f"{self.root}/var/lib/trustbox",
            "/var/backups/trustbox": f"{self.root}/var/backups/trustbox",
            "/root/rollout.csv": f"{self.root}/root/rollout.csv",
            "127.0.0.1:8000": f"127.0.0.1:{self.port}",
            ARCHIVE_IN_GUIDE: self.archive,
        }
        pattern = re.compile("|".join(re.escape(place) for place in places))
        text = pattern.sub(lambda found: places[found[0]], text)
        if not self.redis:
            # No redis-server here: the environment file goes without it, the server with one
            # worker (as `serve` demands without a shared cache).
            text = re.sub(r"^TRUSTBOX_REDIS_URL=.*\n", "", text, flags=re.M)
            text = text.replace("--workers 5", "--workers 1")
        return text

    def environment(self) -> dict[str, str]:
        """A root shell's environment, none of the test run's own settings."""
        kept = {
            key: value
            for key, value in os.environ.items()
            if not key.startswith(("TRUSTBOX_", "DATABASE_URL", "DJANGO_", "PG", "VIRTUAL_ENV"))
        }
        kept["PATH"] = f"{self.shims}:{os.environ.get('PATH', '/usr/bin:/bin')}"
        kept["HOME"] = str(self.root / "root")
        kept["PGHOST"] = str(self.socket_dir)
        kept["GIT_CONFIG_GLOBAL"] = str(self.shims / "gitconfig")
        return kept

    def shell(self, script: str, timeout: int = 900) -> subprocess.CompletedProcess[str]:
        """Run the script as root's shell would, from root's home, stopping at the first error."""
        return subprocess.run(
            ["bash", "-euo", "pipefail", "-c", self.moved(script)],
            cwd=self.root / "root",
            env=self.environment(),
            capture_output=True,
            text=True,
            timeout=timeout,
            check=False,
        )

    def offline_venv(self) -> str:
        """The shell lines that give the clone a .venv reusing this run's packages (no network),
        marked installed for pyproject.toml as `bootstrap_python` marks it after pip, made by the
        service account as `bootstrap_python` makes it. Written with the guide's paths, which
        `shell` moves like the guide's own lines. The Python is the system's where there is one
        (a Python under root's home, as pyenv installs it, is not the account's to run)."""
        version = f"python{sys.version_info[0]}.{sys.version_info[1]}"
        shared = Path(sys.prefix) / "lib" / version / "site-packages"
        base = Path("/usr/bin") / version
        if not base.exists():
            base = Path(sys.base_prefix) / "bin" / version
        venv = "/srv/trustbox/app/.venv"
        account = f"sudo -u {ACCOUNT}"
        return "\n".join(
            [
                f"{account} {shlex.quote(str(base))} -m venv --without-pip {venv}",
                f"echo {shlex.quote(str(shared))} | "
                f"{account} tee {venv}/lib/{version}/site-packages/test.pth >/dev/null",
                "sha256sum /srv/trustbox/app/pyproject.toml | cut -d' ' -f1 | "
                f"{account} tee {venv}/.trustbox-installed >/dev/null",
            ]
        )

    def systemd_env(self, unit: str) -> tuple[list[str], dict[str, str], Path, str]:
        """A unit's ExecStart, environment (its EnvironmentFile, as systemd reads it, and the
        account's HOME, USER, LOGNAME, as systemd sets them for User=), folder and account."""
        service = unit_service(self.moved(unit))
        user = service.get("User", "root")
        home = str(self.home) if user == ACCOUNT else pwd.getpwnam(user).pw_dir
        environment = {
            "PATH": "/usr/bin:/bin",
            "LANG": "C.UTF-8",
            "HOME": home,
            "USER": user,
            "LOGNAME": user,
        }
        for line in Path(service["EnvironmentFile"]).read_text().splitlines():
            if "=" in line and not line.startswith("#"):
                key, _, value = line.partition("=")
                environment[key] = value
        command = shlex.split(service["ExecStart"])
        return command, environment, Path(service["WorkingDirectory"]), user

    def unit_run(self, unit: str, timeout: int = 600) -> subprocess.CompletedProcess[str]:
        command, environment, folder, user = self.systemd_env(unit)
        return subprocess.run(
            command,
            cwd=folder,
            env=environment,
            user=user,
            group=user,
            extra_groups=[],
            capture_output=True,
            text=True,
            timeout=timeout,
            check=False,
            umask=0o077,
        )

    def unit_start(self, unit: str, log: Path) -> subprocess.Popen[bytes]:
        command, environment, folder, user = self.systemd_env(unit)
        with log.open("wb") as output:
            process = subprocess.Popen(
                command,
                cwd=folder,
                env=environment,
                stdout=output,
                stderr=output,
                umask=0o077,
                user=user,
                group=user,
                extra_groups=[],
            )
        self.running.append(process)
        return process

    def python(self, *arguments: str) -> subprocess.CompletedProcess[str]:
        """`python -m trustbox …` in the app's folder with the environment file, as a monitor
        run as the service account."""
        _command, environment, folder, user = self.systemd_env(MONITOR)
        return subprocess.run(
            [str(self.app / ".venv" / "bin" / "python"), "-m", "trustbox", *arguments],
            cwd=folder,
            env=environment,
            user=user,
            group=user,
            extra_groups=[],
            capture_output=True,
            text=True,
            timeout=600,
            check=False,
            umask=0o077,
        )


def stopped(process: subprocess.Popen[bytes], timeout: int = 120) -> int:
    """SIGTERM, as systemd stops a service; the exit status."""
    process.send_signal(signal.SIGTERM)
    return process.wait(timeout=timeout)
