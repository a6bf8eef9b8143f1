"""The test personas, set up once per test class (as healthchecks' BaseTestCase)."""

from __future__ import annotations

import contextlib
import datetime
import logging
import os
import secrets
import shutil
import tempfile
from collections.abc import Iterator
from pathlib import Path
from typing import Any

from django.contrib.auth.hashers import Argon2PasswordHasher
from django.test import Client, TestCase
from django.utils import translation
from django_otp import DEVICE_ID_SESSION_KEY
from django_otp.oath import totp
from django_otp.plugins.otp_totp.models import TOTPDevice

from trustbox.accounts.models import User
from trustbox.commission.models import Commission
from trustbox.commission.services import commission_appoint
from trustbox.schools.models import District, DistrictViewer, Membership, School
from trustbox.schools.services import person_add
from trustbox.seal.models import BoxKey

PASSWORD = "correct horse battery staple"


def job_waiting(*, since: datetime.datetime) -> None:
    """A background job queued at `since` and not yet taken by a worker."""
    from django_tasks import TaskResultStatus
    from django_tasks_db.models import DBTaskResult

    job = DBTaskResult.objects.create(
        task_path="trustbox.reports.jobs.x",
        args_kwargs={},
        backend_name="default",
        status=TaskResultStatus.READY,
        run_after=since,
        queue_name="default",
        exception_class_path="",
        traceback="",
    )
    # enqueued_at is set to now on creation.
    DBTaskResult.objects.filter(pk=job.pk).update(enqueued_at=since, run_after=since)


class FastArgon2PasswordHasher(Argon2PasswordHasher):
    """Argon2 still, but cheap enough for a test suite."""

    time_cost = 1
    memory_cost = 64
    parallelism = 1


def make_person(
    school: School | None, login: str, *, kind: str = "employee", position: str = ""
) -> User:
    """A staff account with a known password and a confirmed authenticator."""
    if school is None:
        user = User(username=login, full_name=login.title())
        user.set_password(PASSWORD)
        user.save()
    else:
        membership, _ = person_add(
            school=school,
            by=None,
            full_name=f"{login.title()} Testov",
            username=login,
            kind=kind,
            position=position,
            password=PASSWORD,
        )
        user = membership.user
    TOTPDevice.objects.create(user=user, name="phone", confirmed=True, key=secrets.token_hex(20))
    return user


def current_code(user: User) -> str:
    device = TOTPDevice.objects.get(user=user, confirmed=True)
    return f"{totp(device.bin_key):06d}"


def both_factors(user: User, **more: str) -> dict[str, str]:
    """What a page that asks both factors again is posted: the password and the current code."""
    return {"password": PASSWORD, "code": current_code(user), **more}


def make_school_with_commission(slug: str, district: District | None) -> dict[str, Any]:
    school = School.objects.create(district=district, name=f"School {slug}", slug=slug)
    director = make_person(school, f"{slug}-director", kind=Membership.Kind.DIRECTOR)
    members = [make_person(school, f"{slug}-member{i}") for i in range(1, 5)]
    members.append(make_person(school, f"{slug}-parent", kind=Membership.Kind.PARENT))
    teacher = make_person(school, f"{slug}-teacher", position="teacher")
    commission = commission_appoint(
        school=school,
        by=director,
        order_number="7",
        order_date=datetime.date(2026, 9, 2),
        members=members,
        parents_representative=members[4],
        responsible=members[0],
    )
    return {
        "school": school,
        "director": director,
        "members": members,
        "teacher": teacher,
        "commission": commission,
    }


