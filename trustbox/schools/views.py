from django.http import HttpResponse
from django.shortcuts import render

from trustbox.accounts.access import StaffRequest, school_view, staff_user
from trustbox.schools import rules, selectors, services
from trustbox.schools.forms import PersonForm
from trustbox.schools.models import School


@school_view(*rules.PEOPLE_MANAGERS)
def people(request: StaffRequest, school: School) -> HttpResponse:
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
