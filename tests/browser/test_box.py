import re

import pytest
from django.core.cache import cache
from playwright.sync_api import expect

from trustbox.box.envelope import Envelope
from trustbox.box.models import SealedAppeal
from trustbox.box.tests.helpers import photo_with_gps
from trustbox.seal import crypto
from trustbox.seal.services import box_key_create, member_key_set, share_unlock
from trustbox.test import PASSWORD, make_school_with_commission

pytestmark = pytest.mark.django_db(transaction=True)


@pytest.fixture
def sealed_school(settings):
    settings.SESSION_COOKIE_SECURE = settings.CSRF_COOKIE_SECURE = (
        settings.LANGUAGE_COOKIE_SECURE
    ) = False
    cache.clear()
    made = make_school_with_commission("myrzakmatov", None)
    for member in made["members"]:
        member_key_set(user=member, password=PASSWORD, school=made["school"])
    box_key, _reserve = box_key_create(school=made["school"], by=made["members"][0])
    made["box_key"] = box_key
    return made


def opened(made, appeal):
    shares = [
        share_unlock(box_key=made["box_key"], user=m, password=PASSWORD)
        for m in made["members"][:3]
    ]
    private = crypto.combine_box_key(shares)
    return Envelope.from_bytes(crypto.opener_with_box_key(private).open(bytes(appeal.ciphertext)))


def test_a_child_writes_anonymously_from_a_phone_with_a_photo_and_checks_the_receipt(
    live_server, phone, sealed_school, tmp_path
):
    page = phone
    photo = tmp_path / "photo.jpg"
    photo.write_bytes(photo_with_gps())
    page.goto(f"{live_server.url}/b/myrzakmatov/")
    expect(page.locator("html")).to_have_attribute("lang", "ky")
    page.get_by_role("button", name="English").click()
    page.get_by_label("Something bad is happening").check()
    page.get_by_label("What is it about?").select_option("bullying")
    page.get_by_label("Your appeal").fill("They mock me at breaks.")
    page.get_by_label("Photos or PDF").set_input_files(str(photo))
    page.get_by_role("button", name="Put into the box").click()

    expect(page.get_by_role("heading", name="Your appeal is in the box")).to_be_visible()
    code = page.locator("#receipt-code").inner_text().strip()
    assert re.fullmatch(r"\d{4}-\d{4}-\d{4}-\d{4}-\d{4}", code)
    expect(page.get_by_role("button", name="Print")).to_be_visible()
    assert page.evaluate("document.documentElement.scrollWidth") <= 361

    envelope = opened(sealed_school, SealedAppeal.objects.get())
    assert envelope.text == "They mock me at breaks."
    assert envelope.writer is None
    assert len(envelope.attachments) == 1
    assert b"CanaryCam" not in envelope.attachments[0].data

    page.get_by_label("I have kept my code").check()
    page.get_by_role("button", name="Check my appeal").click()
    page.get_by_label("Receipt code").fill(code.replace("-", " "))
    page.get_by_role("button", name="Check").click()
    expect(page.get_by_text("In the box, not yet opened.")).to_be_visible()


def test_a_parent_signs_an_appeal_and_a_mistake_loses_nothing(live_server, phone, sealed_school):
    page = phone
    page.goto(f"{live_server.url}/b/myrzakmatov/")
    page.get_by_role("button", name="English").click()
    page.get_by_label("Your appeal").fill("The canteen serves cold food.")
    page.get_by_label("I give my name").check()
    page.get_by_role("button", name="Put into the box").click()
    expect(page.get_by_text("Write your name, or choose to stay anonymous.")).to_be_visible()
    expect(page.get_by_label("Your appeal")).to_have_value("The canteen serves cold food.")

    page.get_by_label("Name", exact=True).fill("Nazira Abdykadyrova")
    page.get_by_label("How to answer you").fill("+996 555 000 111")
    page.get_by_role("button", name="Put into the box").click()
    expect(page.get_by_role("heading", name="Your appeal is in the box")).to_be_visible()
    envelope = opened(sealed_school, SealedAppeal.objects.get())
    assert envelope.writer.name == "Nazira Abdykadyrova"
    assert envelope.writer.contact == "+996 555 000 111"


def test_the_form_works_without_javascript(live_server, chromium, sealed_school):
    context = chromium.new_context(
        java_script_enabled=False, viewport={"width": 320, "height": 640}
    )
    page = context.new_page()
    page.goto(f"{live_server.url}/b/myrzakmatov/")
    expect(page.locator("html")).to_have_attribute("lang", "ky")
    page.locator("#id_text").fill("Без JavaScript тоже можно.")
    page.locator("button[type=submit]").last.click()
    expect(page.locator("#receipt-code")).to_have_text(re.compile(r"\d{4}-\d{4}-\d{4}-\d{4}-\d{4}"))
    assert SealedAppeal.objects.count() == 1
    context.close()


def test_the_kiosk_forgets_the_writer(live_server, chromium, sealed_school, settings):
    settings.KIOSK_IDLE_SECONDS = 2
    settings.KIOSK_RECEIPT_SECONDS = 2
    context = chromium.new_context(viewport={"width": 800, "height": 1280})
    page = context.new_page()
    kiosk = f"{live_server.url}/b/myrzakmatov/kiosk/"
    page.goto(kiosk)
    page.locator("#id_text").fill("Kiosk writer's secret")
    page.locator("form[data-kiosk] button[type=submit]").click()
    expect(page.locator("#receipt-code")).to_be_visible()

    # Back at a blank form by itself, with the receipt gone from the history.
    expect(page.locator("#id_text")).to_have_value("", timeout=10_000)
    assert page.url == kiosk
    page.go_back()
    assert "Kiosk writer" not in page.content()
    assert page.locator("#receipt-code").count() == 0

    # A half-written appeal left alone is cleared too.
    page.goto(kiosk)
    page.locator("#id_text").fill("left behind")
    expect(page.locator("#id_text")).to_have_value("", timeout=10_000)
    assert SealedAppeal.objects.count() == 1
    context.close()