class BaseTestCase(TestCase):
    """Two schools in two districts, each with a director, a commission of five and a teacher."""

    school: School
    director: User
    members: list[User]
    responsible: User
    parent: User
    teacher: User
    commission: Commission
    other_school: School
    other_director: User
    other_commission: Commission
    district: District
    viewer: User
    operator: User

    @classmethod
    def setUpTestData(cls) -> None:
        cls.district = District.objects.create(name="Ala-Too district", slug="ala-too")
        other_district = District.objects.create(name="Other district", slug="other-district")
        for prefix, slug, district in (
            ("", "alatoo", cls.district),
            ("other_", "other", other_district),
        ):
            made = make_school_with_commission(slug, district)
            for key, value in made.items():
                setattr(cls, f"{prefix}{key}", value)
        cls.responsible = cls.members[0]
        cls.parent = cls.members[4]
        cls.viewer = make_person(None, "viewer")
        DistrictViewer.objects.create(user=cls.viewer, district=cls.district)
        cls.operator = make_person(None, "operator")
        cls.operator.is_operator = True
        cls.operator.save()

    def setUp(self) -> None:
        super().setUp()
        # Messages raised by services speak English in tests, whatever ran before;
        # pages still choose their language per request.
        translation.activate("en")
        self.addCleanup(translation.deactivate)

    def login(self, user: User, client: Client | None = None) -> Client:
        """Sign the user in with password and second factor both passed."""
        client = client or self.client
        client.force_login(user)
        session = client.session
        session[DEVICE_ID_SESSION_KEY] = TOTPDevice.objects.get(user=user).persistent_id
        session.save()
        return client


class SealedBoxTestCase(BaseTestCase):
    """The personas, with every member's key set and the box key made (3 of 5, 2 reserve)."""

    reserve: list[str]
    box_key: BoxKey

    @classmethod
    def setUpTestData(cls) -> None:
        super().setUpTestData()
        from trustbox.seal.services import box_key_create, member_key_set

        for member in cls.members:
            member_key_set(user=member, password=PASSWORD, school=cls.school)
        cls.box_key, cls.reserve = box_key_create(school=cls.school, by=cls.members[1])

    @classmethod
    def box_open(cls) -> Any:
        """Open the box as three members gathered on one screen do; return the opening."""
        from trustbox.openings.gathering import opening_code, opening_join, opening_start
        from trustbox.openings.services import opening_open

        opening, key = opening_start(school=cls.school, by=cls.members[0])
        for member in cls.members[:3]:
            opening_join(
                opening=opening,
                member=member,
                password=PASSWORD,
                session_code=opening_code(opening),
            )
        return opening_open(opening=opening, by=cls.members[0], browser_key=key)

    def box_private_key(self) -> bytes:
        """Open the box as an opening would: three members unlock their shares."""
        from trustbox.seal.crypto import combine_box_key
        from trustbox.seal.services import share_unlock

        shares = [
            share_unlock(box_key=self.box_key, user=m, password=PASSWORD) for m in self.members[:3]
        ]
        return combine_box_key(shares)


@contextlib.contextmanager
def private_tempdir() -> Iterator[Path]:
    """Send every temporary file of this process to a fresh folder of the test's own.

    Confidentiality tests then search that folder, not the machine's shared /tmp (where
    other processes' files come and go while the test walks it).
    """
    path = Path(tempfile.mkdtemp(prefix="trustbox-test-tmp-"))
    saved_tempdir, saved_env = tempfile.tempdir, os.environ.get("TMPDIR")
    tempfile.tempdir = os.environ["TMPDIR"] = str(path)
    try:
        yield path
    finally:
        tempfile.tempdir = saved_tempdir
        if saved_env is None:
            os.environ.pop("TMPDIR", None)
        else:
            os.environ["TMPDIR"] = saved_env
        shutil.rmtree(path, ignore_errors=True)


class _Collect(logging.Handler):
    def __init__(self) -> None:
        super().__init__(level=logging.DEBUG)
        self.lines: list[str] = []

    def emit(self, record: logging.LogRecord) -> None:
        self.lines.append(f"{record.name} {record.getMessage()} {record.exc_text or ''}")


@contextlib.contextmanager
def captured_logs() -> Iterator[list[str]]:
    """Every log line written in the block, at every level, with its arguments filled in."""
    handler = _Collect()
    root = logging.getLogger()
    saved_level = root.level
    root.addHandler(handler)
    root.setLevel(logging.DEBUG)
    try:
        yield handler.lines
    finally:
        root.removeHandler(handler)
        root.setLevel(saved_level)
