"""Looking after the archives `backup` writes: proving one opens, and letting old ones go.

`backup --verify ARCHIVE` reads an archive as a restore would (every checksum, and the database
itself: SQLite's integrity check, or pg_restore's table of contents) without touching this
install. `backup --keep-days N` deletes the folder's archives older than N days (by the time
in their names) after a new one was written, so no copy outlives the stated age.
"""

from __future__ import annotations

import datetime
import re
import shutil
import sqlite3
import subprocess
import tempfile
from pathlib import Path
from typing import Any

from django.conf import settings
from django.utils import timezone
from django.utils.translation import gettext as _

from trustbox.core.backup import PG_MEMBER, SQLITE_MEMBER, BackupError, archive_read, pg_program

ARCHIVE_NAME = re.compile(r"^trustbox-backup-(\d{8}-\d{6})\.tar\.gz$")


def backup_verify(*, archive: Path) -> dict[str, Any]:
    """Open the archive in a scratch folder and check its database; its manifest, or BackupError."""
    work = Path(tempfile.mkdtemp(prefix=".trustbox-verify-", dir=settings.DATA_DIR))
    try:
        manifest = archive_read(archive, work)
        if (work / SQLITE_MEMBER).exists():
            with sqlite3.connect(work / SQLITE_MEMBER) as copy:
                (result,) = copy.execute("PRAGMA integrity_check").fetchone()
            copy.close()
            if result != "ok":
                raise BackupError(
                    _("The database in the archive fails the integrity check: %(result)s")
                    % {"result": result}
                )
        elif (work / PG_MEMBER).exists():
            listed = subprocess.run(  # noqa: S603 -- a fixed program and our own file
                [pg_program("pg_restore"), "--list", str(work / PG_MEMBER)],
                capture_output=True,
                text=True,
                check=False,
            )
            if listed.returncode != 0 or "TABLE DATA" not in listed.stdout:
                raise BackupError(
                    _("The database in the archive cannot be read: %(reason)s")
                    % {"reason": (listed.stderr.strip().splitlines() or ["no table"])[0]}
                )
        return manifest
    finally:
        shutil.rmtree(work, ignore_errors=True)


def archive_made_at(path: Path) -> datetime.datetime | None:
    found = ARCHIVE_NAME.match(path.name)
    if found is None:
        return None
    naive = datetime.datetime.strptime(found.group(1), "%Y%m%d-%H%M%S")
    return timezone.make_aware(naive)


def backups_rotate(
    *, folder: Path, keep_days: int, now: datetime.datetime | None = None
) -> list[Path]:
    """Delete the folder's archives made more than keep_days ago; return what was deleted."""
    oldest_kept = (now or timezone.now()) - datetime.timedelta(days=keep_days)
    deleted = []
    for path in sorted(folder.glob("trustbox-backup-*.tar.gz")):
        made = archive_made_at(path)
        if made is not None and made < oldest_kept:
            path.unlink()
            deleted.append(path)
    return deleted
