from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, render
from django.utils import timezone

from trustbox.accounts.access import StaffRequest, school_view, staff_required, staff_user
from trustbox.compliance import rules
from trustbox.compliance.lines import Level, district_rows, school_lines
from trustbox.compliance.periods import half_year_of
from trustbox.schools import selectors
from trustbox.schools.models import School


@school_view(*rules.READERS)
def school(request: StaffRequest, school: School) -> HttpResponse:
    today = timezone.localdate()
    return render(
        request,
        "compliance/school.html",
        {
            "school": school,
            "lines": school_lines(school, today=today),
            "half_year": half_year_of(today),
            "today": today,
            "levels": Level,
        },
    )


@staff_required
def district(request: HttpRequest, district: str) -> HttpResponse:
    """The district's schools side by side: the lines' colours and summaries, no name, no appeal."""
    found = get_object_or_404(selectors.districts_of(staff_user(request)), slug=district)
    today = timezone.localdate()
    rows = district_rows(found, today=today)
    return render(
        request,
        "compliance/district.html",
        {
            "district": found,
            "rows": rows,
            "columns": rows[0].lines if rows else [],
            "half_year": half_year_of(today),
            "today": today,
        },
    )
