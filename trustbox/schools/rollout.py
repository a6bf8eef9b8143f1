"""Read a rollout file (districts, schools, directors) and plan what importing it would create.

The file is CSV in UTF-8 (a byte-order mark is fine), separated by commas or semicolons, with a
header row naming these columns in any order:

    district_slug, district_name    the district (optional; the name is needed once, when the
                                    district is new)
    school_slug, school_name        the school (required)
    director_login, director_name,  the director to invite (optional; login and name together,
    director_email                  the email is optional)

Row numbers count the header as row 1, as a spreadsheet shows them. Nothing is written here:
trustbox.schools.services.schools_import applies a plan without problems, all or nothing.
"""

from __future__ import annotations

import csv
import io
from dataclasses import dataclass, field
from pathlib import Path

from django.db.models.functions import Lower
from django.utils.translation import gettext as _

from trustbox.accounts.models import User
from trustbox.schools.models import District, Membership, School
from trustbox.schools.services import email_problem, login_problem, name_problem, slug_problem

COLUMNS = (
    "district_slug",
    "district_name",
    "school_slug",
    "school_name",
    "director_login",
    "director_name",
    "director_email",
)
REQUIRED = ("school_slug", "school_name")


@dataclass(frozen=True)
class Problem:
    row: int
    column: str
    reason: str


@dataclass(frozen=True)
class NewDirector:
    school_slug: str
    login: str
    full_name: str
    email: str


@dataclass
class Plan:
    """What an import would create, what is there already, and what stops it."""

    districts: dict[str, str] = field(default_factory=dict)  # slug → name, to create
    schools: list[tuple[str, str, str]] = field(default_factory=list)  # slug, name, district
    directors: list[NewDirector] = field(default_factory=list)
    districts_there: int = 0
    schools_there: int = 0
    directors_there: int = 0
    problems: list[Problem] = field(default_factory=list)
    rows: int = 0

    @property
    def changes_nothing(self) -> bool:
        return not (self.districts or self.schools or self.directors)


def rollout_rows(path: Path) -> tuple[list[dict[str, str]], list[Problem]]:
    """The file's rows as column → value (stripped), or the problems of its header."""
    try:
        text = path.read_text(encoding="utf-8-sig")
    except UnicodeDecodeError:
        return [], [Problem(1, "", _("The file is not in UTF-8: save it as CSV UTF-8."))]
    first_line = text.split("\n", 1)[0]
    delimiter = ";" if first_line.count(";") > first_line.count(",") else ","
    reader = csv.DictReader(io.StringIO(text, newline=""), delimiter=delimiter)
    header = [name.strip() for name in reader.fieldnames or []]
    problems = [
        Problem(1, name, _("Unknown column.")) for name in header if name not in COLUMNS
    ] + [Problem(1, name, _("This column is missing.")) for name in REQUIRED if name not in header]
    if problems:
        return [], problems
    reader.fieldnames = header
    rows = []
    for raw in reader:
        if None in raw:
            problems.append(
                Problem(reader.line_num, "", _("This row has more values than the header."))
            )
            continue
        rows.append({name: (raw.get(name) or "").strip() for name in COLUMNS})
    return rows, problems


def rollout_plan(rows: list[dict[str, str]]) -> Plan:
    """Check every row against the file and the database; plan what is new."""
    plan = Plan(rows=len(rows))
    slugs = {row["school_slug"] for row in rows}
    logins = {row["director_login"].lower() for row in rows if row["director_login"]}
    districts = dict(District.objects.values_list("slug", "name"))
    schools = {
        slug: (name, district or "")
        for slug, name, district in School.objects.filter(slug__in=slugs).values_list(
            "slug", "name", "district__slug"
        )
    }
    directors = dict(
        Membership.objects.filter(
            school__slug__in=slugs, kind=Membership.Kind.DIRECTOR
        ).values_list("school__slug", "user__username")
    )
    # Logins are unique whatever their case.
    taken = set(
        User.objects.annotate(lower=Lower("username"))
        .filter(lower__in=logins)
        .values_list("lower", flat=True)
    )
    seen_districts: set[str] = set()
    seen_schools: set[str] = set()
    seen_logins: set[str] = set()

    for number, row in enumerate(rows, start=2):
        problems = _row_problems(
            number, row, plan, districts, schools, directors, taken, seen_schools, seen_logins
        )
        if problems:
            plan.problems += problems
            continue
        district = row["district_slug"]
        if district and district not in seen_districts:
            seen_districts.add(district)
            if district in districts and district not in plan.districts:
                plan.districts_there += 1
            elif district not in districts:
                plan.districts[district] = row["district_name"]
        slug = row["school_slug"]
        seen_schools.add(slug)
        if slug in schools:
            plan.schools_there += 1
        else:
            plan.schools.append((slug, row["school_name"], district))
        login = row["director_login"]
        if login:
            seen_logins.add(login.lower())
            if directors.get(slug, "").lower() == login.lower():
                plan.directors_there += 1
            else:
                plan.directors.append(
                    NewDirector(slug, login, row["director_name"], row["director_email"])
                )
    return plan


