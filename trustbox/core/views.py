import functools
from pathlib import Path

from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.cache import add_never_cache_headers
from django.views.decorators.cache import cache_control

from trustbox.accounts.access import StaffRequest, school_view, staff_required, staff_user
from trustbox.commission.models import Commission
from trustbox.compliance import rules as compliance_rules
from trustbox.compliance.lines import school_lines
from trustbox.core.forms import SchoolSearchForm
from trustbox.core.todo import todo_list
from trustbox.meetings import rules as meeting_rules
from trustbox.meetings.selectors import meetings_upcoming, protocols_awaiting
from trustbox.retention import rules as retention_rules
from trustbox.retention.periods import periods_in_force
from trustbox.schools import selectors
from trustbox.schools.models import School

FAVICON = Path(__file__).parent / "static" / "favicon.ico"
SEARCH_LIMIT = 20


def home(request: HttpRequest) -> HttpResponse:
    if not request.user.is_authenticated:
        return _welcome(request)
    return _staff_home(request)


def _welcome(request: HttpRequest) -> HttpResponse:
    """The public home page: find your school and its box. The query is neither kept nor logged."""
    form = SchoolSearchForm(request.GET)
    query = form.cleaned_data["q"].strip() if form.is_valid() else ""
    found = selectors.schools_search(query, limit=SEARCH_LIMIT + 1) if query else []
    response = render(
        request,
        "core/welcome.html",
        {
            "form": form,
            "query": query,
            "schools": found[:SEARCH_LIMIT],
            "more": len(found) > SEARCH_LIMIT,
        },
    )
    # What a child searched for stays out of shared computers' caches.
    add_never_cache_headers(response)
    return response


@cache_control(public=True, max_age=7 * 24 * 3600)
def favicon(request: HttpRequest) -> HttpResponse:
    return HttpResponse(_favicon_bytes(), content_type="image/x-icon")


@functools.cache
def _favicon_bytes() -> bytes:
    return FAVICON.read_bytes()


@staff_required
def _staff_home(request: HttpRequest) -> HttpResponse:
    """A person of one school lands on its to-do list, a district officer on the district's
    page; someone with several places picks one."""
    user = staff_user(request)
    schools = list(selectors.schools_of(user))
    districts = list(selectors.districts_of(user))
    if len(schools) == 1 and not districts:
        return redirect("core:dashboard", school=schools[0].slug)
    if len(districts) == 1 and not schools:
        return redirect("core:district", district=districts[0].slug)
    return render(request, "core/home.html", {"schools": schools, "districts": districts})


@school_view()
def dashboard(request: StaffRequest, school: School) -> HttpResponse:
    """The school's page: what is due for the person, each with its button."""
    today = timezone.localdate()
    sees_meetings = meeting_rules.may_read(request.roles)
    return render(
        request,
        "core/dashboard.html",
        {
            "school": school,
            "commission": Commission.objects.current(school),
            "todos": todo_list(request, school, today),
            "upcoming": meetings_upcoming(school, today) if sees_meetings else [],
            "awaiting": protocols_awaiting(school) if sees_meetings else [],
            "retention": periods_in_force(school),
            "may_read_retention": retention_rules.may_read(request.roles),
            "compliance": (
                school_lines(school, today=today)
                if compliance_rules.may_read(request.roles)
                else []
            ),
        },
    )
