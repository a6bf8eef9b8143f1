"""Who may enter which staff page: roles at a school, and the decorators that check them.

Roles come from several apps: the membership of a school (the director), the district's
viewers and the commission order in force. Those apps sit above this one, so each of them
registers a *role source* from its AppConfig.ready(); this module only asks them. Roles are
computed again on every request, so a person dropped by a new order loses them at once.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from functools import wraps
from typing import TYPE_CHECKING, Any, cast

from django.apps import apps
from django.conf import settings
from django.contrib.auth.views import redirect_to_login
from django.core.exceptions import PermissionDenied
from django.db import models
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect
from django.utils.cache import add_never_cache_headers
from django.utils.translation import gettext_lazy as _

from trustbox.accounts.models import User

if TYPE_CHECKING:
    from django.contrib.auth.models import AnonymousUser


class Role(models.TextChoices):
    DIRECTOR = "director", _("Director")
    MEMBER = "member", _("Commission member")
    RESPONSIBLE = "responsible", _("Responsible person")
    CHAIR = "chair", _("Chair of the commission")
    SECRETARY = "secretary", _("Secretary of the commission")
    DISTRICT_VIEWER = "district_viewer", _("District viewer")
    OPERATOR = "operator", _("Operator")


COMMISSION_ROLES = frozenset({Role.MEMBER, Role.RESPONSIBLE, Role.CHAIR, Role.SECRETARY})

# A role source answers: which roles does this signed-in person hold at this school?
RoleSource = Callable[[User, Any], Iterable[Role]]
_ROLE_SOURCES: list[RoleSource] = []


def role_source_register(source: RoleSource) -> None:
    """Add a source of roles; called by a higher app from its AppConfig.ready()."""
    if source not in _ROLE_SOURCES:
        _ROLE_SOURCES.append(source)


def roles_in(user: User | AnonymousUser, school: Any) -> frozenset[Role]:
    """Every role the person holds at the school today."""
    if not user.is_authenticated:
        return frozenset()
    person = cast(User, user)
    roles: set[Role] = {Role.OPERATOR} if person.is_operator else set()
    for source in _ROLE_SOURCES:
        roles.update(source(person, school))
    return frozenset(roles)


class StaffRequest(HttpRequest):
    """A request that passed staff_required (and, for school pages, school_view)."""

    user: User
    roles: frozenset[Role]


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
        if cast(User, user).must_change_password:
            return redirect("accounts:password_change")
        response = view(request, *args, **kwargs)
        add_never_cache_headers(response)
        return response

    return wrapper


def school_view(*allowed: Role) -> Callable[[View], View]:
    """Resolve the school from the URL for a staff view; check the person's roles there.

    A school the person does not belong to answers 404, so that its existence is not
    revealed; a role the person lacks answers 403. With no roles named, any member of
    the school's staff may enter. The view gets a StaffRequest with the roles in force.
    """

    def decorator(view: View) -> View:
        @wraps(view)
        @staff_required
        def wrapper(request: HttpRequest, school: str, *args: Any, **kwargs: Any) -> HttpResponse:
            # Schools sit above accounts: the model is looked up by name, not imported.
            school_model: Any = apps.get_model("schools", "School")
            found = get_object_or_404(school_model.objects.for_user(request.user), slug=school)
            roles = roles_in(request.user, found)
            if allowed and not roles.intersection(allowed):
                raise PermissionDenied
            cast(StaffRequest, request).roles = roles
            return view(request, found, *args, **kwargs)

        return wrapper

    return decorator
