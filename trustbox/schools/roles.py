"""Who may do what at a school: roles come from the membership and the commission in force."""

from __future__ import annotations

from typing import TYPE_CHECKING

from django.db import models
from django.utils.translation import gettext_lazy as _

from trustbox.schools.models import DistrictViewer, Membership, School

if TYPE_CHECKING:
    from django.contrib.auth.models import AnonymousUser

    from trustbox.accounts.models import User


class Role(models.TextChoices):
    DIRECTOR = "director", _("Director")
    MEMBER = "member", _("Commission member")
    RESPONSIBLE = "responsible", _("Responsible person")
    CHAIR = "chair", _("Chair of the commission")
    SECRETARY = "secretary", _("Secretary of the commission")
    DISTRICT_VIEWER = "district_viewer", _("District viewer")
    OPERATOR = "operator", _("Operator")


COMMISSION_ROLES = frozenset({Role.MEMBER, Role.RESPONSIBLE, Role.CHAIR, Role.SECRETARY})


def roles_in(user: User | AnonymousUser, school: School) -> frozenset[Role]:
    """Every role the user holds at the school today."""
    from trustbox.commission.models import Commission

    if not user.is_authenticated:
        return frozenset()
    roles: set[Role] = set()
    if getattr(user, "is_operator", False):
        roles.add(Role.OPERATOR)
    if Membership.objects.filter(user=user, school=school, kind=Membership.Kind.DIRECTOR).exists():
        roles.add(Role.DIRECTOR)
    if (
        school.district_id
        and DistrictViewer.objects.filter(user=user, district_id=school.district_id).exists()
    ):
        roles.add(Role.DISTRICT_VIEWER)
    commission = Commission.objects.current(school)
    if commission and commission.seats.filter(user=user).exists():
        roles.add(Role.MEMBER)
        if commission.responsible_id == user.pk:
            roles.add(Role.RESPONSIBLE)
        if commission.chair_id == user.pk:
            roles.add(Role.CHAIR)
        if commission.secretary_id == user.pk:
            roles.add(Role.SECRETARY)
    return frozenset(roles)
