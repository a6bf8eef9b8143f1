"""The WSGI application for a production server (``python -m trustbox serve`` starts gunicorn)."""

import os

from django.core.wsgi import get_wsgi_application

# Files the app processes write (the SQLite database and its -wal and -shm files) are for the
# owner only, as under ``python -m trustbox``.
os.umask(0o077)
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "trustbox.settings")
application = get_wsgi_application()
