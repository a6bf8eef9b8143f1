"""Count every response by route group and status class, and time it; never /metrics itself."""

from __future__ import annotations

import time
from collections.abc import Callable

from django.http import HttpRequest, HttpResponseBase

from trustbox.lib.logfilters import STAFF_PATHS
from trustbox.metrics.counters import response_count

METRICS_PATH = "/metrics"
PUBLIC_PATHS = ("/b/",)


def route_group(path: str) -> str:
    """public (a school's box), staff (signed-in pages), or other: never the path or school."""
    if path.startswith(STAFF_PATHS):
        return "staff"
    if path.startswith(PUBLIC_PATHS):
        return "public"
    return "other"


class MetricsMiddleware:
    def __init__(self, get_response: Callable[[HttpRequest], HttpResponseBase]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponseBase:
        if request.path_info == METRICS_PATH:
            return self.get_response(request)
        started = time.perf_counter()
        response = self.get_response(request)
        response_count(
            group=route_group(request.path_info),
            status=response.status_code,
            seconds=time.perf_counter() - started,
        )
        return response
