"""Operator command: bring a backup back into an empty install (see trustbox/core/backup.py)."""

from __future__ import annotations

import datetime
from pathlib import Path
from typing import Any

from django.core.management.base import CommandError, CommandParser
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from trustbox.core.backup import BackupError, backup_restore
from trustbox.lib.commands import OperatorCommand


def local_time(iso: str) -> str:
    """The archive's time as its name gives it: the install's local time, to the minute."""
    try:
        moment = datetime.datetime.fromisoformat(iso)
    except ValueError:
        return iso
    return timezone.localtime(moment).strftime("%Y-%m-%d %H:%M")


class Command(OperatorCommand):
    help = gettext_lazy(
        "Restore a backup made by `backup` into this install's database and data folder: "
        "`restore trustbox-backup-….tar.gz`. Stop the server first. A database that is not "
        "empty is kept unless --force."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("archive", type=Path)
        parser.add_argument(
            "--force", action="store_true", help=_("replace a database that is not empty")
        )

    def handle(self, *args: Any, archive: Path, force: bool, **options: Any) -> None:
        if not archive.is_file():
            raise CommandError(_("No file %(path)s.") % {"path": archive})
        try:
            restored = backup_restore(archive=archive, force=force)
        except BackupError as error:
            raise CommandError(str(error)) from error
        self.stdout.write(
            _("Restored the backup of %(when)s (%(engine)s).")
            % {"when": local_time(restored.created_at), "engine": restored.engine}
        )
        if restored.secret_key_left_out:
            self.stdout.write(
                _(
                    "The archive, made by an earlier Trust Box, also held a secret key: it was "
                    "left out. The server takes its secret key from TRUSTBOX_SECRET_KEY in the "
                    "environment (docs/deploy.md); everyone signs in again."
                )
            )
        self.stdout.write(
            _(
                "Next: `python -m trustbox migrate` (if this Trust Box is newer), then start the "
                "server. The box opens with the members' passwords or the reserve parts from the "
                "safe, as before."
            )
        )
