from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils import timezone

from trustbox.accounts.access import StaffRequest, school_view, staff_required, staff_user
from trustbox.box.selectors import box_contents
from trustbox.commission.models import Commission
from trustbox.compliance import rules as compliance_rules
from trustbox.compliance.lines import school_lines
from trustbox.meetings import rules as meeting_rules
from trustbox.meetings.selectors import meetings_upcoming, protocols_awaiting
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
    today = timezone.localdate()
    sees_meetings = meeting_rules.may_read(request.roles)
    return render(
        request,
        "core/dashboard.html",
        {
            "school": school,
            "commission": Commission.objects.current(school),
            "box": box_contents(school),
            "upcoming": meetings_upcoming(school, today) if sees_meetings else [],
            "awaiting": protocols_awaiting(school) if sees_meetings else [],
            "compliance": (
                school_lines(school, today=today)
                if compliance_rules.may_read(request.roles)
                else []
            ),
        },
    )
