import pytest


def pytest_configure(config):
    # scripts/test.sh's PostgreSQL step leaves these out: they run on SQLite only (README, Tests).
    config.addinivalue_line(
        "markers",
        "database_independent: its subject has nothing to do with the database (a document "
        "rendered, a LibreOffice conversion, pure cryptography): run on SQLite only",
    )
    from django.conf import settings

    from trustbox.seal import crypto

    # Argon2 still, with a cost fit for a test suite: for login passwords, personal keys
    # and receipts alike. The production costs are checked in trustbox/seal/tests.
    settings.PASSWORD_HASHERS = ["trustbox.test.FastArgon2PasswordHasher"]
    crypto.kdf_costs_lower_for_tests()
    # The suite fills the box and opens it the same day: openings take that day's appeals
    # too. The cut-off's own tests turn this off (trustbox/openings/tests/test_cut_off.py).
    settings.OPENING_TAKES_ITS_OWN_DAY = True


@pytest.fixture
def private_tmp():
    """A temporary folder of the test's own that every temporary file of this process goes to."""
    from trustbox.test import private_tempdir

    with private_tempdir() as path:
        yield path


@pytest.fixture(autouse=True)
def limits_start_afresh():
    """Each test starts with no counts: the limits and the password throttle live in the cache,
    which outlives a test in the process (the same logins recur from test to test)."""
    from django.core.cache import cache

    cache.clear()
