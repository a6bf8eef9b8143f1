import pytest


def pytest_configure(config):
    from django.conf import settings

    from trustbox.seal import crypto

    # Argon2 still, with a cost fit for a test suite: for login passwords, personal keys
    # and receipts alike. The production costs are checked in trustbox/seal/tests.
    settings.PASSWORD_HASHERS = ["trustbox.test.FastArgon2PasswordHasher"]
    crypto.kdf_costs_lower_for_tests()


@pytest.fixture
def private_tmp():
    """A temporary folder of the test's own that every temporary file of this process goes to."""
    from trustbox.test import private_tempdir

    with private_tempdir() as path:
        yield path
