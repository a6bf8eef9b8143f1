"""The demo school of the walkthrough: a director, a commission of five, a district, meetings."""

from __future__ import annotations

import base64
import datetime
from dataclasses import dataclass

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from django_otp.plugins.otp_totp.models import TOTPDevice

from trustbox.accounts.models import User
from trustbox.box.envelope import Category, Envelope, Kind, Writer
from trustbox.box.services import appeal_submit
from trustbox.commission.models import Commission
from trustbox.commission.rules import Ballot
from trustbox.commission.services import commission_appoint, commission_elect
from trustbox.demo import calendar
from trustbox.demo.calendar import school_year_start
from trustbox.demo.files import demo_file_write, demo_receipt_path, demo_reserve_path
from trustbox.demo.neighbours import neighbours_create
from trustbox.demo.reports import reports_demo_create
from trustbox.meetings.models import Meeting, Protocol
from trustbox.meetings.protocols import protocol_draft
from trustbox.meetings.services import (
    AgendaEntry,
    meeting_agenda_add,
    meeting_attendance_record,
    meeting_decision_record,
    meeting_schedule,
)
from trustbox.meetings.signing import protocol_sign
from trustbox.registry.deadlines import is_working_day, next_working_day
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


def _meetings_held(
    *, school: School, members: list[User], first_session: datetime.date, today: datetime.date
) -> None:
    """Step 9 under way: protocol № 1 signed by all, a regular meeting signed by four of five,
    and the next meeting called for next week."""
    responsible, chair, secretary, psychologist, _parent = members
    (first,) = Protocol.objects.filter(school=school)
    for member in members:
        protocol_sign(protocol=first, member=member, password=DEMO_PASSWORD)

    held_on = first_session + (today - first_session) / 2
    while held_on > first_session and not is_working_day(held_on):
        held_on -= datetime.timedelta(days=1)
    meeting = meeting_schedule(
        school=school,
        by=secretary,
        held_on=held_on,
        starts_at=datetime.time(15, 0),
        place="12-кабинет",
        agenda_entries=[
            AgendaEntry(title="Ишеним кутусунун постерин фойеге жана класстарга илүү"),
            AgendaEntry(title="Комиссиянын жарым жылдык иш планы"),
        ],
    )
    meeting_attendance_record(meeting=meeting, by=secretary, present=members[:4])
    item = meeting.agenda.get(position=1)
    meeting_decision_record(
        meeting=meeting,
        by=secretary,
        item=item,
        text="Постерди фойеге жана ар бир класска илүү; жооптуу: Асанова Г.Т.",
        votes_for=4,
        votes_against=0,
        votes_abstained=0,
    )
    regular = protocol_draft(
        meeting=meeting,
        by=secretary,
        text=(
            "Асанова Г.Т. кутунун ачкычы түзүлгөнүн жана постер даяр экенин айтты. "
            "Сагынбаев Ө.Ж. кутуну ар бир эки жумада ачууну сунуштады."
        ),
    )
    # The parents' representative has not signed yet: the dashboard shows who is missing.
    for member in (responsible, chair, secretary, psychologist):
        protocol_sign(protocol=regular, member=member, password=DEMO_PASSWORD)

    meeting_schedule(
        school=school,
        by=chair,
        held_on=next_working_day(today + datetime.timedelta(days=7)),
        starts_at=datetime.time(15, 0),
        place="12-кабинет",
        agenda_entries=[
            AgendaEntry(title="Ишеним кутусун ачуу жана кайрылууларды каттоо"),
            AgendaEntry(title="Кайрылууларды кароонун жүрүшү"),
        ],
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
    today = timezone.localdate()
    order_date = school_year_start(today)
    commission = commission_appoint(
        school=school,
        by=director,
        order_number="12",
        order_date=order_date,
        members=members,
        parents_representative=parent,
        responsible=responsible,
    )
    # The first session (cl. 4.5): its vote becomes protocol № 1.
    first_session = calendar.first_session(order_date)
    commission_elect(
        commission=commission,
        by=responsible,
        held_on=first_session,
        ballots=[Ballot(voter=member, chair=chair, secretary=secretary) for member in members],
    )
    for member in members:
        member_key_set(user=member, password=DEMO_PASSWORD, school=school)
    _box_key, reserve = box_key_create(school=school, by=chair)
    # After the box key: what a meeting discusses and decides is sealed to the commission.
    _meetings_held(school=school, members=members, first_session=first_session, today=today)
    # For the visitor to try a renewal: a secret, for the owner only, named by the command.
    demo_file_write(demo_reserve_path(), "\n\n".join(reserve) + "\n")
    # Issue 13: past quarters' appeals, the last quarter's report. Before the walkthrough's own
    # appeals, which stay in the box for the visitor to open.
    report = reports_demo_create(school=school, members=members, password=DEMO_PASSWORD)
    # The district's other schools, each built the way a real one is, in a state of its own.
    neighbours_create(district=district, password=DEMO_PASSWORD)
    # Step 10: the report goes on the agenda of the next meeting (cl. 4.6).
    meeting_agenda_add(
        meeting=Meeting.objects.for_school(school).upcoming().get(),
        by=chair,
        entry=AgendaEntry(kind="report", ref_id=report.pk),
    )
    receipts = [appeal_submit(school=school, envelope=envelope) for envelope in DEMO_APPEALS]
    # The 7th-grader of the walkthrough keeps her receipt to read the answer later.
    demo_file_write(demo_receipt_path(), receipts[0].code + "\n")
    _viewer_and_operator_add(district)
    return school


def _viewer_and_operator_add(district: District) -> None:
    """The district's viewer and the server's operator of the walkthrough."""
    viewer = _add(None, DemoPerson("district", "Жумабаева Салтанат", "", ""), None)
    DistrictViewer.objects.create(user=viewer, district=district)
    operator = _add(None, DemoPerson("operator", "Оператор", "", ""), None)
    operator.is_operator = True
    operator.save(update_fields=["is_operator"])


def demo_logins() -> list[tuple[str, str]]:
    """Each demo login with what it is, for the command to print."""
    school = School.objects.get(slug=DEMO_SCHOOL_SLUG)
    commission = Commission.objects.current(school)
    rows = [(DIRECTOR.login, _("director"))]
    for person in MEMBERS:
        roles = [_("commission member")]
        user = User.objects.get(username=person.login)
        if commission and commission.responsible_id == user.pk:
            roles.append(_("responsible person"))
        if commission and commission.chair_id == user.pk:
            roles.append(_("chair"))
        if commission and commission.secretary_id == user.pk:
            roles.append(_("secretary"))
        if Membership.objects.filter(user=user, kind=Membership.Kind.PARENT).exists():
            roles.append(_("parents' representative"))
        rows.append((person.login, ", ".join(roles)))
    rows += [("district", _("district viewer")), ("operator", _("operator"))]
    return rows
