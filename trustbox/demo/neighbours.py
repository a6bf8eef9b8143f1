"""The demo district's other schools, built through the services a real school goes through.

Each is in a state a district really sees (issue 21, point 4), so that its compliance page, its
analytics and each school's registry tell one story:
- Т. Сатылганов: a commission since the school year began, its box made, last quarter's appeals
  opened, registered and answered, its report in time;
- А. Осмонов: a commission and a box, nothing written into it yet, its report missed;
- № 3: a commission appointed a few days ago, its officers not yet elected and its box not yet
  made (no report was owed before it);
- Ж. Баласагын: no commission yet (made by demo.builders): no appeals, no report owed.
"""

from __future__ import annotations

import datetime

from django.utils import timezone

from trustbox.accounts.models import User
from trustbox.commission.rules import Ballot
from trustbox.commission.services import commission_appoint, commission_elect
from trustbox.demo import calendar
from trustbox.demo.reports import LAST_QUARTER, quarter_of_appeals, report_finalised
from trustbox.schools.models import District, School
from trustbox.schools.periods import Quarter
from trustbox.schools.services import person_add
from trustbox.seal.services import box_key_create, member_key_set

# (login suffix, full name, kind, position): the responsible person first, the parent last.
PEOPLE = (
    ("director", "Директор", "director", "мектеп директору"),
    ("responsible", "Жооптуу адам", "employee", "директордун орун басары"),
    ("teacher", "Мугалим", "employee", "мугалим"),
    ("parent", "Ата-эненин өкүлү", "parent", "ата-энелер коомчулугунун өкүлү"),
)


def _commission(school: School, *, order: datetime.date, password: str, elect: bool) -> list[User]:
    """The school's people, its commission of three by order, and (if elect) its first session."""
    people: list[User] = []
    for suffix, name, kind, position in PEOPLE:
        membership, _password = person_add(
            school=school,
            by=people[0] if people else None,
            full_name=f"{name} ({school.name})",
            username=f"{school.slug}-{suffix}",
            kind=kind,
            position=position,
            password=password,
        )
        people.append(membership.user)
    director, *members = people
    commission = commission_appoint(
        school=school,
        by=director,
        order_number="1",
        order_date=order,
        members=members,
        parents_representative=members[-1],
        responsible=members[0],
    )
    if elect:
        commission_elect(
            commission=commission,
            by=members[0],
            held_on=calendar.first_session(order),
            ballots=[Ballot(voter=m, chair=members[1], secretary=members[0]) for m in members],
        )
    return members


def _box_made(school: School, members: list[User], password: str) -> None:
    for member in members:
        member_key_set(user=member, password=password, school=school)
    box_key_create(school=school, by=members[1])


def neighbours_create(*, district: District, password: str) -> None:
    """The district's other schools, each in its own state (see the module's text)."""
    today = timezone.localdate()
    order = calendar.school_year_start(today)
    last = Quarter.of(today).previous()
    satylganov = School.objects.create(
        district=district, name="Т. Сатылганов атындагы орто мектеби", slug="satylganov"
    )
    members = _commission(satylganov, order=order, password=password, elect=True)
    _box_made(satylganov, members, password)
    until = calendar.report_day(last, today)
    rows = LAST_QUARTER[3:]
    batch = calendar.last_quarter_batch(
        last, ready=calendar.box_ready(order), today=today, count=len(rows)
    )
    if batch is not None:
        quarter_of_appeals(
            school=satylganov,
            members=members,
            password=password,
            rows=rows,
            batch=batch,
            until=until,
        )
    report_finalised(
        school=satylganov, responsible=members[0], password=password, quarter=last, on=until
    )

    osmonov = School.objects.create(
        district=district, name="А. Осмонов атындагы гимназия", slug="osmonov"
    )
    members = _commission(osmonov, order=order, password=password, elect=True)
    _box_made(osmonov, members, password)

    school_3 = School.objects.create(district=district, name="№ 3 орто мектеп", slug="school-3")
    _commission(
        school_3,
        order=calendar.working_day_back(today - 3 * calendar.DAY),
        password=password,
        elect=False,
    )
