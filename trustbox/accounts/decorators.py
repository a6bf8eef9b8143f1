from __future__ import annotations

from collections.abc import Callable
from functools import wraps
from typing import Any, cast

from django.conf import settings
from django.contrib.auth.views import redirect_to_login
from django.core.exceptions import PermissionDenied
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect
from django.utils.cache import add_never_cache_headers

from trustbox.accounts.models import User
from trustbox.schools.models import School
from trustbox.schools.roles import Role, roles_in

View = Callable[..., HttpResponse]


def staff_user(request: HttpRequest) -> User:
    """The signed-in person of a view behind staff_required or school_view."""
    return cast(User, request.user)


def second_factor_passed(request: HttpRequest) -> bool:
    """Whether the signed-in person has passed the second factor (or none is required)."""
    if not settings.REQUIRE_SECOND_FACTOR:
        return True
    is_verified = getattr(request.user, "is_verified", None)
    return bool(is_verified and is_verified())


def staff_required(view: View) -> View:
    """Let through only a signed-in person who passed the second factor and set a password."""

    @wraps(view)
    def wrapper(request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        user = request.user
        if not user.is_authenticated:
            return redirect_to_login(request.get_full_path())
        if not second_factor_passed(request):
            return redirect("accounts:second_factor")
        if user.must_change_password:
            return redirect("accounts:password_change")
        response = view(request, *args, **kwargs)
        add_never_cache_headers(response)
        return response

    return wrapper


def school_view(*allowed: Role) -> Callable[[View], View]:
    """Resolve the school from the URL for a staff view; check the person's roles there.

    A school the person does not belong to answers 404, so that its existence is not
    revealed; a role the person lacks answers 403. With no roles named, any member of
    the school's staff may enter.
    """

    def decorator(view: View) -> View:
        @wraps(view)
        @staff_required
        def wrapper(request: HttpRequest, school: str, *args: Any, **kwargs: Any) -> HttpResponse:
            found = get_object_or_404(School.objects.for_user(request.user), slug=school)
            roles = roles_in(request.user, found)
            if allowed and not roles.intersection(allowed):
                raise PermissionDenied
            request.roles = roles  # type: ignore[attr-defined]
            return view(request, found, *args, **kwargs)

        return wrapper

    return decorator
