"""Back up and restore an install: the database, in one archive.

The archive (``trustbox-backup-YYYYMMDD-HHMMSS.tar.gz``, mode 0600) holds:

- ``manifest.json``: the format, when, the database engine, the migrations applied, and the
  SHA-256 of every other member;
- ``database.sqlite3`` (SQLite's online backup API: a consistent copy while the server runs) or
  ``database.pgdump`` (``pg_dump`` in its custom format, one consistent snapshot).

What it does not hold, on purpose:

- the reserve parts of the box key (paper in the school safe) and the members' passwords (in
  their heads): the database holds the box key's parts only locked under the members' passwords,
  so a backup alone opens no appeal. A restored server opens the box exactly as the original
  did: a quorum of members with their passwords, or with the reserve parts;
- Django's secret key, wherever it lives (format 1 archives held the data folder's
  ``secret_key``; format 2 never does): in production it comes from the environment
  (``TRUSTBOX_SECRET_KEY`` in ``/etc/trustbox/env``, docs/deploy.md), which the restored
  server is given again. A restore never writes a secret key; one in a format 1 archive is
  left out, and the sessions it signed simply end;
- the cache (abuse counters of the last hour, keyed tags of clients), the collected static
  files (remade by ``serve``), demo files, and the configuration of the environment
  (``TRUSTBOX_*``, ``DATABASE_URL``, mail): keep that with the server's configuration.
"""

from __future__ import annotations

import hashlib
import io
import json
import os
import shutil
import sqlite3
import subprocess
import tarfile
import tempfile
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from django.conf import settings
from django.db import connection, connections
from django.db.migrations.loader import MigrationLoader
from django.utils import timezone
from django.utils.translation import gettext as _

# Format 2 holds the database only; format 1 (before December 2026) also held the data
# folder's secret key, which a restore now leaves out.
FORMAT = 2
FORMATS_READ = (1, 2)
MANIFEST = "manifest.json"
SQLITE_MEMBER = "database.sqlite3"
PG_MEMBER = "database.pgdump"
OLD_SECRET_KEY_MEMBER = "secret_key"


class BackupError(Exception):
    """The backup or the restore cannot go on; the message says why, for the operator."""


def _engine() -> str:
    return "postgresql" if connection.vendor == "postgresql" else "sqlite"


def _sha256(path: Path) -> str:
    digest = hashlib.sha256()
    with path.open("rb") as handle:
        for block in iter(lambda: handle.read(1 << 20), b""):
            digest.update(block)
    return digest.hexdigest()


def _applied_migrations() -> dict[str, list[str]]:
    applied: dict[str, list[str]] = {}
    for app, name in sorted(
        MigrationLoader(connection, ignore_no_migrations=True).applied_migrations
    ):
        applied.setdefault(app, []).append(name)
    return applied


# PostgreSQL: the client programs of the server's major version (Debian puts each version in
# /usr/lib/postgresql/<major>/bin), or those on the PATH.
def pg_program(name: str) -> str:
    with connection.cursor() as cursor:
        cursor.execute("SHOW server_version_num")
        major = int(cursor.fetchone()[0]) // 10000
    candidate = Path(f"/usr/lib/postgresql/{major}/bin/{name}")
    if candidate.exists():
        return str(candidate)
    found = shutil.which(name)
    if found is None:
        raise BackupError(
            _("%(program)s is not installed: install the PostgreSQL %(major)d client.")
            % {"program": name, "major": major}
        )
    return found


def _pg_environment() -> dict[str, str]:
    """Connection settings for pg_dump and pg_restore, through libpq's environment."""
    db: dict[str, Any] = dict(settings.DATABASES["default"])
    env = dict(os.environ)
    for key, variable in (
        ("HOST", "PGHOST"),
        ("PORT", "PGPORT"),
        ("USER", "PGUSER"),
        ("PASSWORD", "PGPASSWORD"),
        ("NAME", "PGDATABASE"),
    ):
        if db.get(key):
            env[variable] = str(db[key])
    return env


def _run(command: list[str]) -> None:
    # S603 flags every subprocess call; this one runs pg_dump or pg_restore from a fixed list.
    result = subprocess.run(  # noqa: S603
        command, env=_pg_environment(), capture_output=True, text=True, check=False
    )
    if result.returncode != 0:
        raise BackupError(
            _("%(program)s failed: %(error)s")
            % {"program": Path(command[0]).name, "error": result.stderr.strip()}
        )


