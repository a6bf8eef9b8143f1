"""From scheduling a meeting to the last signature and the printed protocol, in Chromium."""

import subprocess

import pytest
from axe_playwright_python.sync_playwright import Axe
from django.core.cache import cache
from django.utils import timezone
from playwright.sync_api import expect

from trustbox.commission.rules import Ballot
from trustbox.commission.services import commission_elect
from trustbox.meetings.models import Protocol
from trustbox.seal.services import box_key_create, member_key_set
from trustbox.test import PASSWORD, current_code, make_school_with_commission

pytestmark = pytest.mark.django_db(transaction=True)


@pytest.fixture
def elected_commission(settings):
    settings.SESSION_COOKIE_SECURE = settings.CSRF_COOKIE_SECURE = (
        settings.LANGUAGE_COOKIE_SECURE
    ) = False
    cache.clear()
    made = make_school_with_commission("myrzakmatov", None)
    members = made["members"]
    commission_elect(
        commission=made["commission"],
        by=members[0],
        held_on=made["commission"].order_date,
        ballots=[Ballot(voter=m, chair=members[1], secretary=members[2]) for m in members],
    )
    # What a meeting discusses and decides is sealed to the commission: the box key comes first.
    for member in members:
        member_key_set(user=member, password=PASSWORD, school=made["school"])
    box_key_create(school=made["school"], by=members[1])
    return made


def sign_in(page, base, user):
    page.goto(f"{base}/accounts/login/")
    page.get_by_role("button", name="English").click()
    page.get_by_label("Username").fill(user.username)
    page.get_by_label("Password").fill(PASSWORD)
    page.get_by_role("button", name="Continue").click()
    page.get_by_label("Six-digit code").fill(current_code(user))
    page.get_by_role("button", name="Confirm").click()


def serious_violations(page):
    return [
        violation["id"]
        for violation in Axe().run(page).response["violations"]
        if violation["impact"] in ("serious", "critical")
    ]


def sign_protocol(page, url):
    page.goto(url)
    sign = page.locator("form[action$='/sign/']")
    sign.get_by_label("Your password").fill(PASSWORD)
    sign.get_by_role("button", name="Sign").click()
    expect(page.get_by_text("You have signed the protocol.")).to_be_visible()


def test_a_meeting_is_scheduled_held_signed_by_all_and_printed(
    live_server, chromium, elected_commission
):
    base = live_server.url
    members = elected_commission["members"]
    secretary = members[2]
    context = chromium.new_context(viewport={"width": 1024, "height": 900}, accept_downloads=True)
    page = context.new_page()
    page.set_default_timeout(15_000)
    sign_in(page, base, secretary)

    page.goto(f"{base}/s/myrzakmatov/meetings/")
    page.get_by_role("link", name="Schedule a meeting").click()
    page.get_by_label("Date").fill(timezone.localdate().isoformat())
    page.get_by_label("Time").fill("15:00")
    page.get_by_label("Place").fill("room 12")
    page.get_by_label("Agenda").fill("The poster in the foyer")
    page.get_by_role("button", name="Schedule the meeting").click()
    expect(page.get_by_text("The meeting is scheduled")).to_be_visible()
    assert serious_violations(page) == []

    for member in members[:4]:
        page.get_by_label(member.full_name).check()
    page.get_by_role("button", name="Record attendance").click()
    expect(page.get_by_text("Attendance is recorded.")).to_be_visible()
    decision = page.locator("form[action$='/decisions/']")
    # The agenda's words are sealed: until she opens the registry, the item is named by its number.
    decision.get_by_label("Agenda item").select_option(label="1. (sealed)")
    decision.get_by_label("Decision").fill("Hang the poster in every classroom.")
    decision.get_by_label("For:", exact=True).fill("4")
    decision.get_by_role("button", name="Record the decision").click()
    expect(page.get_by_text("The decision is recorded.")).to_be_visible()
    page.get_by_label("What was discussed").fill("The responsible person showed the poster.")
    page.get_by_role("button", name="Draft the protocol").click()
    expect(
        page.get_by_role("heading", name="Protocol № 2 of the meeting of the Trust Box commission")
    ).to_be_visible()
    expect(page.get_by_text("0 of 5 members have signed.")).to_be_visible()
    # The discussion and the decision are sealed: the secretary opens the registry to read them.
    expect(page.get_by_text("What the meeting discussed and decided is sealed")).to_be_visible()
    assert "Hang the poster" not in page.content()
    assert serious_violations(page) == []
    protocol_url = page.url
    page.get_by_role("link", name="Open the registry").click()
    page.get_by_label("Your password").fill(PASSWORD)
    page.get_by_role("button", name="Open", exact=True).click()
    expect(page).to_have_url(protocol_url)
    expect(page.get_by_text("Hang the poster in every classroom.")).to_be_visible()
    sign_protocol(page, protocol_url)

    # Every other member signs from their own browser, with their own password.
    for member in [members[0], members[1], members[3], members[4]]:
        other = chromium.new_context(viewport={"width": 360, "height": 740})
        phone = other.new_page()
        phone.set_default_timeout(15_000)
        sign_in(phone, base, member)
        sign_protocol(phone, protocol_url)
        other.close()

    # The director, who is not a member, sees who came and who signed, not what was said.
    office = chromium.new_context(viewport={"width": 1024, "height": 900})
    director = office.new_page()
    director.set_default_timeout(15_000)
    sign_in(director, base, elected_commission["director"])
    director.goto(protocol_url)
    expect(director.get_by_text("Signed by every member of the commission")).to_be_visible()
    expect(director.get_by_text("What the meeting discussed and decided is sealed")).to_be_visible()
    assert "Hang the poster" not in director.content()
    assert "The responsible person showed" not in director.content()
    expect(director.get_by_role("link", name="PDF in Kyrgyz")).to_have_count(0)
    office.close()

    page.reload()
    expect(page.get_by_text("Signed by every member of the commission")).to_be_visible()
    protocol = Protocol.objects.get(number=2)
    assert protocol.completed_at is not None

    with page.expect_download() as download:
        page.get_by_role("link", name="PDF in Kyrgyz").click()
    pdf = download.value.path().read_bytes()
    text = " ".join(
        subprocess.run(["pdftotext", "-", "-"], input=pdf, capture_output=True, check=True)
        .stdout.decode()
        .split()
    )
    assert "«Ишеним кутусу» комиссиясынын жыйналышынын № 2 протоколу" in text
    assert f"{timezone.localdate().year}-жылдын" in text
    assert "Кворум бар" in text
    assert "Hang the poster in every classroom." in text
    for member in members:
        assert member.full_name in text
    assert protocol.verify_code_display in text

    # Anyone with the printout checks it, without logging in.
    visitor = chromium.new_context()
    check = visitor.new_page()
    check.goto(f"{base}/v/")
    check.get_by_role("button", name="English").click()
    check.get_by_label("Verification code").fill(protocol.verify_code_display)
    check.get_by_role("button", name="Verify").click()
    expect(check.get_by_text("5 of 5 members of the commission have signed.")).to_be_visible()
    expect(check.get_by_text("The content is unchanged since it was signed")).to_be_visible()
    assert "Hang the poster" not in check.content()
    assert serious_violations(check) == []
    visitor.close()
    context.close()