def _row_problems(
    number: int,
    row: dict[str, str],
    plan: Plan,
    districts: dict[str, str],
    schools: dict[str, tuple[str, str]],
    directors: dict[str, str],
    taken: set[str],
    seen_schools: set[str],
    seen_logins: set[str],
) -> list[Problem]:
    """What stops one row: its district's, its school's and its director's problems, in order."""
    found = [
        *_district_problems(row, plan, districts),
        *_school_problems(row, schools, seen_schools),
        *_director_problems(row, directors, taken, seen_logins),
    ]
    return [Problem(number, column, reason) for column, reason in found if reason]


# Each check below gives (column, reason) pairs; an empty reason is no problem.


def _district_problems(
    row: dict[str, str], plan: Plan, districts: dict[str, str]
) -> list[tuple[str, str]]:
    district, district_name = row["district_slug"], row["district_name"]
    if not district:
        if district_name:
            return [("district_slug", _("A district name needs the district's short name."))]
        return []
    found = [("district_slug", slug_problem(district))]
    known = districts.get(district) or plan.districts.get(district)
    if known is None and not district_name:
        found.append(("district_name", _("A new district needs its name.")))
    elif known is not None and district_name and district_name != known:
        found.append(
            (
                "district_name",
                _("District %(slug)s is already named %(name)s.")
                % {"slug": district, "name": known},
            )
        )
    elif district_name:
        found.append(("district_name", name_problem(district_name, 200)))
    return found


def _school_problems(
    row: dict[str, str], schools: dict[str, tuple[str, str]], seen_schools: set[str]
) -> list[tuple[str, str]]:
    slug, name, district = row["school_slug"], row["school_name"], row["district_slug"]
    found = [("school_slug", slug_problem(slug)), ("school_name", name_problem(name, 300))]
    if slug in seen_schools:
        found.append(("school_slug", _("This school is already in an earlier row.")))
    elif slug in schools:
        there_name, there_district = schools[slug]
        if there_name != name:
            found.append(
                (
                    "school_name",
                    _("School %(slug)s is already named %(name)s.")
                    % {"slug": slug, "name": there_name},
                )
            )
        if there_district != district:
            found.append(
                (
                    "district_slug",
                    _("School %(slug)s is already in district %(district)s.")
                    % {"slug": slug, "district": there_district or "—"},
                )
            )
    return found


def _director_problems(
    row: dict[str, str], directors: dict[str, str], taken: set[str], seen_logins: set[str]
) -> list[tuple[str, str]]:
    login, full_name, slug = row["director_login"], row["director_name"], row["school_slug"]
    if not login:
        if full_name or row["director_email"]:
            return [("director_login", _("A director needs a login."))]
        return []
    found = [
        ("director_login", login_problem(login)),
        ("director_name", name_problem(full_name, 200)),
        ("director_email", email_problem(row["director_email"])),
    ]
    current = directors.get(slug, "")
    if login.lower() in seen_logins:
        found.append(("director_login", _("This login is already in an earlier row.")))
    elif current and current.lower() != login.lower():
        found.append(
            (
                "director_login",
                _("%(school)s already has a director: %(login)s.")
                % {"school": slug, "login": current},
            )
        )
    elif not current and login.lower() in taken:
        found.append(("director_login", _("This login is taken. Choose another.")))
    return found
