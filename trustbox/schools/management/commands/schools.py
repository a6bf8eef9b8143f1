"""Operator command: import districts, schools and their directors from a CSV file."""

from __future__ import annotations

import os
from pathlib import Path
from typing import Any

from django.core.exceptions import ValidationError
from django.core.management.base import CommandError, CommandParser
from django.utils import timezone
from django.utils.functional import lazy
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from trustbox.lib.commands import OperatorCommand
from trustbox.lib.spreadsheets import csv_write
from trustbox.schools.management.commands._operator import actor, add_by_argument, refused
from trustbox.schools.rollout import COLUMNS, Plan, rollout_plan, rollout_rows
from trustbox.schools.services import InitialPassword, Progress, login_address, schools_import

# A line on stderr for each tenth of a long import written.
PROGRESS_STEPS = 10


class Command(OperatorCommand):
    help = lazy(
        lambda: (
            _(
                "Import districts, schools and directors for a rollout: `schools import "
                "FILE.csv [--dry-run]`. Columns (header row, any order): %(columns)s. All or "
                "nothing: a file with any bad row writes nothing and lists every problem; a row "
                "already there is left as it is, so running the file twice changes nothing. The "
                "directors' initial passwords go to a file only its owner reads (--passwords), "
                "never to the screen or a log."
            )
            % {"columns": ", ".join(COLUMNS)}
        ),
        str,
    )()

    def add_arguments(self, parser: CommandParser) -> None:
        actions = parser.add_subparsers(dest="action", required=True)
        load = actions.add_parser("import", help=_("import a CSV file"))
        load.add_argument("file", type=Path)
        load.add_argument(
            "--dry-run", action="store_true", help=_("check and report; write nothing")
        )
        load.add_argument(
            "--passwords",
            type=Path,
            default=None,
            help=_(
                "where to write the initial passwords "
                "(default: initial-passwords-DATE-TIME.csv here); must not exist"
            ),
        )
        add_by_argument(load)

    def handle(self, *args: Any, action: str, file: Path, **options: Any) -> None:
        if not file.is_file():
            raise CommandError(_("No file %(path)s.") % {"path": file})
        rows, problems = rollout_rows(file)
        plan = rollout_plan(rows) if not problems else Plan(problems=problems)
        self.report(plan)
        if plan.problems:
            raise CommandError(
                _("Nothing was written: fix the rows above and run the import again.")
            )
        if options["dry_run"]:
            self.stdout.write(_("Dry run: nothing was written."))
            return
        if plan.changes_nothing:
            self.stdout.write(_("Nothing to change: everything in the file is already there."))
            return
        by = actor(options["by"])
        target = options["passwords"] or Path(
            f"initial-passwords-{timezone.localtime():%Y%m%d-%H%M%S}.csv"
        )
        # Made before the import, so that a path that cannot be written stops it early.
        handle = self.open_private(target) if plan.directors else None
        try:
            passwords = schools_import(by=by, plan=plan, progress=self.progress())
        except ValidationError as error:
            if handle is not None:
                handle.close()
                target.unlink()
            raise refused(error) from error
        except BaseException:
            if handle is not None:
                handle.close()
                target.unlink()
            raise
        self.stdout.write(_("Imported."))
        if handle is not None:
            with handle:
                self.write_passwords(handle, passwords)
            self.stdout.write(
                ngettext(
                    "The initial password of %(count)d director is in %(path)s (readable by you "
                    "only). Hand it over in person or by phone, then delete the file.",
                    "The initial passwords of %(count)d directors are in %(path)s (readable by "
                    "you only). Hand each over in person or by phone, then delete the file.",
                    len(passwords),
                )
                % {"count": len(passwords), "path": target.resolve()}
            )

    def progress(self) -> Progress:
        """A line on stderr at each tenth of the schools and directors written."""
        shown = 0

        def tell(done: int, total: int) -> None:
            nonlocal shown
            tenths = done * PROGRESS_STEPS // total
            if tenths <= shown:
                return
            shown = tenths
            self.stderr.write(
                _("Written: %(percent)d%% (%(done)d of %(total)d schools and directors).")
                % {"percent": tenths * 100 // PROGRESS_STEPS, "done": done, "total": total}
            )
            self.stderr.flush()

        return tell

    def report(self, plan: Plan) -> None:
        out = self.stdout.write
        for problem in plan.problems:
            where = _("row %(row)d") % {"row": problem.row}
            if problem.column:
                where += f", {problem.column}"
            self.stderr.write(f"{where}: {problem.reason}")
        if plan.problems:
            self.stderr.write(
                ngettext(
                    "%(count)d problem in the file.",
                    "%(count)d problems in the file.",
                    len(plan.problems),
                )
                % {"count": len(plan.problems)}
            )
            return
        out(
            _(
                "Rows: %(rows)d. New — districts: %(districts)d, schools: %(schools)d, "
                "directors: %(directors)d. Already there — districts: %(districts_there)d, "
                "schools: %(schools_there)d, directors: %(directors_there)d."
            )
            % {
                "rows": plan.rows,
                "districts": len(plan.districts),
                "schools": len(plan.schools),
                "directors": len(plan.directors),
                "districts_there": plan.districts_there,
                "schools_there": plan.schools_there,
                "directors_there": plan.directors_there,
            }
        )

    def open_private(self, path: Path) -> Any:
        try:
            fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
        except OSError as error:
            raise CommandError(
                _("Cannot make the passwords file %(path)s: %(error)s")
                % {"path": path, "error": error.strerror}
            ) from error
        return os.fdopen(fd, "w", encoding="utf-8", newline="")

    def write_passwords(self, handle: Any, passwords: list[InitialPassword]) -> None:
        header = [
            "school_slug",
            "school_name",
            "director_login",
            "director_name",
            "initial_password",
        ]
        rows = [
            [item.school_slug, item.school_name, item.login, item.full_name, item.password]
            for item in passwords
        ]
        # With a BOM and `;`: Kyrgyz and Russian Excel open it in columns, Cyrillic intact.
        csv_write(
            handle,
            [header, *rows, [], [_("Login address"), login_address()]],
        )
        handle.flush()
        os.fsync(handle.fileno())
