from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, render

from trustbox.accounts.decorators import school_view, staff_required, staff_user
from trustbox.box.selectors import box_contents
from trustbox.commission.models import Commission
from trustbox.schools import selectors, services
from trustbox.schools.forms import PersonForm
from trustbox.schools.models import School
from trustbox.schools.roles import Role


@school_view()
def dashboard(request: HttpRequest, school: School) -> HttpResponse:
    return render(
        request,
        "schools/dashboard.html",
        {
            "school": school,
            "commission": Commission.objects.current(school),
            "box": box_contents(school),
        },
    )


@school_view(Role.DIRECTOR)
def people(request: HttpRequest, school: School) -> HttpResponse:
    form = PersonForm(request.POST or None)
    added = None
    if request.method == "POST" and form.is_valid():
        membership, password = services.person_add(
            school=school,
            by=staff_user(request),
            **form.cleaned_data,
        )
        added = {"membership": membership, "password": password}
        form = PersonForm()
    return render(
        request,
        "schools/people.html",
        {"school": school, "people": selectors.people_of(school), "form": form, "added": added},
    )


@staff_required
def district(request: HttpRequest, district: str) -> HttpResponse:
    found = get_object_or_404(selectors.districts_of(staff_user(request)), slug=district)
    return render(
        request,
        "schools/district.html",
        {"district": found, "rows": selectors.district_overview(found)},
    )
