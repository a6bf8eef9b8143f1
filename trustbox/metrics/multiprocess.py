"""The folder where gunicorn's workers keep their counts (PROMETHEUS_MULTIPROC_DIR)."""

from __future__ import annotations

import shutil
from pathlib import Path

ENVIRONMENT_VARIABLE = "PROMETHEUS_MULTIPROC_DIR"
GUNICORN_CONFIG = "python:trustbox.metrics.gunicorn"


def directory_prepare(path: Path) -> Path:
    """Empty the folder (the counts of an earlier run are not this run's) and make it 0700."""
    if path.exists():
        shutil.rmtree(path)
    path.mkdir(mode=0o700, parents=True)
    path.chmod(0o700)
    return path
