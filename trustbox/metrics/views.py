"""`GET /metrics`: for the machine itself or the holder of the token, a 404 for anyone else."""

from __future__ import annotations

import hmac
import ipaddress

from django.conf import settings
from django.http import Http404, HttpRequest, HttpResponse
from django.views.decorators.cache import never_cache
from prometheus_client import CONTENT_TYPE_LATEST

from trustbox.metrics.exposition import exposition

# nginx in front sets these (docs/deploy.md, section 8): a request that came through it is not
# the machine's own, even though it arrives from 127.0.0.1.
PROXY_HEADERS = ("X-Forwarded-For", "X-Real-IP", "Forwarded")


def _token_given(request: HttpRequest) -> bool:
    token = settings.METRICS_TOKEN
    scheme, _, given = request.headers.get("Authorization", "").partition(" ")
    if not token or scheme.lower() != "bearer":
        return False
    return hmac.compare_digest(given.strip().encode(), token.encode())


def _from_this_machine(request: HttpRequest) -> bool:
    if any(header in request.headers for header in PROXY_HEADERS):
        return False
    try:
        address = ipaddress.ip_address(request.META.get("REMOTE_ADDR", ""))
    except ValueError:
        return False
    if isinstance(address, ipaddress.IPv6Address) and address.ipv4_mapped:
        address = address.ipv4_mapped
    return address.is_loopback


def scrape_allowed(request: HttpRequest) -> bool:
    return _token_given(request) or _from_this_machine(request)


@never_cache
def metrics(request: HttpRequest) -> HttpResponse:
    if not scrape_allowed(request):
        raise Http404
    return HttpResponse(exposition(), content_type=CONTENT_TYPE_LATEST)
