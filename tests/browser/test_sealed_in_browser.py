"""Sealed before it leaves (issue 25): the appeal is sealed in Chromium, the server never sees it.

Every request body the server receives is recorded (every byte the live server reads of a
request, as a test middleware would see it): the canary text of the appeal must be in none,
and the opening must find it intact. Without JavaScript the form works as before and is sealed
on the server.
"""

import base64
import io
import re

import pytest
from django.core.cache import cache
from PIL import Image
from playwright.sync_api import expect

from trustbox.box.envelope import Envelope
from trustbox.box.models import Box, SealedAppeal
from trustbox.box.services import appeal_find_by_receipt
from trustbox.box.tests.helpers import CANARY, photo_with_gps
from trustbox.seal import crypto
from trustbox.seal.services import box_key_create, member_key_set, share_unlock
from trustbox.test import PASSWORD, make_school_with_commission

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

PHONE = {"width": 360, "height": 740}
WORDS = {
    "ky": {"put": "Кутуга салуу", "in_box": "Кутуда, али ачыла элек."},
    "ru": {
        "put": "Опустить в ящик",
        "in_box": "Лежит в ящике, ящик ещё не открывали.",
    },
}


@pytest.fixture
def school(settings):
    settings.SESSION_COOKIE_SECURE = settings.CSRF_COOKIE_SECURE = (
        settings.LANGUAGE_COOKIE_SECURE
    ) = False
    cache.clear()
    made = make_school_with_commission("myrzakmatov", None)
    for member in made["members"]:
        member_key_set(user=member, password=PASSWORD, school=made["school"])
    made["box_key"], _reserve = box_key_create(school=made["school"], by=made["members"][0])
    return made


def box_private(made):
    shares = [
        share_unlock(box_key=made["box_key"], user=m, password=PASSWORD)
        for m in made["members"][:3]
    ]
    return crypto.combine_box_key(shares)


@pytest.fixture
def bodies(monkeypatch):
    """Every byte of a request's body the live server reads, as it reads it."""
    from django.core.handlers.wsgi import LimitedStream

    read: list[bytes] = []
    original_read, original_readline = LimitedStream.read, LimitedStream.readline

    def recorded_read(self, *args):
        data = original_read(self, *args)
        read.append(data)
        return data

    def recorded_readline(self, *args):
        data = original_readline(self, *args)
        read.append(data)
        return data

    monkeypatch.setattr(LimitedStream, "read", recorded_read)
    monkeypatch.setattr(LimitedStream, "readline", recorded_readline)
    return read


def new_page(chromium, live_server, language, **options):
    context = chromium.new_context(viewport=PHONE, **options)
    context.add_cookies([{"name": "trustbox_language", "value": language, "url": live_server.url}])
    page = context.new_page()
    page.set_default_timeout(15_000)
    return page


@pytest.mark.parametrize("language", ["ky", "ru"])
def test_the_form_seals_in_the_browser_and_the_server_never_receives_the_text(
    live_server, chromium, school, language, tmp_path, bodies
):
    photo = tmp_path / "photo.jpg"
    photo.write_bytes(photo_with_gps())
    page = new_page(chromium, live_server, language)
    page.goto(f"{live_server.url}/b/myrzakmatov/")
    assert page.evaluate("window.TrustBoxSeal.supported()")
    page.locator("#id_text").fill(CANARY)
    page.locator("#id_attachments").set_input_files(str(photo))
    expect(page.locator("#seal-here")).to_be_visible()
    page.get_by_role("button", name=WORDS[language]["put"]).click()

    code = page.locator("#receipt-code").inner_text().strip()
    assert re.fullmatch(r"\d{4}-\d{4}-\d{4}-\d{4}-\d{4}", code)
    expect(page.locator("#receipt-picture")).to_be_visible()
    assert page.locator("#receipt-picture").get_attribute("href").startswith("data:image/png")
    sent = b"".join(bodies)
    assert b'name="sealed"' in sent  # the appeal went out…
    for secret in (CANARY.encode(), b"CanaryCam", code.encode(), code.replace("-", "").encode()):
        assert secret not in sent  # …without its words, its photo's camera, or the code

    appeal = SealedAppeal.objects.get()
    assert bytes(appeal.ciphertext)[0] == crypto.BROWSER_VERSION
    envelope = Envelope.from_bytes(
        crypto.opener_with_box_key(box_private(school)).open(bytes(appeal.ciphertext))
    )
    assert (envelope.text, envelope.language, envelope.channel) == (CANARY, language, "online")
    (picture,) = envelope.attachments
    assert picture.content_type == "image/jpeg" and b"CanaryCam" not in picture.data
    with Image.open(io.BytesIO(picture.data)) as image:
        assert dict(image.getexif()) == {}
        assert image.size == (64, 48)

    # The status page finds the appeal by the code made in the browser, and unlocks its key.
    found = appeal_find_by_receipt(school=school["school"], code=code)
    assert found.sealed == appeal
    public = crypto.box_public_from_private(found.writer_private())
    assert base64.b64encode(public).decode() == envelope.reply_public
    page.goto(f"{live_server.url}/b/myrzakmatov/status/")
    page.locator("#id_code").fill(code)
    page.locator("main form button[type=submit]").click()
    expect(page.get_by_text(WORDS[language]["in_box"])).to_be_visible()
    page.context.close()


