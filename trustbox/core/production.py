"""What a production server refuses to start with.

Production is a server with TRUSTBOX_HTTPS on (the default): Secure cookies and HSTS, so every
real install runs so, and only the local demo on http://localhost switches it off. There,
`python -m trustbox serve` and the WSGI application (trustbox/wsgi.py, for any other WSGI
server) refuse to start:

- without TRUSTBOX_SECRET_KEY in the environment: the key would otherwise be a file in the data
  folder, read by whoever reads that folder; from the environment it stays out of the folder
  and out of every backup (docs/deploy.md, section 5); the same for TRUSTBOX_OTP_KEY, which
  seals the authenticators' secrets (trustbox/accounts/authenticators.py);
- while the demo's secret files are in the data folder (its reserve parts and receipt code,
  trustbox/demo/files.py): a real install must not keep them.

The other operator commands (migrate, backup, the tests) do not ask: only a server signs
sessions and forms with the key.
"""

from __future__ import annotations

from django.conf import settings
from django.db import DEFAULT_DB_ALIAS, connections
from django.db.migrations.executor import MigrationExecutor
from django.utils.translation import gettext as _

from trustbox.demo.files import demo_secret_files


def is_production() -> bool:
    return bool(settings.HTTPS)


def serve_refusal() -> str | None:
    """One clear line saying why this server must not start and what to do; None if it may."""
    if not is_production():
        return None
    if not settings.SECRET_KEY_FROM_ENVIRONMENT:
        return _(
            "TRUSTBOX_SECRET_KEY is not set: in production the secret key comes from the "
            "environment, never from the data folder. Put TRUSTBOX_SECRET_KEY=<a long random "
            "key> in the file named by EnvironmentFile= in the systemd unit (/etc/trustbox/env, "
            "mode 0600, owned by root), as docs/deploy.md shows, then start again."
        )
    if not settings.AUTHENTICATOR_KEY_FROM_ENVIRONMENT:
        return _(
            "TRUSTBOX_OTP_KEY is not set: in production the key that seals the authenticators' "
            "secrets comes from the environment, never from the data folder. Put "
            "TRUSTBOX_OTP_KEY=<a long random key> in /etc/trustbox/env, as docs/deploy.md "
            "shows, then start again."
        )
    if found := demo_secret_files():
        return _(
            "%(path)s holds secrets of the demo (reserve parts of its box key, a receipt code): "
            "a real install must not keep them. Delete it (shred -u %(path)s), then start again."
        ) % {"path": found[0]}
    return None


def database_unreachable(error: Exception) -> str:
    """One line for the operator when the database does not answer (its first line of reason)."""
    reason = (str(error).strip().splitlines() or [type(error).__name__])[0]
    return _(
        "The database cannot be reached (%(reason)s): start it, or correct DATABASE_URL, "
        "then try again."
    ) % {"reason": reason}


def migrations_pending(alias: str = DEFAULT_DB_ALIAS) -> int:
    """How many of the code's migrations the database lacks (DatabaseError if it does not answer).

    `serve` refuses to start while one is missing; the health check says so (core/health.py).
    """
    executor = MigrationExecutor(connections[alias])
    return len(executor.migration_plan(executor.loader.graph.leaf_nodes()))
