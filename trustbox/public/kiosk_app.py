"""The foyer tablet as an installed app: its manifest, its service worker, what its page carries.

The service worker (static/public/kiosk_worker.js) is served from the kiosk's own address, so
that it controls the kiosk and nothing else of the site. Its first lines name the files it keeps
(the kiosk page, its CSS, its scripts, its icons) by their hashed addresses: a changed file
changes the worker's bytes, and only then does the tablet take the new files
(docs/security-kiosk.md). Nothing here reads or stores anything a writer wrote.
"""

from __future__ import annotations

import base64
import functools
import hashlib
import json
from pathlib import Path

from django.conf import settings
from django.contrib.staticfiles import finders
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import get_object_or_404
from django.templatetags.static import static
from django.urls import reverse
from django.utils.translation import gettext as _

from trustbox.box.selectors import WriterBox
from trustbox.schools.models import School

# What the tablet keeps to work without the network, beside the kiosk page itself. There are
# no web fonts: the pages use the tablet's own fonts.
KIOSK_FILES = (
    "public/public.css",
    "public/seal.js",
    "public/keep_text.js",
    "public/kiosk.js",
    "public/kiosk_store.js",
    "public/kiosk_offline.js",
    "public/icons/kiosk-192.png",
    "public/icons/kiosk-512.png",
)
WORKER = "public/kiosk_worker.js"


def kiosk_context(box: WriterBox) -> dict[str, object]:
    """What the kiosk page carries for the tablet to keep: the box key and its short code."""
    public = base64.b64encode(box.box_public).decode() if box.box_public is not None else ""
    return {
        "box_public": public,
        "key_code": box.key_code,
        "kiosk_receipt": settings.KIOSK_RECEIPT_SECONDS,
    }


def _kiosk_address(slug: str) -> str:
    return reverse("box:kiosk", args=[slug])


def manifest(request: HttpRequest, school: str) -> HttpResponse:
    """The web app manifest: the kiosk installs as an app of its own, full screen."""
    found = get_object_or_404(School, slug=school)
    address = _kiosk_address(found.slug)
    response = JsonResponse(
        {
            "name": f"{_('Trust Box')} · {found.name}",
            "short_name": _("Trust Box"),
            "start_url": address,
            "scope": address,
            "display": "fullscreen",
            "background_color": "#ffffff",
            "theme_color": "#0b5cad",
            "icons": [
                {
                    "src": static(f"public/icons/kiosk-{size}.png"),
                    "sizes": f"{size}x{size}",
                    "type": "image/png",
                }
                for size in (192, 512)
            ],
        },
        json_dumps_params={"ensure_ascii": False},
    )
    response["Content-Type"] = "application/manifest+json"
    return response


@functools.cache
def _worker_body() -> str:
    found = finders.find(WORKER)
    if not isinstance(found, str):
        raise LookupError(WORKER)
    return Path(found).read_text()


def worker(request: HttpRequest, school: str) -> HttpResponse:
    """The kiosk's service worker, with the hashed addresses of the files it keeps."""
    found = get_object_or_404(School, slug=school)
    files = [static(name) for name in KIOSK_FILES]
    page = _kiosk_address(found.slug)
    body = _worker_body()
    version = hashlib.sha256("\n".join([page, *files, body]).encode()).hexdigest()[:16]
    head = (
        f"const KIOSK_PAGE = {json.dumps(page)};\n"
        f"const KIOSK_FILES = {json.dumps(files)};\n"
        f'const KIOSK_CACHE = "trustbox-kiosk-{version}";\n'
    )
    response = HttpResponse(head + body, content_type="text/javascript; charset=utf-8")
    # The browser asks for the worker again on each visit; it never keeps an old one.
    response["Cache-Control"] = "no-cache"
    return response
