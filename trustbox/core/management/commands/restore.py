"""Operator command: bring a backup back into an empty install (see trustbox/core/backup.py)."""

from __future__ import annotations

import dataclasses
import datetime
from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.utils import timezone
from django.utils.translation import gettext as _

from trustbox.core.backup import BackupError, backup_restore
from trustbox.core.destructions import Reapplied, restore_destructions


def local_time(iso: str) -> str:
    """The archive's time as its name gives it: the install's local time, to the minute."""
    try:
        moment = datetime.datetime.fromisoformat(iso)
    except ValueError:
        return iso
    return timezone.localtime(moment).strftime("%Y-%m-%d %H:%M")


def _outcome(outcome: str) -> str:
    """Why a destruction the ledger lists was not made again (destruction_reapply)."""
    if outcome == "not in the registry":
        return _("this backup is older than the opening that took it out of the box")
    return _("this database does not hold it")


class Command(BaseCommand):
    help = (
        "Restore a backup made by `backup` into this install's database and data folder: "
        "`restore trustbox-backup-….tar.gz`. Stop the server first. A database that is not "
        "empty is kept unless --force."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("archive", type=Path)
        parser.add_argument(
            "--force", action="store_true", help="replace a database that is not empty"
        )
        parser.add_argument(
            "--destructions",
            type=Path,
            metavar="FILE",
            help="a ledger of destructions kept elsewhere (trustbox-destructions.jsonl), read "
            "besides the one beside the archive and the data folder's",
        )

    def handle(self, *args: Any, archive: Path, force: bool, **options: Any) -> None:
        if not archive.is_file():
            raise CommandError(_("No file %(path)s.") % {"path": archive})
        ledger = options.get("destructions")
        if ledger is not None and not ledger.is_file():
            raise CommandError(_("No file %(path)s.") % {"path": ledger})
        try:
            restored = backup_restore(archive=archive, force=force)
        except BackupError as error:
            raise CommandError(str(error)) from error
        self.stdout.write(
            _("Restored the backup of %(when)s (%(engine)s).")
            % {"when": local_time(restored.created_at), "engine": restored.engine}
        )
        self.destructions(restore_destructions(archive=archive, ledger=ledger))
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

    def destructions(self, reapplied: Reapplied) -> None:
        """Say what the ledgers of destructions made of the restored database."""
        if not reapplied.read:
            self.stdout.write(
                _(
                    "WARNING: no ledger of destructions was found (looked at: %(places)s). It "
                    "could not be checked whether this backup holds cases destroyed after it was "
                    "made. Find the ledger (trustbox-destructions.jsonl beside the archives, or "
                    "the daily log's lines) and restore again with --destructions FILE before "
                    "the server serves."
                )
                % {"places": ", ".join(str(path) for path in reapplied.looked)}
            )
            return
        self.stdout.write(
            _(
                "Ledgers of destructions read: %(ledgers)s. Destructions destroyed again in the "
                "restored database: %(count)d."
            )
            % {
                "ledgers": ", ".join(str(path) for path in reapplied.read),
                "count": len(reapplied.done),
            }
        )
        for record, outcome in reapplied.not_done:
            self.stdout.write(
                _(
                    "WARNING: %(school)s, appeal %(number)s (place %(seq)d in the box), act "
                    "%(act)s: %(outcome)s — not destroyed again here."
                )
                % {**dataclasses.asdict(record), "outcome": _outcome(outcome)}
            )
