import pytest
from axe_playwright_python.sync_playwright import Axe
from django.core.cache import cache
from django_otp.oath import totp
from django_otp.plugins.otp_totp.models import TOTPDevice
from playwright.sync_api import expect

from trustbox.box.envelope import Envelope
from trustbox.box.services import appeal_submit
from trustbox.openings.gathering import opening_code, opening_join, opening_start
from trustbox.openings.services import opening_open
from trustbox.registry.models import Appeal, Status
from trustbox.seal.services import box_key_create, member_key_set
from trustbox.test import PASSWORD, make_school_with_commission

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

TEXT = "They take my lunch money behind the gym."


@pytest.fixture
def opened_school(settings):
    settings.SESSION_COOKIE_SECURE = settings.CSRF_COOKIE_SECURE = (
        settings.LANGUAGE_COOKIE_SECURE
    ) = False
    cache.clear()
    made = make_school_with_commission("myrzakmatov", None)
    members = made["members"]
    for member in [*members, made["teacher"]]:
        member_key_set(user=member, password=PASSWORD, school=made["school"])
    box_key_create(school=made["school"], by=members[0])
    appeal_submit(
        school=made["school"],
        envelope=Envelope(kind="complaint", category="extortion", text=TEXT),
    )
    opening, key = opening_start(school=made["school"], by=members[0])
    for member in members[:3]:
        opening_join(
            opening=opening, member=member, password=PASSWORD, session_code=opening_code(opening)
        )
    opening_open(opening=opening, by=members[0], browser_key=key)
    return made


def serious_violations(page):
    return [
        violation["id"]
        for violation in Axe().run(page).response["violations"]
        if violation["impact"] in ("serious", "critical")
    ]


def test_the_responsible_person_registers_assigns_and_answers_in_the_browser(
    live_server, chromium, opened_school
):
    responsible = opened_school["members"][0]
    context = chromium.new_context(viewport={"width": 1024, "height": 900})
    page = context.new_page()
    page.set_default_timeout(10_000)
    page.goto(live_server.url + "/accounts/login/")
    page.get_by_role("button", name="English").click()
    page.get_by_label("Username").fill(responsible.username)
    page.get_by_label("Password").fill(PASSWORD)
    page.get_by_role("button", name="Continue").click()
    device = TOTPDevice.objects.get(user=responsible)
    page.get_by_label("Six-digit code").fill(f"{totp(device.bin_key):06d}")
    page.get_by_role("button", name="Confirm").click()

    page.goto(live_server.url + "/s/myrzakmatov/registry/")
    expect(page.get_by_text("To register: 1.")).to_be_visible()
    assert TEXT not in page.content()
    page.get_by_role("link", name="opening 1, line 1").click()
    page.get_by_label("Your password").fill(PASSWORD)
    page.get_by_role("button", name="Open").click()
    expect(page.get_by_text(TEXT)).to_be_visible()

    page.get_by_role("button", name="Register").click()
    appeal = Appeal.objects.get()
    expect(page.get_by_text(f"Registered as № {appeal.number}.")).to_be_visible()
    page.get_by_label("Who considers this appeal").select_option(
        label=opened_school["teacher"].full_name
    )
    page.get_by_role("button", name="Assign").click()
    expect(page.get_by_text("Assigned.")).to_be_visible()
    page.get_by_label("Reply to the writer").fill("We will stop it. Come to the psychologist.")
    page.get_by_role("button", name="Save the reply").click()
    expect(page.get_by_text("The reply is saved.")).to_be_visible()
    expect(page.get_by_text("We will stop it. Come to the psychologist.")).to_be_visible()
    assert serious_violations(page) == []

    appeal.refresh_from_db()
    assert appeal.status == Status.ANSWERED
    assert appeal.assignee == opened_school["teacher"]
    context.close()
