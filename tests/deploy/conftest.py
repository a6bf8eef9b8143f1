"""The deploy guide's test: docs/deploy.md run as written in a throw-away directory.

It runs only when asked by marker (`pytest -m deploy`, as `bash scripts/test-deploy.sh` does):
it starts two throw-away PostgreSQL servers and migrates three times, which takes minutes.
"""

import pytest


def pytest_configure(config):
    config.addinivalue_line(
        "markers", "deploy: docs/deploy.md run as written, with a throw-away PostgreSQL"
    )


def pytest_collection_modifyitems(config, items):
    for item in items:
        if "tests/deploy" in str(item.fspath):
            item.add_marker(pytest.mark.deploy)
    if "deploy" in (config.getoption("markexpr") or ""):
        return
    kept = [item for item in items if item.get_closest_marker("deploy") is None]
    if len(kept) != len(items):
        config.hook.pytest_deselected(items=[i for i in items if i not in kept])
        items[:] = kept
