"""Operator command: run the production server (gunicorn) for this install."""

from __future__ import annotations

import os
import sys
from typing import Any

from django.conf import settings
from django.core.management import call_command
from django.core.management.base import CommandError, CommandParser
from django.db import DatabaseError, connections
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, ngettext

from trustbox.core.production import (
    database_unreachable,
    migrations_pending,
    serve_refusal,
)
from trustbox.lib.commands import OperatorCommand
from trustbox.metrics.multiprocess import ENVIRONMENT_VARIABLE, GUNICORN_CONFIG, directory_prepare


def default_workers() -> int:
    return 2 * (os.cpu_count() or 1) + 1


def gunicorn_arguments(*, bind: str, workers: int, threads: int, timeout: int) -> list[str]:
    """The gunicorn command line. No access log: a request line with its time and path could
    tell when a writer came, and its client address is personal data. Errors still go to stderr.
    """
    return [
        sys.executable,
        "-m",
        "gunicorn",
        "trustbox.wsgi:application",
        f"--bind={bind}",
        f"--workers={workers}",
        f"--threads={threads}",
        f"--timeout={timeout}",
        "--error-logfile=-",
        "--log-level=info",
        "--umask=0o077",
        # One control socket per user by default: two installs on one machine would share it.
        "--no-control-socket",
        # child_exit: a dead worker's live gauges leave the counters (trustbox/metrics).
        f"--config={GUNICORN_CONFIG}",
    ]


class Command(OperatorCommand):
    help = gettext_lazy(
        "Run the production server: check that every migration is applied, collect the static "
        "files, then start gunicorn with trustbox.wsgi (no access log, so no address or path of "
        "a visitor is written). Put it behind a TLS reverse proxy: docs/deploy.md."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument(
            "--bind",
            default="127.0.0.1:8000",
            help=_("address:port or unix:/path to listen on (default 127.0.0.1:8000)"),
        )
        parser.add_argument(
            "--workers",
            type=int,
            default=None,
            help=_("worker processes (default: 2 × cores + 1 with a shared cache, else 1)"),
        )
        parser.add_argument("--threads", type=int, default=1, help=_("threads per worker"))
        parser.add_argument(
            "--timeout", type=int, default=60, help=_("seconds before a silent worker is restarted")
        )

    def workers(self, asked: int | None) -> int:
        """Several workers only with a shared cache: else each counts the limits on its own."""
        if not settings.CACHES["default"]["BACKEND"].endswith("LocMemCache"):
            return default_workers() if asked is None else asked
        if asked is None:
            return 1
        if asked > 1:
            raise CommandError(
                _(
                    "%(count)d workers without a shared cache would each count the abuse limits "
                    "on their own (%(count)d times the limit). Set TRUSTBOX_REDIS_URL to a Redis "
                    "kept in memory (docs/deploy.md, section 4), or serve with one worker."
                )
                % {"count": asked}
            )
        return asked

    def handle(self, *args: Any, **options: Any) -> None:
        # Production (TRUSTBOX_HTTPS on): the secret key from the environment, no demo secrets.
        options["workers"] = self.workers(options["workers"])
        for option in ("workers", "threads", "timeout"):
            if options[option] < 1:
                raise CommandError(_("--%(option)s must be 1 or more.") % {"option": option})
        if refusal := serve_refusal():
            raise CommandError(refusal)
        try:
            pending = migrations_pending()
        except DatabaseError as error:
            raise CommandError(database_unreachable(error)) from error
        if pending:
            raise CommandError(
                ngettext(
                    "%(count)d migration is not applied: run `python -m trustbox migrate` "
                    "first, then serve.",
                    "%(count)d migrations are not applied: run `python -m trustbox migrate` "
                    "first, then serve.",
                    pending,
                )
                % {"count": pending}
            )
        call_command("collectstatic", interactive=False, verbosity=0)
        # The workers' counters, added up at each scrape; an earlier run's counts are dropped.
        os.environ[ENVIRONMENT_VARIABLE] = str(directory_prepare(settings.METRICS_DIR))
        connections.close_all()
        arguments = gunicorn_arguments(
            bind=options["bind"],
            workers=options["workers"],
            threads=options["threads"],
            timeout=options["timeout"],
        )
        sys.stdout.flush()
        sys.stderr.flush()
        # Replace this process: gunicorn's master then gets the service manager's signals.
        # S606 flags every exec; this one is a fixed argument list.
        os.execv(sys.executable, arguments)  # noqa: S606
