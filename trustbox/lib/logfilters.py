"""Logging filters that keep the time and place of a writer's visit out of every log."""

from __future__ import annotations

import logging

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
