from __future__ import annotations

import segno
from django.conf import settings
from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.cache import add_never_cache_headers
from django.utils.translation import gettext as _
from django.views.decorators.debug import sensitive_post_parameters, sensitive_variables

from trustbox.accounts.access import StaffRequest, school_view, staff_user
from trustbox.accounts.throttle import password_check
from trustbox.schools.models import School
from trustbox.seal import crypto, rules, services
from trustbox.seal.forms import PasswordConfirmForm
from trustbox.seal.models import BoxKey, MemberKey


@school_view()
def ceremony(request: StaffRequest, school: School) -> HttpResponse:
    state = services.ceremony_state(school)
    is_member = rules.may_hold_share(request.roles)
    size = len(state.with_key) + len(state.without_key)
    reserve = services.reserve_for(size) if size else settings.RESERVE_SHARES
    return render(
        request,
        "seal/ceremony.html",
        {
            "school": school,
            "state": state,
            "is_member": is_member,
            "has_key": MemberKey.objects.filter(user=staff_user(request)).exists(),
            "form": PasswordConfirmForm(),
            "threshold": services.threshold_for(size),
            "reserve": reserve,
            # The settings ask for more reserve parts than a commission this small may have.
            "reserve_wanted": settings.RESERVE_SHARES if reserve < settings.RESERVE_SHARES else 0,
            "can_renew": rules.may_start_renewal(request.roles),
            "key_code": crypto.key_code(bytes(state.box_key.public_key)) if state.box_key else "",
        },
    )


# Every person of the school may hold a personal key: appeals assigned to them are shared
# through it, whether or not they sit on the commission.
@sensitive_post_parameters("password")
@school_view()
def member_key(request: StaffRequest, school: School) -> HttpResponse:
    form = PasswordConfirmForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            password_check(user=staff_user(request), password=form.cleaned_data["password"])
            services.member_key_set(
                user=staff_user(request), password=form.cleaned_data["password"], school=school
            )
        except ValidationError as error:
            form.add_error("password", error)
        else:
            messages.success(
                request, _("Your personal key is set. It opens with your password only.")
            )
            return redirect("seal:ceremony", school=school.slug)
    return render(
        request,
        "seal/member_key.html",
        {"school": school, "form": form, "is_member": rules.may_hold_share(request.roles)},
    )


@sensitive_variables("reserve")
@school_view(*rules.SHARE_HOLDERS)
def box_key(request: StaffRequest, school: School) -> HttpResponse:
    if request.method != "POST":
        return redirect("seal:ceremony", school=school.slug)
    try:
        key, reserve = services.box_key_create(school=school, by=staff_user(request))
    except ValidationError as error:
        for message in error.messages:
            messages.error(request, message)
        return redirect("seal:ceremony", school=school.slug)
    return reserve_shares_page(request, school, key, reserve)


@sensitive_variables("reserve")
def reserve_shares_page(
    request: HttpRequest, school: School, key: BoxKey, reserve: list[str]
) -> HttpResponse:
    """The reserve parts of a new box key, as words and QR codes, shown this once."""
    shares = [
        {
            "number": index,
            "words": share.split(),
            "qr": segno.make(share, error="m").svg_data_uri(scale=3),
        }
        for index, share in enumerate(reserve, start=1)
    ]
    response = render(
        request, "seal/reserve_shares.html", {"school": school, "box_key": key, "shares": shares}
    )
    add_never_cache_headers(response)
    return response


@sensitive_post_parameters("password")
@school_view()
def member_key_reset(request: StaffRequest, school: School) -> HttpResponse:
    """A member who forgot the password their key was locked with makes a new personal key."""
    form = PasswordConfirmForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            password_check(user=staff_user(request), password=form.cleaned_data["password"])
            services.member_key_reset(
                user=staff_user(request), password=form.cleaned_data["password"], school=school
            )
        except ValidationError as error:
            form.add_error("password", error)
        else:
            messages.success(
                request,
                _("Your new personal key is set. A quorum of the commission re-issues your part.")
                if rules.may_hold_share(request.roles)
                else _(
                    "Your new personal key is set. Ask the responsible person to assign your "
                    "appeals to you again: they open with the new key."
                ),
            )
            return redirect("seal:ceremony", school=school.slug)
    return render(
        request,
        "seal/member_key_reset.html",
        {"school": school, "form": form, "is_member": rules.may_hold_share(request.roles)},
    )
