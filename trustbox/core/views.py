from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, render

from trustbox.accounts.access import StaffRequest, school_view, staff_required, staff_user
from trustbox.box.selectors import box_contents
from trustbox.commission.models import Commission
from trustbox.commission.selectors import district_overview
from trustbox.schools import selectors
from trustbox.schools.models import School


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


@school_view()
def dashboard(request: StaffRequest, school: School) -> HttpResponse:
    return render(
        request,
        "core/dashboard.html",
        {
            "school": school,
            "commission": Commission.objects.current(school),
            "box": box_contents(school),
        },
    )


@staff_required
def district(request: HttpRequest, district: str) -> HttpResponse:
    found = get_object_or_404(selectors.districts_of(staff_user(request)), slug=district)
    return render(
        request,
        "core/district.html",
        {"district": found, "rows": district_overview(found)},
    )
