"""The ledger of destructions, kept outside every archive, that a restore re-applies.

A backup made before a case was destroyed still holds that case's keys and ciphertexts. So
every destruction (registry/destruction.py) adds a line to a ledger in the data folder
(`trustbox-destructions.jsonl`; the archive holds the database only, never this file), every
`backup` writes the ledger again beside its archives, and the daily command lists the day's
destructions in the operator's log. A `restore` reads the ledger beside the archive, the data
folder's, and any file given with `--destructions`, and destroys again every case listed
that the restored database still holds, before the server serves it.

A line holds no content: the school's slug, the appeal's registration number, its place in
the box, the act's reference and the day.
"""

from __future__ import annotations

import dataclasses
import datetime
import json
import logging
import os
from collections.abc import Iterable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from django.conf import settings
from django.core.management import call_command

from trustbox.registry.destruction import Destroyed, destruction_reapply

LEDGER_NAME = "trustbox-destructions.jsonl"

log = logging.getLogger(__name__)


def ledger_path() -> Path:
    """The ledger in the data folder, which the web server writes."""
    return Path(settings.DATA_DIR) / LEDGER_NAME


def _line(record: Destroyed) -> str:
    return json.dumps(dataclasses.asdict(record), sort_keys=True, ensure_ascii=False) + "\n"


def _append(path: Path, lines: Iterable[str]) -> None:
    fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_APPEND, 0o600)
    with os.fdopen(fd, "a", encoding="utf-8") as handle:
        for line in lines:
            handle.write(line)
        handle.flush()
        os.fsync(handle.fileno())


def destruction_record(*, record: Destroyed) -> None:
    """Add a destruction to the data folder's ledger (once committed; see registry)."""
    _append(ledger_path(), [_line(record)])


def on_appeal_destroyed(*, record: Destroyed, **kwargs: Any) -> None:
    """The receiver of registry.destruction.appeal_destroyed (core/apps.py)."""
    try:
        destruction_record(record=record)
    except OSError:
        # The case is destroyed all the same; the operator must add it to the ledger by hand.
        log.exception("the ledger of destructions could not be written: %s", ledger_path())


def ledger_read(path: Path) -> list[Destroyed]:
    """The destructions a ledger file lists, in order; a line that is not one is skipped."""
    found = []
    fields = {field.name for field in dataclasses.fields(Destroyed)}
    for text in path.read_text(encoding="utf-8").splitlines():
        try:
            data = json.loads(text)
        except ValueError:
            continue
        if isinstance(data, dict) and set(data) == fields:
            found.append(Destroyed(**data))
    return found


def ledgers_read(paths: Iterable[Path]) -> list[Destroyed]:
    """Every destruction the ledgers that exist list, each once, in order of day."""
    seen: dict[tuple[str, int], Destroyed] = {}
    for path in paths:
        if path.is_file():
            for record in ledger_read(path):
                seen.setdefault((record.school, record.seq), record)
    return sorted(seen.values(), key=lambda record: (record.day, record.school, record.seq))


def ledger_beside(folder: Path) -> Path:
    """Write the ledger beside the archives: the data folder's and the folder's, merged."""
    target = folder / LEDGER_NAME
    records = ledgers_read([target, ledger_path()])
    partial = folder / f".{LEDGER_NAME}.partial"
    partial.unlink(missing_ok=True)
    _append(partial, [_line(record) for record in records])
    os.replace(partial, target)
    return target


def destructions_reapply(records: Iterable[Destroyed]) -> list[tuple[Destroyed, str]]:
    """Destroy again every listed case the database still holds; what became of each."""
    return [(record, destruction_reapply(record=record)) for record in records]


@dataclass
class Reapplied:
    """What a restore did with the ledgers of destructions it found."""

    read: list[Path] = field(default_factory=list)  # the ledgers found and read
    looked: list[Path] = field(default_factory=list)  # where it looked
    outcomes: list[tuple[Destroyed, str]] = field(default_factory=list)

    @property
    def done(self) -> list[Destroyed]:
        return [record for record, outcome in self.outcomes if outcome == "done"]

    @property
    def not_done(self) -> list[tuple[Destroyed, str]]:
        return [(r, outcome) for r, outcome in self.outcomes if outcome not in ("done", "already")]


def restore_destructions(*, archive: Path, ledger: Path | None = None) -> Reapplied:
    """After a restore: destroy again what the ledgers list (before the server serves).

    Looks in `ledger` (--destructions), beside the archive, and in the data folder. The
    database is migrated first (the destruction needs today's columns). The data folder's
    ledger then lists every destruction found, so that the next backup carries them on.
    """
    looked = [path for path in (ledger, archive.parent / LEDGER_NAME, ledger_path()) if path]
    result = Reapplied(looked=looked, read=[path for path in looked if path.is_file()])
    records = ledgers_read(result.read)
    if not records:
        return result
    call_command("migrate", interactive=False, verbosity=0)
    result.outcomes = destructions_reapply(records)
    known = ledgers_read([ledger_path()])
    missing = [record for record in records if record not in known]
    if missing:
        _append(ledger_path(), [_line(record) for record in missing])
    return result


def destructions_since(*, day: datetime.date) -> list[Destroyed]:
    """The data folder's ledger from a day on (for the operator's daily log)."""
    path = ledger_path()
    if not path.is_file():
        return []
    return [record for record in ledger_read(path) if record.day >= day.isoformat()]
