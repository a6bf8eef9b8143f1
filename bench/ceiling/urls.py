from django.db import transaction
from django.http import HttpRequest, HttpResponse
from django.urls import path

from bench.ceiling.models import Row


def store(request: HttpRequest) -> HttpResponse:
    """Store the request's body as one row, in its own transaction."""
    with transaction.atomic():
        Row.objects.create(body=request.body.decode())
    return HttpResponse("stored\n", content_type="text/plain")


urlpatterns = [path("store/", store)]