def test_an_envelope_sealed_by_the_browsers_code_opens_in_python(live_server, chromium, school):
    page = new_page(chromium, live_server, "ky")
    page.goto(f"{live_server.url}/b/myrzakmatov/")
    key = base64.b64encode(bytes(school["box_key"].public_key)).decode()
    sealed = page.evaluate(
        """async (key) => Array.from(await window.TrustBoxSeal.sealBytes(
            key, new TextEncoder().encode("vector"))) """,
        key,
    )
    opened = crypto.browser_open_with_box_key(box_private(school), bytes(sealed))
    assert opened == b"vector".ljust(2047, b" ")
    page.context.close()


def test_without_javascript_the_old_path_seals_on_the_server(live_server, chromium, school, bodies):
    page = new_page(chromium, live_server, "ky", java_script_enabled=False)
    page.goto(f"{live_server.url}/b/myrzakmatov/")
    page.locator("#id_text").fill(CANARY)
    page.get_by_role("button", name=WORDS["ky"]["put"]).click()
    expect(page.locator("#receipt-code")).to_have_text(re.compile(r"\d{4}-\d{4}-\d{4}-\d{4}-\d{4}"))
    assert CANARY.encode() in b"".join(bodies)  # sent in clear (over TLS), sealed there
    appeal = SealedAppeal.objects.get()
    opened = crypto.open_with_box_key(box_private(school), bytes(appeal.ciphertext))
    assert Envelope.from_bytes(opened).text == CANARY
    assert Box.objects.get(school=school["school"]).count == 1
    page.context.close()


def test_with_a_pdf_the_writer_is_told_it_goes_the_servers_way(
    live_server, chromium, school, tmp_path, bodies
):
    from trustbox.box.tests.helpers import page_with_black_square, pdf_of

    pdf = tmp_path / "page.pdf"
    pdf.write_bytes(pdf_of(page_with_black_square()))
    page = new_page(chromium, live_server, "ru")
    page.goto(f"{live_server.url}/b/myrzakmatov/")
    expect(page.locator("#seal-here")).to_be_visible()
    page.locator("#id_attachments").set_input_files(str(pdf))
    expect(page.locator("#seal-pdf")).to_be_visible()
    expect(page.locator("#seal-here")).to_be_hidden()
    page.locator("#id_text").fill(CANARY)
    page.get_by_role("button", name=WORDS["ru"]["put"]).click()
    expect(page.locator("#receipt-code")).to_have_text(re.compile(r"\d{4}-\d{4}-\d{4}-\d{4}-\d{4}"))
    assert CANARY.encode() in b"".join(bodies)
    appeal = SealedAppeal.objects.get()
    opened = Envelope.from_bytes(
        crypto.open_with_box_key(box_private(school), bytes(appeal.ciphertext))
    )
    assert [a.content_type for a in opened.attachments] == ["application/pdf"]
    page.context.close()


def test_a_photo_the_device_cannot_read_is_refused_here_and_nothing_is_sent(
    live_server, chromium, school, tmp_path, bodies
):
    broken = tmp_path / "broken.jpg"
    broken.write_bytes(b"\xff\xd8\xff\xe0 not a picture")
    page = new_page(chromium, live_server, "ky")
    page.goto(f"{live_server.url}/b/myrzakmatov/")
    page.locator("#id_text").fill(CANARY)
    page.locator("#id_attachments").set_input_files(str(broken))
    page.get_by_role("button", name=WORDS["ky"]["put"]).click()
    refused = page.locator("form [role=alert]:not([hidden])").first
    # The page's own words (translated in the template): what the form carries for this case.
    message = page.locator("form[data-seal-failed]").get_attribute("data-seal-failed")
    assert message
    expect(refused).to_have_text(message)
    expect(page.locator("#id_text")).to_have_value(CANARY)
    assert b'name="sealed"' not in b"".join(bodies)
    assert CANARY.encode() not in b"".join(bodies)
    assert SealedAppeal.objects.count() == 0
    page.context.close()
