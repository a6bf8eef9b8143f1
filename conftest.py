def pytest_configure(config):
    from django.conf import settings

    # Argon2 still, with a cost fit for a test suite.
    settings.PASSWORD_HASHERS = ["trustbox.test.FastArgon2PasswordHasher"]
