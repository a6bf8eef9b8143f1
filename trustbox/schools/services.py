"""Changes of state for schools and their people, each with its audit row."""

from __future__ import annotations

import datetime
import re
import secrets
from collections.abc import Callable
from dataclasses import dataclass
from typing import TYPE_CHECKING

from django.conf import settings
from django.contrib.auth.hashers import Argon2PasswordHasher
from django.core.exceptions import ValidationError
from django.core.validators import validate_email
from django.db import transaction
from django.urls import reverse
from django.utils.translation import gettext as _

from trustbox.accounts.models import User
from trustbox.audit.services import audit_write
from trustbox.schools.actions import CalendarAction, PersonAction, SchoolAction
from trustbox.schools.calendar import calendar_forget
from trustbox.schools.models import CalendarChange, District, Membership, School

if TYPE_CHECKING:
    from trustbox.schools.rollout import Plan

# Unambiguous letters and digits: an initial password is read aloud or copied from paper.
_ALPHABET = "abcdefghjkmnpqrstuvwxyz23456789"


def initial_password() -> str:
    return "-".join("".join(secrets.choice(_ALPHABET) for _ in range(4)) for _ in range(4))


@transaction.atomic
def person_add(
    *,
    school: School,
    by: User | None,
    full_name: str,
    username: str,
    kind: str,
    position: str = "",
    email: str = "",
    password: str | None = None,
) -> tuple[Membership, str]:
    """Create a staff account at the school; return its membership and initial password.

    The person must choose their own password at the first login.
    """
    chosen = password or initial_password()
    user = User(username=username, full_name=full_name, email=email)
    user.set_password(chosen)
    user.must_change_password = password is None
    user.save()
    membership = Membership.objects.create(user=user, school=school, kind=kind, position=position)
    audit_write(
        school=school,
        actor=by,
        action=PersonAction.ADD,
        target=user,
        details={"kind": kind},
    )
    return membership, chosen


# Short names of districts and schools appear in addresses (/b/<school>/): small Latin letters,
# digits and single hyphens.
SLUG_PATTERN = re.compile(r"^[a-z0-9]+(?:-[a-z0-9]+)*$")
SLUG_MAX = 50
LOGIN_PATTERN = re.compile(r"^[a-z0-9._-]{3,60}$")


def slug_problem(slug: str) -> str:
    """Why this cannot be a short name, or "" if it can."""
    if not slug:
        return _("The short name is empty.")
    if len(slug) > SLUG_MAX or not SLUG_PATTERN.match(slug):
        return _(
            "%(slug)s is not a short name: use small Latin letters, digits and hyphens "
            "(e.g. kara-suu), at most 50."
        ) % {"slug": slug}
    return ""


def login_problem(login: str) -> str:
    """Why this cannot be a new login, or "" if it can (without looking at taken logins)."""
    if not LOGIN_PATTERN.match(login):
        return _("Use 3 to 60 small Latin letters, digits, dots, hyphens or underscores.")
    return ""


def email_problem(email: str) -> str:
    if not email:
        return ""
    try:
        validate_email(email)
    except ValidationError:
        return _("%(email)s is not an email address.") % {"email": email}
    return ""


def name_problem(name: str, limit: int) -> str:
    if not name.strip():
        return _("The name is empty.")
    if len(name) > limit:
        return _("The name is longer than %(limit)d characters.") % {"limit": limit}
    return ""


def _refuse(problem: str) -> None:
    if problem:
        raise ValidationError(problem)


@transaction.atomic
def district_add(*, by: User | None, slug: str, name: str) -> District:
    """Create a district (a district or city education department)."""
    _refuse(slug_problem(slug))
    _refuse(name_problem(name, 200))
    if District.objects.filter(slug=slug).exists():
        raise ValidationError(_("There is already a district %(slug)s.") % {"slug": slug})
    district = District.objects.create(slug=slug, name=name.strip())
    audit_write(
        school=None,
        actor=by,
        action=SchoolAction.DISTRICT_ADD,
        target=district,
        details={"slug": slug},
    )
    return district


