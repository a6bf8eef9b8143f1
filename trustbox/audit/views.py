from __future__ import annotations

from django.http import Http404, HttpRequest, HttpResponse

from trustbox.accounts.decorators import school_view
from trustbox.schools.models import School
from trustbox.schools.roles import Role


@school_view(Role.CHAIR, Role.DIRECTOR)
def audit_log(request: HttpRequest, school: School) -> HttpResponse:
    raise Http404
