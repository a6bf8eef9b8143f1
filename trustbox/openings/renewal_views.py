"""The renewal of the box key, once its gathering has the quorum."""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import HttpResponse
from django.shortcuts import redirect
from django.utils.translation import gettext as _
from django.views.decorators.debug import sensitive_variables
from django.views.decorators.http import require_POST

from trustbox.accounts.access import StaffRequest, school_view, staff_user
from trustbox.openings import renewal
from trustbox.openings.screen import opening_of, screen_key, screen_key_forget
from trustbox.schools.models import School
from trustbox.seal.rules import RENEWAL_STARTERS


@require_POST
@sensitive_variables("reserve")
@school_view(*RENEWAL_STARTERS)
def renew(request: StaffRequest, school: School, pk: int) -> HttpResponse:
    """Renew the box key with the quorum gathered; show the new reserve parts once."""
    from trustbox.seal.views import reserve_shares_page

    opening = opening_of(school, pk)
    browser_key = screen_key(request, opening)
    if browser_key is None:
        messages.error(request, _("Renew the key on the screen where this gathering was started."))
        return redirect("openings:session", school=school.slug, pk=pk)
    try:
        new_key, reserve = renewal.rekey_finish(
            opening=opening, by=staff_user(request), browser_key=browser_key
        )
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
        return redirect("openings:session", school=school.slug, pk=pk)
    response = reserve_shares_page(request, school, new_key, reserve)
    screen_key_forget(response, school, opening)
    return response
