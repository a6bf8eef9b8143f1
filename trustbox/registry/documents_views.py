"""Documents and exports of the registry."""

from __future__ import annotations

from django.http import Http404, HttpRequest, HttpResponse

from trustbox.accounts.decorators import school_view
from trustbox.schools.models import School


@school_view()
def export(request: HttpRequest, school: School, fmt: str) -> HttpResponse:
    raise Http404


@school_view()
def attachment(request: HttpRequest, school: School, pk: int, index: int) -> HttpResponse:
    raise Http404


@school_view()
def card(request: HttpRequest, school: School, pk: int, fmt: str) -> HttpResponse:
    raise Http404


@school_view()
def case_file(request: HttpRequest, school: School, pk: int) -> HttpResponse:
    raise Http404


@school_view()
def letter(request: HttpRequest, school: School, pk: int, entry: int) -> HttpResponse:
    raise Http404