@transaction.atomic
def school_add(*, by: User | None, slug: str, name: str, district: District | None) -> School:
    """Create a school, in a district or on its own."""
    _refuse(slug_problem(slug))
    _refuse(name_problem(name, 300))
    if School.objects.filter(slug=slug).exists():
        raise ValidationError(_("There is already a school %(slug)s.") % {"slug": slug})
    school = School.objects.create(slug=slug, name=name.strip(), district=district)
    audit_write(
        school=school,
        actor=by,
        action=SchoolAction.ADD,
        target=school,
        details={"slug": slug, "district": district.slug if district else ""},
    )
    return school


def director_of(school: School) -> User | None:
    membership = (
        Membership.objects.filter(school=school, kind=Membership.Kind.DIRECTOR)
        .select_related("user")
        .first()
    )
    return membership.user if membership else None


@transaction.atomic
def director_invite(
    *, by: User | None, school: School, full_name: str, username: str, email: str = ""
) -> tuple[Membership, str]:
    """Create the director's account; return it with the initial password to hand over.

    At the first login the director sets up the second factor and chooses a password.
    """
    _refuse(name_problem(full_name, 200))
    _refuse(login_problem(username))
    _refuse(email_problem(email))
    if User.objects.filter(username__iexact=username).exists():
        raise ValidationError(_("This login is taken. Choose another."))
    if (current := director_of(school)) is not None:
        raise ValidationError(
            _("%(school)s already has a director: %(login)s.")
            % {"school": school.name, "login": current.username}
        )
    membership, password = person_add(
        school=school,
        by=by,
        full_name=full_name.strip(),
        username=username,
        kind=Membership.Kind.DIRECTOR,
        email=email,
    )
    audit_write(
        school=school, actor=by, action=PersonAction.DIRECTOR_INVITE, target=membership.user
    )
    return membership, password


def login_address() -> str:
    return settings.SITE_URL + reverse("accounts:login")


def calendar_change_add(
    *, by: User | None, day: datetime.date, kind: str, reason: str
) -> CalendarChange:
    """Record a day off or a working day declared by a decree (replacing one on the same day)."""
    _refuse(
        _("Give the reason, e.g. the number and date of the decree.") if not reason.strip() else ""
    )
    if kind not in CalendarChange.Kind.values:
        raise ValidationError(_("Unknown kind of day: %(kind)s.") % {"kind": kind})
    with transaction.atomic():
        change, _created = CalendarChange.objects.update_or_create(
            day=day, defaults={"kind": kind, "reason": reason.strip()[:300]}
        )
        audit_write(
            school=None,
            actor=by,
            action=CalendarAction.CHANGE,
            details={"day": day.isoformat(), "kind": kind, "reason": reason.strip()[:300]},
        )
    calendar_forget()
    return change


def calendar_change_remove(*, by: User | None, day: datetime.date) -> None:
    """Forget the change of one day: the law and the weekend decide it again."""
    with transaction.atomic():
        deleted, _rows = CalendarChange.objects.filter(day=day).delete()
        if not deleted:
            raise ValidationError(
                _("No change is recorded for %(day)s.") % {"day": day.isoformat()}
            )
        audit_write(
            school=None, actor=by, action=CalendarAction.REMOVE, details={"day": day.isoformat()}
        )
    calendar_forget()


class InitialPasswordHasher(Argon2PasswordHasher):
    """Argon2id at a small cost, for the random initial passwords of a rollout only.

    An initial password has 16 characters out of 31 (about 79 bits): guessing it from its hash
    is out of reach whatever the hash costs; the full cost of Argon2 is for passwords people
    choose. Django hashes it again at the full cost at the first sign-in (the parameters differ),
    where the person also chooses their own. At the full cost (about 0.2 s on 2 cores) the
    2,300 directors of a national rollout would take 8 minutes.
    """

    time_cost = 1
    memory_cost = 1024
    parallelism = 1


# Told (done, total) as a long import writes its schools and directors.
Progress = Callable[[int, int], None]


