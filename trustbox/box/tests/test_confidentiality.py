"""Try to catch the plaintext of an appeal, its receipt or the writer's address anywhere at rest."""

import logging
import os
import time
from pathlib import Path
from unittest import mock

import pytest
from django.conf import settings
from django.core import mail
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import connection
from django.test import Client
from django.urls import reverse

from trustbox.box.models import SealedAppeal
from trustbox.box.tests.helpers import (
    CANARY,
    CLIENT_IP,
    appeal_data,
    cache_contents,
    database_rows_as_bytes,
    files_under,
    photo_with_gps,
    receipt_code_on,
    secrets_in,
)
from trustbox.lib.tests.mailcheck import mail_parts
from trustbox.schools.models import School
from trustbox.seal.services import box_key_create, member_key_set
from trustbox.test import PASSWORD, make_school_with_commission

pytestmark = pytest.mark.django_db(transaction=True)

NAME_CANARY = "CANARYNAME-Өмүрбек-31337"
CAMERA_CANARY = "CANARYCAM-4242"


@pytest.fixture
def school() -> School:
    made = make_school_with_commission("secret", None)
    for member in made["members"]:
        member.email = f"{member.username}@school.invalid"
        member.save()
        member_key_set(user=member, password=PASSWORD, school=made["school"])
    box_key_create(school=made["school"], by=made["members"][0])
    return made["school"]


def test_an_appeal_leaves_no_plaintext_receipt_or_address_at_rest(
    school, caplog, capfd, private_tmp
):
    photo = SimpleUploadedFile("x.jpg", photo_with_gps(CAMERA_CANARY), content_type="image/jpeg")
    capfd.readouterr()
    caplog.set_level(logging.DEBUG)
    started = time.time() - 1
    client = Client(raise_request_exception=False)
    url = reverse("box:appeal", args=[school.slug])
    response = client.post(
        url,
        appeal_data(
            text=CANARY, signed="signed", name=NAME_CANARY, urgent="on", attachments=[photo]
        ),
        REMOTE_ADDR=CLIENT_IP,
        HTTP_X_FORWARDED_FOR=CLIENT_IP,
        HTTP_USER_AGENT="CanaryBrowser/1.0",
    )
    assert response.status_code == 200
    code = receipt_code_on(response)
    status = client.post(
        reverse("box:status", args=[school.slug]), {"code": code}, REMOTE_ADDR=CLIENT_IP
    )
    assert status.status_code == 200
    assert SealedAppeal.objects.filter(school=school).count() == 1

    secrets = [CANARY, NAME_CANARY, CAMERA_CANARY, code, code.replace("-", ""), CLIENT_IP]
    db = Path(connection.settings_dict["NAME"]) if connection.vendor == "sqlite" else None
    if db is not None:
        db_files = [p for p in db.parent.glob(db.name + "*") if p.is_file()]
        assert db_files, "the test database should be a file"
        for path in db_files:
            assert secrets_in(path.read_bytes(), secrets) == [], path
    assert secrets_in(database_rows_as_bytes(), secrets) == []

    data_dir = Path(settings.DATA_DIR)
    for path in files_under(data_dir, private_tmp, since=started):
        if path.stat().st_size < 50_000_000 and os.access(path, os.R_OK):
            assert secrets_in(path.read_bytes(), secrets) == [], path

    captured = capfd.readouterr()
    logs = (caplog.text + captured.out + captured.err).encode()
    assert secrets_in(logs, secrets) == []
    assert secrets_in(cache_contents(), secrets) == []
    assert len(mail.outbox) == 5, "the urgent appeal alerted each member of the commission"
    for message in mail.outbox:
        assert secrets_in(str(message.message()).encode(), secrets) == []
        # The plain-text and the HTML part, as the reader's mail program decodes them.
        for part in mail_parts(message):
            assert secrets_in(part.encode(), secrets) == []


def test_an_error_in_the_middle_of_sealing_shows_no_plaintext(school, caplog):
    caplog.set_level(logging.DEBUG)
    client = Client(raise_request_exception=False)
    with mock.patch("trustbox.box.services.appeal_submit", side_effect=RuntimeError("disk full")):
        response = client.post(
            reverse("box:appeal", args=[school.slug]),
            appeal_data(text=CANARY),
            REMOTE_ADDR=CLIENT_IP,
        )
    assert response.status_code == 500
    assert CANARY.encode() not in response.content
    assert CANARY not in caplog.text
    assert CLIENT_IP not in caplog.text
    assert not SealedAppeal.objects.filter(school=school).exists()
