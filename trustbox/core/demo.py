"""The demo school of the walkthrough: a director, a commission of five, a district."""

from __future__ import annotations

import base64
import datetime
from dataclasses import dataclass
from pathlib import Path

from django.conf import settings
from django.db import transaction
from django.utils import timezone
from django_otp.plugins.otp_totp.models import TOTPDevice

from trustbox.accounts.models import User
from trustbox.box.envelope import Category, Envelope, Kind, Writer
from trustbox.box.services import appeal_submit
from trustbox.commission.models import Commission
from trustbox.commission.rules import Ballot
from trustbox.commission.services import commission_appoint, commission_elect
from trustbox.reports.demo import reports_demo_create
from trustbox.schools.models import District, DistrictViewer, Membership, School
from trustbox.schools.services import person_add
from trustbox.seal.services import box_key_create, member_key_set

DEMO_PASSWORD = "demo-trustbox-2026"
# One authenticator key for every demo account, so one app entry serves them all.
DEMO_TOTP_KEY = bytes.fromhex("3132333435363738393031323334353637383930")
DEMO_SCHOOL_SLUG = "myrzakmatov"


@dataclass(frozen=True)
class DemoPerson:
    login: str
    full_name: str
    kind: str
    position: str


DIRECTOR = DemoPerson(
    "director", "Бектурганова Жыпар Дооронбековна", "director", "мектеп директору"
)
MEMBERS = (
    DemoPerson(
        "responsible", "Асанова Гүлнара Токтогуловна", "employee", "директордун орун басары"
    ),
    DemoPerson("chair", "Сагынбаев Өмүрбек Жолдошевич", "employee", "математика мугалими"),
    DemoPerson("secretary", "Токтосунова Айгүл Бакытовна", "employee", "кыргыз тили мугалими"),
    DemoPerson("psychologist", "Мамытова Нургүл Эркиновна", "employee", "мектеп психологу"),
    DemoPerson("parent", "Осмонов Бакыт Каныбекович", "parent", "ата-энелер коомчулугунун өкүлү"),
)


DEMO_APPEALS = (
    Envelope(
        kind=Kind.COMPLAINT,
        category=Category.BULLYING,
        text="Танапис учурунда 7-класстагы балдар мени шылдыңдашат. Мугалимге айтканга уялам.",
        language="ky",
    ),
    Envelope(
        kind=Kind.COMPLAINT,
        category=Category.CANTEEN,
        text="Ашканада тамак суук берилет, балдар жебей калышат. Текшерип бериңиздерчи.",
        writer=Writer(
            name="Абдыкадырова Назира",
            class_or_role="5-Б класстын ата-энеси",
            contact="+996 555 000 111",
        ),
        language="ky",
    ),
    Envelope(
        kind=Kind.PROPOSAL,
        category=Category.SCHOOL_LIFE,
        text="Предлагаю открыть шахматный кружок после уроков.",
        language="ru",
    ),
    Envelope(
        kind=Kind.MESSAGE,
        category=Category.HEALTH,
        text="Менин досум жашагым келбейт деп айтып жүрөт. Жардам бергиле.",
        urgent=True,
        language="ky",
    ),
)


def demo_totp_secret() -> str:
    return base64.b32encode(DEMO_TOTP_KEY).decode()


def _give_second_factor(user: User) -> None:
    TOTPDevice.objects.get_or_create(
        user=user, defaults={"name": "demo", "key": DEMO_TOTP_KEY.hex(), "confirmed": True}
    )


def _add(school: School | None, person: DemoPerson, by: User | None) -> User:
    if school is None:
        user = User(username=person.login, full_name=person.full_name)
        user.set_password(DEMO_PASSWORD)
        user.save()
    else:
        membership, _password = person_add(
            school=school,
            by=by,
            full_name=person.full_name,
            username=person.login,
            kind=person.kind,
            position=person.position,
            password=DEMO_PASSWORD,
            email=f"{person.login}@demo.trustbox.invalid",
        )
        user = membership.user
    _give_second_factor(user)
    return user


@transaction.atomic
def demo_create() -> School:
    """Create the demo school once; later calls return it unchanged."""
    existing = School.objects.filter(slug=DEMO_SCHOOL_SLUG).first()
    if existing is not None:
        return existing
    district = District.objects.create(name="Кара-Суу району", slug="kara-suu")
    school = School.objects.create(
        district=district, name="С. Мырзакматов атындагы орто мектеби", slug=DEMO_SCHOOL_SLUG
    )
    School.objects.create(
        district=district, name="Ж. Баласагын атындагы мектеп-гимназиясы", slug="balasagyn"
    )

    director = _add(school, DIRECTOR, None)
    members = [_add(school, person, director) for person in MEMBERS]
    responsible, chair, secretary, _psychologist, parent = members
    commission = commission_appoint(
        school=school,
        by=director,
        order_number="12",
        order_date=datetime.date(timezone.localdate().year, 9, 2),
        members=members,
        parents_representative=parent,
        responsible=responsible,
    )
    commission_elect(
        commission=commission,
        by=responsible,
        held_on=datetime.date(timezone.localdate().year, 9, 5),
        ballots=[Ballot(voter=member, chair=chair, secretary=secretary) for member in members],
    )

    for member in members:
        member_key_set(user=member, password=DEMO_PASSWORD, school=school)
    _box_key, reserve = box_key_create(school=school, by=chair)
    (settings.DATA_DIR / "demo-reserve-shares.txt").write_text("\n\n".join(reserve) + "\n")
    # Issue 13: past quarters' appeals, the last quarter's report, the district's schools. Before
    # the walkthrough's own appeals, which stay in the box for the visitor to open.
    reports_demo_create(school=school, members=members, password=DEMO_PASSWORD, district=district)
    receipts = [appeal_submit(school=school, envelope=envelope) for envelope in DEMO_APPEALS]
    # The 7th-grader of the walkthrough keeps her receipt to read the answer later.
    demo_receipt_path().write_text(receipts[0].code + "\n")

    viewer = _add(None, DemoPerson("district", "Жумабаева Салтанат", "", ""), None)
    DistrictViewer.objects.create(user=viewer, district=district)
    operator = _add(None, DemoPerson("operator", "Оператор", "", ""), None)
    operator.is_operator = True
    operator.save(update_fields=["is_operator"])
    return school


def demo_receipt_path() -> Path:
    return settings.DATA_DIR / "demo-receipt.txt"


def demo_logins() -> list[tuple[str, str]]:
    """Each demo login with what it is, for the command to print."""
    school = School.objects.get(slug=DEMO_SCHOOL_SLUG)
    commission = Commission.objects.current(school)
    rows = [(DIRECTOR.login, "director")]
    for person in MEMBERS:
        roles = ["commission member"]
        user = User.objects.get(username=person.login)
        if commission and commission.responsible_id == user.pk:
            roles.append("responsible person")
        if commission and commission.chair_id == user.pk:
            roles.append("chair")
        if commission and commission.secretary_id == user.pk:
            roles.append("secretary")
        if Membership.objects.filter(user=user, kind=Membership.Kind.PARENT).exists():
            roles.append("parents' representative")
        rows.append((person.login, ", ".join(roles)))
    rows += [("district", "district viewer"), ("operator", "operator")]
    return rows
