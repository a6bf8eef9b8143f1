"""The writer's pages when the database does not answer: a 503 page of their own, text kept.

Nothing here asks the database: the school is known by its short name in the address only.
The failure is logged by its kind alone (lib/logfilters.py keeps the path and the traceback
out of every log).
"""

from __future__ import annotations

import functools
import logging
from collections.abc import Callable

from django.db import InterfaceError, OperationalError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.urls import reverse
from django.utils.cache import add_never_cache_headers
from django.views.decorators.debug import sensitive_variables

from trustbox.schools.models import School

logger = logging.getLogger(__name__)

# The database did not answer: down, locked for too long, or its disk full.
DATABASE_TROUBLE = (OperationalError, InterfaceError)

RETRY_AFTER_SECONDS = 120

StatusView = Callable[..., HttpResponse]


@sensitive_variables()
def status_unavailable_page(request: HttpRequest, slug: str) -> HttpResponse:
    """The status page's own 503: what went wrong, and the message the writer typed, to copy."""
    typed = request.POST.get("text", "") if request.method == "POST" else ""
    response = render(
        request,
        "public/status_unavailable.html",
        {
            "school": School(slug=slug),
            "status_url": reverse("box:status", args=[slug]),
            "typed": typed,
        },
        status=503,
    )
    response["Retry-After"] = str(RETRY_AFTER_SECONDS)
    add_never_cache_headers(response)
    return response


def unavailable_when_the_database_is_down(view: StatusView) -> StatusView:
    """Answer the status pages' 503 when the database does not answer, instead of a 500."""

    @functools.wraps(view)
    def guarded(request: HttpRequest, school: str) -> HttpResponse:
        try:
            return view(request, school)
        except DATABASE_TROUBLE as error:
            # The kind of trouble only: never a value of the form, nor the statement that failed.
            logger.error("The status page could not reach the database: %s", type(error).__name__)
            return status_unavailable_page(request, school)

    return guarded
