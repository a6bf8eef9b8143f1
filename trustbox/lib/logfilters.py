"""Logging filters that keep the time and place of a writer's visit out of every log."""

from __future__ import annotations

import logging
from http import HTTPStatus

# The development server writes one line per request. Only staff pages are logged; the public
# box, the language switch, static files, the home page and whatever is added later are not:
# the path and the moment of a writer's visit could tell who wrote.
STAFF_PATHS = ("/s/", "/accounts/", "/district/")


class StaffRequestsOnly(logging.Filter):
    """Let through request lines of staff pages only; drop everything else (e.g. broken pipes,
    whose message holds the client's address)."""

    def filter(self, record: logging.LogRecord) -> bool:
        args = record.args if isinstance(record.args, tuple) else ()
        first = args[0] if args else ""
        parts = first.split() if isinstance(first, str) else []
        return len(parts) >= 2 and parts[1].startswith(STAFF_PATHS)


class PublicFailuresByKindOnly(logging.Filter):
    """A failure on a page that is not staff's is logged by its kind and school only.

    Django logs a failed request as "Internal Server Error: <path>" with its traceback, and a
    503 as "Service Unavailable: <path>". The path of a writer's page (and the moment it
    failed) could tell who wrote; a traceback can hold what was being done for her. So the
    record keeps only what failed (the exception's or the status's name) and the school's
    short name: no path, no traceback, no request.
    """

    def filter(self, record: logging.LogRecord) -> bool:
        request = getattr(record, "request", None)
        path = getattr(request, "path", None)
        if not isinstance(path, str) or path.startswith(STAFF_PATHS):
            return True
        error = record.exc_info[1] if record.exc_info else None
        kind = type(error).__name__ if error else _status_phrase(record)
        parts = path.strip("/").split("/")
        school = parts[1] if len(parts) > 1 and parts[0] == "b" else "-"
        record.msg, record.args = "%s on a public page of school %s", (kind, school)
        record.exc_info = record.exc_text = record.stack_info = None
        record.request = None
        return True


def _status_phrase(record: logging.LogRecord) -> str:
    status = getattr(record, "status_code", None)
    try:
        return HTTPStatus(status).phrase if status else "Failure"
    except ValueError:
        return f"HTTP {status}"
