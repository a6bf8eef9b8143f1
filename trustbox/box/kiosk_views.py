"""The staff's page that sets the foyer tablet up as the school's kiosk, on the tablet itself.

A member signs in on the tablet (password and second factor), compares the box key's code with
the poster and the seal page, and confirms: the tablet keeps the key (kiosk_setup.js), the
audit log says who confirmed which code, and the member is signed out at once, so that the
tablet is left with the kiosk and no staff session.
"""

from __future__ import annotations

import base64

from django.contrib.auth import logout
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse

from trustbox.accounts.access import StaffRequest, school_view, staff_user
from trustbox.box import kiosk, rules
from trustbox.box.selectors import box_key_code
from trustbox.schools.models import School
from trustbox.seal.models import BoxKey


@school_view(*rules.KIOSK_KEEPERS)
def kiosk_setup(request: StaffRequest, school: School) -> HttpResponse:
    key = BoxKey.objects.current(school)
    if request.method == "POST" and key is not None:
        member = staff_user(request)
        if request.POST.get("action") == "reset":
            waiting = request.POST.get("waiting", "")
            kiosk.kiosk_reset(
                school=school, waiting=int(waiting) if waiting.isdigit() else 0, by=member
            )
        else:
            kiosk.kiosk_key_confirm(
                school=school, box_key=key, key_code=box_key_code(school), by=member
            )
        logout(request)
        return redirect("box:kiosk", school=school.slug)
    return render(
        request,
        "box/kiosk_setup.html",
        {
            "school": school,
            "key_code": box_key_code(school),
            "box_public": base64.b64encode(bytes(key.public_key)).decode() if key else "",
            "kiosk_address": reverse("box:kiosk", args=[school.slug]),
        },
    )