def _database_copy(work: Path) -> Path:
    if _engine() == "postgresql":
        target = work / PG_MEMBER
        _run(
            [
                pg_program("pg_dump"),
                "--format=custom",
                "--no-owner",
                "--no-privileges",
                f"--file={target}",
            ]
        )
        return target
    source = Path(settings.DATABASES["default"]["NAME"])
    if not source.exists():
        raise BackupError(
            _("There is no database at %(path)s: nothing to back up.") % {"path": source}
        )
    target = work / SQLITE_MEMBER
    with sqlite3.connect(source, timeout=60) as live, sqlite3.connect(target) as copy:
        # The online backup API copies one consistent state while the server keeps writing.
        live.backup(copy)
        copy.execute("PRAGMA journal_mode=DELETE")
    live.close()
    copy.close()
    return target


def _add(archive: tarfile.TarFile, path: Path, name: str) -> None:
    info = archive.gettarinfo(str(path), arcname=name)
    info.mode, info.uid, info.gid, info.uname, info.gname = 0o600, 0, 0, "", ""
    with path.open("rb") as handle:
        archive.addfile(info, handle)


def backup_create(*, output: Path) -> Path:
    """Write one consistent archive of the install into the folder `output`; return its path.

    Any failure of the disk (full, read-only, not a folder) is a BackupError naming the folder
    and the reason; nothing half-written is left behind.
    """
    if output.exists() and not output.is_dir():
        raise BackupError(
            _("%(path)s is a file, not a folder: give --output the folder for the archives.")
            % {"path": output}
        )
    try:
        output.mkdir(mode=0o700, parents=True, exist_ok=True)
        return _archive_write(output)
    except OSError as error:
        raise BackupError(
            _("The backup could not be written to %(folder)s: %(reason)s. Nothing was kept.")
            % {"folder": output, "reason": error.strerror or error}
        ) from error


