"""Try to catch a reply, a note, the writer's answer or a receipt anywhere at rest."""

import datetime
import logging
import os
import time
from pathlib import Path

import pytest
from django.conf import settings
from django.core import mail
from django.db import connection
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from trustbox.box.envelope import Envelope
from trustbox.box.services import appeal_submit
from trustbox.box.tests.helpers import (
    CLIENT_IP,
    cache_contents,
    database_rows_as_bytes,
    files_under,
    secrets_in,
)
from trustbox.lib.tests.mailcheck import mail_parts
from trustbox.openings.gathering import opening_code, opening_join, opening_start
from trustbox.openings.services import opening_open
from trustbox.public.forms import submission_token
from trustbox.registry.models import Appeal, Entry
from trustbox.registry.notify import writer_messages_notify
from trustbox.seal.services import box_key_create, member_key_set
from trustbox.test import PASSWORD, make_school_with_commission

pytestmark = pytest.mark.django_db(transaction=True)

TEXT_CANARY = "CANARY-APPEAL-Айгерим-5521"
REPLY_CANARY = "CANARY-REPLY-Жооп-8812"
NOTE_CANARY = "CANARY-NOTE-Белги-1177"
WRITER_CANARY = "CANARY-WRITER-Рахмат-3390"


def staff_client(user) -> Client:
    from django_otp import DEVICE_ID_SESSION_KEY
    from django_otp.plugins.otp_totp.models import TOTPDevice

    client = Client(raise_request_exception=False)
    client.force_login(user)
    session = client.session
    session[DEVICE_ID_SESSION_KEY] = TOTPDevice.objects.get(user=user).persistent_id
    session.save()
    return client


def test_the_registry_keeps_no_plaintext_of_the_conversation_at_rest(caplog, capfd, private_tmp):
    made = make_school_with_commission("secret", None)
    school, members = made["school"], made["members"]
    responsible = members[0]
    for member in members:
        member.email = f"{member.username}@school.invalid"
        member.save()
        member_key_set(user=member, password=PASSWORD, school=school)
    box_key_create(school=school, by=members[0])
    receipt = appeal_submit(
        school=school, envelope=Envelope(kind="complaint", category="bullying", text=TEXT_CANARY)
    )
    opening, key = opening_start(school=school, by=members[0])
    for member in members[:3]:
        opening_join(
            opening=opening, member=member, password=PASSWORD, session_code=opening_code(opening)
        )
    opening_open(opening=opening, by=members[0], browser_key=key)
    appeal = Appeal.objects.get(school=school)

    capfd.readouterr()
    caplog.set_level(logging.DEBUG)
    started = time.time() - 1
    staff = staff_client(responsible)
    staff.post(reverse("registry:unlock", args=[school.slug]), {"password": PASSWORD})
    detail = reverse("registry:detail", args=[school.slug, appeal.pk])
    steps = [
        {"action": "register", "register-kind": "complaint", "register-category": "bullying"},
        {"action": "note", "note-text": NOTE_CANARY},
        {"action": "reply", "reply-text": REPLY_CANARY, "reply-channel": "receipt"},
    ]
    for data in steps:
        assert staff.post(detail, data).status_code == 302, data["action"]
    assert REPLY_CANARY.encode() in staff.get(detail).content

    public = Client(raise_request_exception=False)
    status = public.post(
        reverse("box:status", args=[school.slug]), {"code": receipt.code}, REMOTE_ADDR=CLIENT_IP
    )
    assert REPLY_CANARY.encode() in status.content
    assert NOTE_CANARY.encode() not in status.content
    written = public.post(
        reverse("box:write_back", args=[school.slug]),
        {"code": receipt.code, "text": WRITER_CANARY, "token": submission_token()},
        REMOTE_ADDR=CLIENT_IP,
    )
    assert written.status_code == 200
    assert Entry.objects.filter(appeal=appeal, kind=Entry.Kind.WRITER).count() == 1
    assert writer_messages_notify(today=timezone.localdate() + datetime.timedelta(days=1)) == 1
    assert len(mail.outbox) >= 1, "the responsible person is told the writer wrote back"

    code = receipt.code
    secrets = [
        TEXT_CANARY,
        REPLY_CANARY,
        NOTE_CANARY,
        WRITER_CANARY,
        code,
        code.replace("-", ""),
        PASSWORD,
        CLIENT_IP,
    ]
    if connection.vendor == "sqlite":
        db = Path(connection.settings_dict["NAME"])
        for path in [p for p in db.parent.glob(db.name + "*") if p.is_file()]:
            assert secrets_in(path.read_bytes(), secrets) == [], path
    assert secrets_in(database_rows_as_bytes(), secrets) == []
    for path in files_under(Path(settings.DATA_DIR), private_tmp, since=started):
        if path.stat().st_size < 50_000_000 and os.access(path, os.R_OK):
            assert secrets_in(path.read_bytes(), secrets) == [], path
    captured = capfd.readouterr()
    logs = (caplog.text + captured.out + captured.err).encode()
    assert secrets_in(logs, secrets) == []
    assert secrets_in(cache_contents(), secrets) == []
    for message in mail.outbox:
        assert secrets_in(str(message.message()).encode(), secrets) == []
        # The plain-text and the HTML part, as the reader's mail program decodes them.
        for part in mail_parts(message):
            assert secrets_in(part.encode(), secrets) == []
