"""Load tests: many writers against the production server on a throw-away PostgreSQL.

They run only when asked by marker (`pytest -m load`, as scripts/test.sh does after the
browser tests): they take minutes and the whole machine.
"""

import pytest


def pytest_collection_modifyitems(config, items):
    for item in items:
        if "tests/load" in str(item.fspath):
            item.add_marker(pytest.mark.load)
    if "load" in (config.getoption("markexpr") or ""):
        return
    kept = [item for item in items if item.get_closest_marker("load") is None]
    if len(kept) != len(items):
        config.hook.pytest_deselected(items=[i for i in items if i not in kept])
        items[:] = kept
