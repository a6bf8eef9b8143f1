"""Every URL of the project, asked for by every kind of person: who gets what.

The URLs come from the resolver, so a new URL cannot be forgotten: it fails here until its
line in EXPECTED says who may see it. GET is asked of every URL; a URL that only takes POST
is also posted to, empty, by everyone who must be refused.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass

from django.conf import settings
from django.test import Client, override_settings
from django.urls import URLPattern, URLResolver, get_resolver, reverse
from django.utils import timezone

from trustbox.commission.rules import Ballot
from trustbox.commission.services import commission_elect
from trustbox.meetings.protocols import protocol_draft
from trustbox.meetings.services import (
    AgendaEntry,
    meeting_attendance_record,
    meeting_decision_record,
    meeting_schedule,
)
from trustbox.meetings.signing import protocol_scan_attach
from trustbox.meetings.tests.test_protocols import photo_with_location
from trustbox.openings.models import Opening
from trustbox.registry.consideration import appeal_reply
from trustbox.registry.models import Entry
from trustbox.registry.tests.helpers import RegistryTestCase
from trustbox.reports.district import quarters_open
from trustbox.reports.services import district_report_request, report_open
from trustbox.retention.models import DestructionAct

ANONYMOUS = "anonymous"
DIRECTOR = "director"
RESPONSIBLE = "responsible person"
CHAIR = "chair"
MEMBER = "member"
PARENT = "parents' representative"
TEACHER = "teacher"
OTHER_SCHOOL = "director of another school"
DISTRICT = "district viewer"
OPERATOR = "operator"

SCHOOL_STAFF = (DIRECTOR, RESPONSIBLE, CHAIR, MEMBER, PARENT, TEACHER)
COMMISSION = (RESPONSIBLE, CHAIR, MEMBER, PARENT)
OUTSIDERS = (OTHER_SCHOOL, DISTRICT, OPERATOR)
EVERYONE = (ANONYMOUS, *SCHOOL_STAFF, *OUTSIDERS)
SIGNED_IN = (*SCHOOL_STAFF, *OUTSIDERS)

LOGIN = "login"  # a redirect to the login page
UNLOCK = "unlock"  # a redirect to the registry's unlock page
REDIRECT = "redirect"  # another redirect within the site


def public(status: int = 200) -> dict[str, object]:
    return dict.fromkeys(EVERYONE, status)


def school_page(*allowed: str, ok: object = 200, get_ok: bool = True) -> dict[str, object]:
    """A staff page of one school: the roles allowed get `ok`, other staff 403, outsiders 404."""
    expected: dict[str, object] = {ANONYMOUS: LOGIN, **dict.fromkeys(OUTSIDERS, 404)}
    for person in SCHOOL_STAFF:
        expected[person] = ok if person in allowed else 403
    return expected


def district_page(ok: object = 200) -> dict[str, object]:
    """A page of one district: its viewers get `ok`; everyone else signed in, 404."""
    return {
        ANONYMOUS: LOGIN,
        DISTRICT: ok,
        **dict.fromkeys((*SCHOOL_STAFF, OTHER_SCHOOL, OPERATOR), 404),
    }


def post_only(*allowed: str) -> dict[str, object]:
    """GET answers 405 to everyone; POST is refused to everyone but `allowed`."""
    return {"GET": dict.fromkeys(EVERYONE, 405), "POST": school_page(*allowed, ok=None)}


EXPECTED: dict[str, object] = {
    # The writer's side: open to everyone, signed in or not.
    "box:appeal": public(),
    "box:kiosk": public(),
    "box:kiosk_manifest": public(),
    "box:kiosk_worker": public(),
    "box:status": public(),
    "box:write_back": public(REDIRECT),  # GET goes back to the status page, which asks for the code
    "box:withdraw": public(REDIRECT),  # GET goes back to the status page, which asks for the code
    "box:close_ask": public(REDIRECT),  # the same
    "set_language": {
        "GET": public(REDIRECT),  # set_language redirects back whatever is asked
    },
    "health": {"GET": public(503)},  # for a monitor: no daily run and no backup in the tests
    # The test client comes from 127.0.0.1: another address gets a 404 (metrics/tests/test_access).
    "metrics": {"GET": public(200)},
    # Accounts.
    # Staff land on their place (their school's to-do list, their district's page).
    "core:home": {
        **public(),
        **dict.fromkeys((*SCHOOL_STAFF, OTHER_SCHOOL, DISTRICT), REDIRECT),
    },
    "core:favicon": public(),
    "accounts:login": {ANONYMOUS: 200, **dict.fromkeys(SIGNED_IN, REDIRECT)},
    "accounts:second_factor": {ANONYMOUS: LOGIN, **dict.fromkeys(SIGNED_IN, REDIRECT)},
    "accounts:password_change": {ANONYMOUS: LOGIN, **dict.fromkeys(SIGNED_IN, 200)},
    "accounts:account": {ANONYMOUS: LOGIN, **dict.fromkeys(SIGNED_IN, 200)},
    "accounts:logout": {"GET": dict.fromkeys(EVERYONE, 405)},
    # The school's staff pages.
    "core:dashboard": school_page(*SCHOOL_STAFF),
    "core:district": {
        ANONYMOUS: LOGIN,
        DISTRICT: 200,
        **dict.fromkeys((*SCHOOL_STAFF, OTHER_SCHOOL, OPERATOR), 404),
    },
    "schools:people": school_page(DIRECTOR),
    "commission:overview": school_page(*SCHOOL_STAFF),
    "commission:appoint": school_page(DIRECTOR),
    "commission:detail": school_page(*SCHOOL_STAFF),
    "commission:elect": school_page(DIRECTOR, *COMMISSION, ok=REDIRECT),  # already elected
    "seal:ceremony": school_page(*SCHOOL_STAFF),
    "seal:member_key": school_page(*SCHOOL_STAFF),  # anyone an appeal can be assigned to
    "seal:box_key": school_page(*COMMISSION, ok=REDIRECT),
    "seal:member_key_reset": school_page(*SCHOOL_STAFF),
    "box_staff:overview": school_page(*SCHOOL_STAFF),
    "box_staff:poster": school_page(*SCHOOL_STAFF),
    # Setting the foyer tablet up: a member of the commission, on the tablet itself.
    "box_staff:kiosk_setup": school_page(*COMMISSION),
    "openings:journal": school_page(*SCHOOL_STAFF),
    # GET shows the form that asks the password and the authenticator code again.
    "openings:start": school_page(*COMMISSION),
    "openings:start_renewal": school_page(DIRECTOR, *COMMISSION),
    "openings:journal_document": school_page(DIRECTOR, *COMMISSION),
    "openings:session": school_page(*SCHOOL_STAFF),
    "openings:progress": school_page(*SCHOOL_STAFF),  # the session page's count, as JSON
    "openings:join": post_only(*SCHOOL_STAFF),
    "openings:join_here": post_only(DIRECTOR, *COMMISSION),
    "openings:paper": post_only(*COMMISSION),
    "openings:open": post_only(*COMMISSION),
    "openings:confirm": post_only(*COMMISSION),
    # A member present confirms on the shared screen with her own password and code.
    "openings:confirm_here": post_only(DIRECTOR, *COMMISSION),
    # GET says what cancelling loses (the opening here is over: back to its page); POST cancels.
    "openings:cancel": {
        "GET": school_page(DIRECTOR, *COMMISSION, ok=REDIRECT),
        "POST": school_page(DIRECTOR, *COMMISSION, ok=None),
    },
    "openings:reserve": post_only(DIRECTOR, *COMMISSION),
    "openings:renew": post_only(DIRECTOR, *COMMISSION),
    "openings:act": school_page(*COMMISSION),  # asks for the member's password
    "registry:list": school_page(*SCHOOL_STAFF),
    "registry:unlock": school_page(*COMMISSION),  # 403 to whoever has nothing to read
    "registry:lock": post_only(*SCHOOL_STAFF),
    "registry:export": school_page(RESPONSIBLE),
    # An appeal's pages: the commission must open the registry first; anyone else finds none.
    "registry:detail": {**school_page(*COMMISSION, ok=UNLOCK), DIRECTOR: 404, TEACHER: 404},
    "registry:attachment": {**school_page(*COMMISSION, ok=UNLOCK), DIRECTOR: 404, TEACHER: 404},
    "registry:card": {**school_page(*COMMISSION, ok=UNLOCK), DIRECTOR: 404, TEACHER: 404},
    "registry:case_file": {**school_page(*COMMISSION, ok=UNLOCK), DIRECTOR: 404, TEACHER: 404},
    "registry:letter": {**school_page(*COMMISSION, ok=UNLOCK), DIRECTOR: 404, TEACHER: 404},
    "registry:notice": {**school_page(*COMMISSION, ok=UNLOCK), DIRECTOR: 404, TEACHER: 404},
    "audit:log": school_page(DIRECTOR, CHAIR),
    # Meetings and protocols: the commission and the director; the chair (or the secretary)
    # keeps the record; every member signs. The verification page is for anyone.
    "meetings:list": school_page(DIRECTOR, *COMMISSION),
    "meetings:schedule": school_page(CHAIR),
    "meetings:detail": school_page(DIRECTOR, *COMMISSION),
    "meetings:cancel": post_only(CHAIR),
    "meetings:agenda_add": post_only(CHAIR),
    "meetings:attendance": post_only(CHAIR),
    "meetings:decision": post_only(CHAIR),
    "meetings:draft": post_only(CHAIR),
    "meetings:protocol": school_page(DIRECTOR, *COMMISSION),
    "meetings:sign": post_only(*COMMISSION),
    "meetings:scan": post_only(*COMMISSION),
    # The scan of a page signed on paper, and the printouts, hold the sealed words in clear:
    # only members of the commission who opened the registry (the director who is not one: 403).
    "meetings:scan_file": school_page(*COMMISSION, ok=UNLOCK),
    "meetings:correct": post_only(CHAIR),
    "meetings:document": school_page(*COMMISSION, ok=UNLOCK),
    "compliance:school": school_page(DIRECTOR, *COMMISSION),
    "verify:index": public(),
    "verify:protocol": public(),
    # Analytical reports: the commission and the director read; the responsible person prepares.
    "reports:list": school_page(DIRECTOR, *COMMISSION),
    "reports:create": post_only(RESPONSIBLE),
    "reports:detail": school_page(DIRECTOR, *COMMISSION),
    "reports:progress": school_page(DIRECTOR, *COMMISSION),
    "reports:generate": post_only(RESPONSIBLE),
    "reports:analysis": post_only(RESPONSIBLE),
    "reports:finalise": post_only(RESPONSIBLE),
    "reports:document": school_page(DIRECTOR, *COMMISSION),
    # Retention: anyone of the school sees the periods (the director edits them); the commission
    # and the director see the cases past their period and the acts; every member signs.
    "retention:overview": school_page(DIRECTOR, *COMMISSION),
    "retention:periods": school_page(*SCHOOL_STAFF),
    "retention:draw_up": post_only(RESPONSIBLE, CHAIR),
    "retention:act": school_page(DIRECTOR, *COMMISSION),
    "retention:sign": post_only(*COMMISSION),
    "retention:destroy": post_only(RESPONSIBLE, CHAIR),
    "retention:withdraw": post_only(CHAIR),  # or the secretary
    "retention:papers": post_only(RESPONSIBLE),
    "retention:document": school_page(DIRECTOR, *COMMISSION),
    # The district's analytics: its viewers only; the nation: the operator (and national viewers).
    "analytics:district": district_page(),
    "analytics:export": district_page(),
    "analytics:report": {"GET": dict.fromkeys(EVERYONE, 405), "POST": district_page(ok=None)},
    "analytics:job": district_page(),
    "analytics:document": district_page(),
    "analytics:nation": {
        ANONYMOUS: LOGIN,
        OPERATOR: 200,
        **dict.fromkeys((*SCHOOL_STAFF, OTHER_SCHOOL, DISTRICT), 404),
    },
}


@dataclass(frozen=True)
class Route:
    name: str
    pattern: str


def routes(
    patterns: list[URLPattern | URLResolver] | None = None, namespace: str = "", prefix: str = ""
) -> Iterator[Route]:
    """Every named URL of the project, with its namespace, as the resolver knows them."""
    for entry in patterns if patterns is not None else get_resolver().url_patterns:
        if isinstance(entry, URLResolver):
            inner = entry.namespace or namespace
            yield from routes(entry.url_patterns, inner, prefix + str(entry.pattern))
        else:
            name = f"{namespace}:{entry.name}" if namespace else str(entry.name)
            yield Route(name, prefix + str(entry.pattern))


@override_settings(
    TASKS={"default": {"BACKEND": "django_tasks.backends.immediate.ImmediateBackend"}}
)
class EveryUrlTestCase(RegistryTestCase):
    @classmethod
    def setUpTestData(cls) -> None:
        super().setUpTestData()
        m1, m2, m3, _m4, _parent = cls.members
        commission_elect(
            commission=cls.commission,
            by=cls.director,
            held_on=cls.commission.order_date,
            ballots=[Ballot(voter=v, chair=m2, secretary=m3) for v in (m1, m2, m3)],
        )
        # A meeting that discussed and decided something: its words are sealed.
        secretary = m3
        meeting = meeting_schedule(
            school=cls.school,
            by=secretary,
            held_on=timezone.localdate(),
            starts_at=None,
            place="room 12",
            agenda_entries=[AgendaEntry(title="The poster")],
        )
        meeting_attendance_record(meeting=meeting, by=secretary, present=cls.members[:4])
        meeting_decision_record(
            meeting=meeting,
            by=secretary,
            text="Hang the poster.",
            votes_for=4,
            votes_against=0,
            votes_abstained=0,
        )
        cls.protocol = protocol_draft(meeting=meeting, by=secretary, text="As minuted.")
        content = {"format": "test", "number": 1, "year": 2026, "lines": []}
        cls.destruction_act = DestructionAct.objects.create(
            school=cls.school,
            meeting=meeting,
            year=2026,
            number=1,
            content={
                **content,
                "school": cls.school.name,
                "meeting": {"held_on": meeting.held_on.isoformat(), "protocol": None},
                "periods": {"appeals": 5, "appeals_long": 10},
                "clause": "",
            },
            fingerprint="0" * 64,
            drawn_up_by=secretary,
        )
        # The parents' representative signed the protocol on paper.
        cls.scanned = protocol_scan_attach(
            protocol=cls.protocol,
            member=cls.members[4],
            by=cls.members[4],
            name="page.jpg",
            data=photo_with_location(),
        )
        cls.people = {
            DIRECTOR: cls.director,
            RESPONSIBLE: cls.members[0],
            CHAIR: cls.members[1],
            MEMBER: cls.members[3],
            PARENT: cls.members[4],
            TEACHER: cls.teacher,
            OTHER_SCHOOL: cls.other_director,
            DISTRICT: cls.viewer,
            OPERATOR: cls.operator,
        }

    def setUp(self) -> None:
        super().setUp()
        quarter = quarters_open(timezone.localdate())[0]
        appeal = self.register(self.signed)
        self.reply = appeal_reply(
            appeal=appeal, by=self.responsible, text="On paper.", channel=Entry.Channel.PAPER
        )
        self.kwargs = {
            "school": self.school.slug,
            "district": self.district.slug,
            "language": "ky",
            "fmt": "pdf",
            "index": 0,
            "entry": self.reply.pk,
            "kind": "free",
            "code": self.protocol.verify_code_display,
            "signature": self.scanned.pk,
            "meeting": self.protocol.meeting_id,
        }
        report = report_open(
            school=self.school,
            start=quarter.start,
            end=quarter.end,
            by=self.responsible,
        )
        job = district_report_request(district=self.district, quarter=quarter, by=self.viewer)
        self.object_pk = {
            "commission": self.commission.pk,
            "openings": Opening.objects.get().pk,
            "registry": appeal.pk,
            "reports": report.pk,
            "analytics": job.pk,
            "retention": self.destruction_act.pk,
        }

    def url(self, route: Route) -> str:
        app = route.name.split(":")[0]
        kwargs = {
            k: v
            for k, v in self.kwargs.items()
            if f"<{k}>" in route.pattern or f":{k}>" in route.pattern
        }
        if app == "meetings" and "<int:pk>" in route.pattern:
            on_protocol = "protocols/" in route.pattern
            kwargs["pk"] = self.protocol.pk if on_protocol else self.protocol.meeting_id
        elif "<int:pk>" in route.pattern:
            kwargs["pk"] = self.object_pk[app]
        if route.name in ("registry:export", "analytics:export"):
            kwargs["fmt"] = "xlsx"
        return reverse(route.name, kwargs=kwargs)

    def client_of(self, person: str) -> Client:
        client = Client()
        client.cookies.load({settings.LANGUAGE_COOKIE_NAME: "en"})
        if person != ANONYMOUS:
            self.login(self.people[person], client)
        return client

    def outcome(self, response, url: str) -> object:
        if response.status_code != 302:
            return response.status_code
        target = response["Location"].split("?")[0]
        if target == reverse("accounts:login"):
            return LOGIN
        if target.startswith(reverse("registry:unlock", args=[self.school.slug])):
            return UNLOCK
        return REDIRECT

    def test_every_url_says_who_may_see_it(self):
        names = {route.name for route in routes()}
        self.assertEqual(sorted(names - set(EXPECTED)), [], "new URLs: say who may see them")
        self.assertEqual(sorted(set(EXPECTED) - names), [], "URLs that no longer exist")

    def test_every_person_gets_what_the_table_says(self):
        for route in routes():
            expected = EXPECTED[route.name]
            by_method = expected if "GET" in expected else {"GET": expected}
            url = self.url(route)
            for method, table in by_method.items():
                for person, wanted in table.items():
                    if wanted is None:
                        continue
                    with self.subTest(url=url, method=method, person=person):
                        client = self.client_of(person)
                        response = getattr(client, method.lower())(url)
                        self.assertEqual(self.outcome(response, url), wanted)
