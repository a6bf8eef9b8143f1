"""The roles a school's own records give: its director, and the district's viewers."""

from __future__ import annotations

from collections.abc import Iterable

from trustbox.accounts.access import Role
from trustbox.accounts.models import User
from trustbox.schools.models import DistrictViewer, Membership, School


def school_roles(user: User, school: School) -> Iterable[Role]:
    """The director by membership; a district viewer of the school's district."""
    if Membership.objects.filter(user=user, school=school, kind=Membership.Kind.DIRECTOR).exists():
        yield Role.DIRECTOR
    if (
        school.district_id
        and DistrictViewer.objects.filter(user=user, district_id=school.district_id).exists()
    ):
        yield Role.DISTRICT_VIEWER
