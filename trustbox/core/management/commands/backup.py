"""Operator command: write a consistent archive of the install (see trustbox/core/backup.py)."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.utils.translation import gettext as _

from trustbox.core.backup import BackupError, backup_create
from trustbox.core.backup_care import backup_verify, backups_rotate
from trustbox.core.destructions import ledger_beside, ledger_read
from trustbox.core.models import Heartbeat


class Command(BaseCommand):
    help = (
        "Write one consistent archive of the database (mode 0600) while the server runs: "
        "`backup --output /var/backups/trustbox`. It holds no reserve part, no password and no "
        "secret key: a restored server opens the box as before, with the members or the safe, "
        "and takes its secret key from the environment."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument(
            "--output", type=Path, default=Path("."), help="folder for the archive (default: here)"
        )
        parser.add_argument(
            "--keep-days",
            type=int,
            default=settings.BACKUP_KEEP_DAYS,
            help="delete the folder's archives older than this many days, after writing a new "
            "one (default: TRUSTBOX_BACKUP_KEEP_DAYS, 30; 0 keeps them all)",
        )
        parser.add_argument(
            "--verify",
            type=Path,
            metavar="ARCHIVE",
            help="write nothing: prove that ARCHIVE opens (checksums and its database)",
        )

    def handle(self, *args: Any, output: Path, **options: Any) -> None:
        if options["verify"] is not None:
            self.verify(options["verify"])
            return
        try:
            archive = backup_create(output=output)
        except BackupError as error:
            raise CommandError(str(error)) from error
        Heartbeat.beat(Heartbeat.Routine.BACKUP)
        if options["keep_days"] > 0:
            for old in backups_rotate(folder=archive.parent, keep_days=options["keep_days"]):
                self.stderr.write(_("Deleted %(path)s (older than the days kept).") % {"path": old})
        self.stdout.write(archive.resolve().as_posix())
        self.maximum_age(archive.parent, options["keep_days"])
        if options["verbosity"] > 0:
            self.stderr.write(
                _(
                    "Backup written (readable by you only). It holds no reserve part of the box "
                    "key, no password and no secret key: after a restore the box opens with the "
                    "members' passwords or the reserve parts from the safe, as before, and the "
                    "server takes its secret key from the environment. Copy it to another "
                    "machine."
                )
            )

    def maximum_age(self, folder: Path, keep_days: int) -> None:
        """Say how long the archives live, and write the ledger of destructions beside them."""
        if keep_days > 0:
            self.stderr.write(
                _(
                    "Archives in %(folder)s are kept for at most %(days)d days: a case destroyed "
                    "today is in none of them after that. Keep copies elsewhere no longer."
                )
                % {"folder": folder, "days": keep_days}
            )
        else:
            self.stderr.write(
                _(
                    "WARNING: --keep-days 0 keeps every archive for ever, and with them every "
                    "case destroyed since: give the archives a maximum age."
                )
            )
        try:
            ledger = ledger_beside(folder)
        except OSError as error:
            raise CommandError(
                _("The ledger of destructions could not be written to %(folder)s: %(reason)s")
                % {"folder": folder, "reason": error.strerror or error}
            ) from error
        self.stderr.write(
            _(
                "Ledger of destructions beside the archives: %(path)s (destructions listed: "
                "%(count)d). A restore re-applies them."
            )
            % {"path": ledger, "count": len(ledger_read(ledger))}
        )

    def verify(self, archive: Path) -> None:
        if not archive.is_file():
            raise CommandError(_("No file %(path)s.") % {"path": archive})
        try:
            manifest = backup_verify(archive=archive)
        except BackupError as error:
            raise CommandError(str(error)) from error
        self.stdout.write(
            _("%(path)s opens: every checksum holds and its %(engine)s database reads whole.")
            % {"path": archive, "engine": manifest["engine"]}
        )
