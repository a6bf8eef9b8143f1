from django.http import HttpRequest, HttpResponse
from django.shortcuts import render

from trustbox.accounts.decorators import staff_required, staff_user
from trustbox.schools import selectors


def home(request: HttpRequest) -> HttpResponse:
    if not request.user.is_authenticated:
        return render(request, "core/welcome.html")
    return _staff_home(request)


@staff_required
def _staff_home(request: HttpRequest) -> HttpResponse:
    return render(
        request,
        "core/home.html",
        {
            "schools": selectors.schools_of(staff_user(request)),
            "districts": selectors.districts_of(staff_user(request)),
        },
    )