def _archive_write(output: Path) -> Path:
    stamp = timezone.localtime().strftime("%Y%m%d-%H%M%S")
    final = output / f"trustbox-backup-{stamp}.tar.gz"
    if final.exists():
        raise BackupError(_("%(path)s exists already.") % {"path": final})
    # Work next to the archive: the copy of the database never lands anywhere less protected.
    work = Path(tempfile.mkdtemp(prefix=".trustbox-backup-", dir=output))
    try:
        database = _database_copy(work)
        # The database only: never the secret key, from the data folder or the environment.
        members = {database.name: database}
        manifest = {
            "format": FORMAT,
            "created_at": timezone.now().isoformat(timespec="seconds"),
            "engine": _engine(),
            "migrations": _applied_migrations(),
            "sha256": {name: _sha256(path) for name, path in members.items()},
        }
        partial = work / "archive.tar.gz"
        fd = os.open(partial, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
        with os.fdopen(fd, "wb") as raw, tarfile.open(fileobj=raw, mode="w:gz") as archive:
            body = json.dumps(manifest, indent=2, sort_keys=True).encode()
            info = tarfile.TarInfo(MANIFEST)
            info.size, info.mode, info.mtime = len(body), 0o600, int(timezone.now().timestamp())
            archive.addfile(info, io.BytesIO(body))
            for name, path in members.items():
                _add(archive, path, name)
            raw.flush()
            os.fsync(raw.fileno())
        os.replace(partial, final)
    finally:
        shutil.rmtree(work, ignore_errors=True)
    return final


@dataclass(frozen=True)
class Restored:
    engine: str
    created_at: str
    # A format 1 archive held a secret key, which was left out (the environment gives it).
    secret_key_left_out: bool
    unknown_migrations: list[str]


def _data_extracted(archive: tarfile.TarFile, work: Path, members: list[tarfile.TarInfo]) -> None:
    """Files and folders only, inside `work`: tarfile's "data" filter, or where Python has none
    (before 3.11.4, as Debian 12's python3.11) the same refusals made here."""
    if hasattr(tarfile, "data_filter"):
        archive.extractall(work, members=members, filter="data")
        return
    for member in members:
        path = Path(member.name)
        if not (member.isfile() or member.isdir()) or path.is_absolute() or ".." in path.parts:
            raise tarfile.TarError(f"{member.name}: not a plain file inside the archive")
    archive.extractall(work, members=members)  # noqa: S202 (every member checked above)


def archive_read(archive_path: Path, work: Path) -> dict[str, Any]:
    try:
        with tarfile.open(archive_path, mode="r:gz") as archive:
            names = archive.getnames()
            if MANIFEST not in names:
                raise BackupError(_("%(path)s is not a Trust Box backup.") % {"path": archive_path})
            # A format 1 archive's secret key is never written, not even to the work folder.
            _data_extracted(
                archive,
                work,
                [m for m in archive.getmembers() if m.name != OLD_SECRET_KEY_MEMBER],
            )
    except (tarfile.TarError, OSError) as error:
        raise BackupError(
            _("%(path)s cannot be read: %(error)s") % {"path": archive_path, "error": error}
        ) from error
    manifest: dict[str, Any] = json.loads((work / MANIFEST).read_text())
    if manifest.get("format") not in FORMATS_READ:
        raise BackupError(_("%(path)s is not a Trust Box backup.") % {"path": archive_path})
    for name, expected in manifest["sha256"].items():
        if name == OLD_SECRET_KEY_MEMBER:
            continue
        if not (work / name).exists() or _sha256(work / name) != expected:
            raise BackupError(
                _("%(name)s in the archive is damaged (its checksum differs).") % {"name": name}
            )
    return manifest


# Rows that `migrate` itself writes: a database holding only these holds no data yet.
BOOKKEEPING_TABLES = {"django_migrations", "django_content_type", "auth_permission"}


def _database_tables() -> list[str]:
    if _engine() == "sqlite":
        path = Path(settings.DATABASES["default"]["NAME"])
        if not path.exists() or path.stat().st_size == 0:
            return []
    with connection.cursor() as cursor:
        return list(connection.introspection.table_names(cursor))


def _database_holds_data(tables: list[str]) -> bool:
    """True when a table other than migrate's bookkeeping has a row (the guide migrates first)."""
    quote = connection.ops.quote_name
    with connection.cursor() as cursor:
        for table in sorted(set(tables) - BOOKKEEPING_TABLES):
            cursor.execute(f"SELECT 1 FROM {quote(table)} LIMIT 1")  # noqa: S608 -- our tables
            if cursor.fetchone():
                return True
    return False


def _unknown_migrations(manifest: dict[str, Any]) -> list[str]:
    known = set(MigrationLoader(None, ignore_no_migrations=True).disk_migrations)
    return [
        f"{app}.{name}"
        for app, names in manifest["migrations"].items()
        for name in names
        if (app, name) not in known
    ]


def backup_restore(*, archive: Path, force: bool = False) -> Restored:
    """Bring an archive back into this install's database and data directory.

    A database that holds anything is kept unless `force`; the server must be stopped.
    """
    work = Path(tempfile.mkdtemp(prefix=".trustbox-restore-", dir=settings.DATA_DIR))
    try:
        manifest = archive_read(archive, work)
        if manifest["engine"] != _engine():
            raise BackupError(
                _(
                    "The archive holds a %(archive)s database and this install uses %(here)s: "
                    "restore it into an install with the same database engine."
                )
                % {"archive": manifest["engine"], "here": _engine()}
            )
        unknown = _unknown_migrations(manifest)
        if unknown and not force:
            raise BackupError(
                _(
                    "The archive comes from a newer Trust Box (unknown migrations: "
                    "%(migrations)s): install that version first."
                )
                % {"migrations": ", ".join(unknown)}
            )
        tables = _database_tables()
        if _database_holds_data(tables) and not force:
            raise BackupError(
                _(
                    "The database is not empty: restoring would overwrite it. Restore into an "
                    "empty install, or add --force to replace what is there."
                )
            )
        if manifest["engine"] == "postgresql":
            _run(
                [
                    pg_program("pg_restore"),
                    "--no-owner",
                    "--no-privileges",
                    "--exit-on-error",
                    "--single-transaction",
                    *(["--clean", "--if-exists"] if tables else []),
                    f"--dbname={settings.DATABASES['default']['NAME']}",
                    str(work / PG_MEMBER),
                ]
            )
        else:
            _sqlite_put(work / SQLITE_MEMBER)
    finally:
        shutil.rmtree(work, ignore_errors=True)
    return Restored(
        engine=manifest["engine"],
        created_at=manifest["created_at"],
        secret_key_left_out=OLD_SECRET_KEY_MEMBER in manifest["sha256"],
        unknown_migrations=unknown,
    )


def _sqlite_put(copy: Path) -> None:
    with sqlite3.connect(copy) as check:
        (result,) = check.execute("PRAGMA integrity_check").fetchone()
    check.close()
    if result != "ok":
        raise BackupError(
            _("The database in the archive fails the integrity check: %(result)s")
            % {"result": result}
        )
    connections.close_all()
    target = Path(settings.DATABASES["default"]["NAME"])
    for stale in (Path(f"{target}-wal"), Path(f"{target}-shm")):
        stale.unlink(missing_ok=True)
    copy.chmod(0o600)
    os.replace(copy, target)
