"""The WSGI application for a production server (``python -m trustbox serve`` starts gunicorn)."""

import os

from django.core.exceptions import ImproperlyConfigured
from django.core.wsgi import get_wsgi_application

# Files the app processes write (the SQLite database and its -wal and -shm files) are for the
# owner only, as under ``python -m trustbox``.
os.umask(0o077)
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "trustbox.settings")
application = get_wsgi_application()

# Whatever WSGI server loads this, production refuses what `serve` refuses (no secret key from
# the environment, the demo's secret files in the data folder): trustbox/core/production.py.
from trustbox.core.production import serve_refusal  # noqa: E402  (needs the apps loaded)

if refusal := serve_refusal():
    raise ImproperlyConfigured(refusal)