@dataclass(frozen=True)
class InitialPassword:
    school_slug: str
    school_name: str
    login: str
    full_name: str
    password: str


def schools_import(
    *, by: User | None, plan: Plan, progress: Progress | None = None
) -> list[InitialPassword]:
    """Create the districts, schools and directors a plan holds, all or nothing.

    Return the directors' initial passwords, to hand over. A plan with problems writes nothing.
    `progress(done, total)` is told after each school and director written (of all the new).
    """
    told = progress or (lambda done, total: None)
    total = len(plan.schools) + len(plan.directors)
    if plan.problems:
        raise ValidationError(_("The file has problems: nothing was written."))
    hasher = InitialPasswordHasher()
    passwords = [initial_password() for _director in plan.directors]
    # Hashed before the transaction: the database is held only for the inserts.
    hashes = [hasher.encode(password, hasher.salt()) for password in passwords]
    with transaction.atomic():
        _districts_import(by=by, plan=plan)
        _schools_import(by=by, plan=plan, progress=lambda done: told(done, total))
        by_slug = _directors_import(
            by=by,
            plan=plan,
            hashes=hashes,
            progress=lambda done: told(len(plan.schools) + done, total),
        )
    return [
        InitialPassword(
            school_slug=director.school_slug,
            school_name=by_slug[director.school_slug].name,
            login=director.login,
            full_name=director.full_name,
            password=password,
        )
        for director, password in zip(plan.directors, passwords, strict=True)
    ]


def _districts_import(*, by: User | None, plan: Plan) -> None:
    """The plan's new districts, each with its audit row (schools_import's transaction)."""
    districts = District.objects.bulk_create(
        [District(slug=slug, name=name) for slug, name in plan.districts.items()]
    )
    for district in districts:
        audit_write(
            school=None,
            actor=by,
            action=SchoolAction.DISTRICT_ADD,
            target=district,
            details={"slug": district.slug},
        )


def _schools_import(*, by: User | None, plan: Plan, progress: Callable[[int], None]) -> None:
    """The plan's new schools in their districts, each with its audit row."""
    district_ids = dict(
        District.objects.filter(slug__in={d for _s, _n, d in plan.schools if d}).values_list(
            "slug", "id"
        )
    )
    schools = School.objects.bulk_create(
        [
            School(slug=slug, name=name, district_id=district_ids.get(district))
            for slug, name, district in plan.schools
        ]
    )
    for done, (school, (_slug, _name, district_slug)) in enumerate(
        zip(schools, plan.schools, strict=True), start=1
    ):
        audit_write(
            school=school,
            actor=by,
            action=SchoolAction.ADD,
            target=school,
            details={"slug": school.slug, "district": district_slug},
        )
        progress(done)


def _directors_import(
    *, by: User | None, plan: Plan, hashes: list[str], progress: Callable[[int], None]
) -> dict[str, School]:
    """The plan's directors with their hashed initial passwords, their memberships and audit rows.

    Return their schools by slug.
    """
    by_slug = School.objects.in_bulk(
        {director.school_slug for director in plan.directors}, field_name="slug"
    )
    users = User.objects.bulk_create(
        [
            User(
                username=director.login,
                full_name=director.full_name,
                email=director.email,
                password=hashed,
                must_change_password=True,
            )
            for director, hashed in zip(plan.directors, hashes, strict=True)
        ]
    )
    Membership.objects.bulk_create(
        [
            Membership(
                user=user, school=by_slug[director.school_slug], kind=Membership.Kind.DIRECTOR
            )
            for user, director in zip(users, plan.directors, strict=True)
        ]
    )
    for done, (user, director) in enumerate(zip(users, plan.directors, strict=True), start=1):
        school = by_slug[director.school_slug]
        audit_write(
            school=school,
            actor=by,
            action=PersonAction.ADD,
            target=user,
            details={"kind": Membership.Kind.DIRECTOR},
        )
        audit_write(school=school, actor=by, action=PersonAction.DIRECTOR_INVITE, target=user)
        progress(done)
    return by_slug
