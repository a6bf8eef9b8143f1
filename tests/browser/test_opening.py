import subprocess

import pytest
from django.core.cache import cache
from playwright.sync_api import expect

from tests.browser.staff import start_gathering
from trustbox.box.envelope import Envelope, Writer
from trustbox.box.services import appeal_submit
from trustbox.openings.models import Opening
from trustbox.registry.models import Appeal
from trustbox.seal.services import box_key_create, member_key_set
from trustbox.test import PASSWORD, current_code, make_school_with_commission

pytestmark = pytest.mark.django_db(transaction=True)


@pytest.fixture
def school_with_appeals(settings):
    settings.SESSION_COOKIE_SECURE = settings.CSRF_COOKIE_SECURE = (
        settings.LANGUAGE_COOKIE_SECURE
    ) = False
    cache.clear()
    made = make_school_with_commission("myrzakmatov", None)
    for member in made["members"]:
        member_key_set(user=member, password=PASSWORD, school=made["school"])
    box_key_create(school=made["school"], by=made["members"][0])
    appeal_submit(
        school=made["school"],
        envelope=Envelope(kind="complaint", category="bullying", text="mocked"),
    )
    appeal_submit(
        school=made["school"],
        envelope=Envelope(
            kind="complaint",
            category="canteen",
            text="cold food",
            writer=Writer(name="Nazira Abdykadyrova", contact="+996 555 000 111"),
        ),
    )
    return made


def sign_in(page, base, user):
    page.goto(f"{base}/accounts/login/")
    page.get_by_role("button", name="English").click()
    page.get_by_label("Username").fill(user.username)
    page.get_by_label("Password").fill(PASSWORD)
    page.get_by_role("button", name="Continue").click()
    page.get_by_label("Six-digit code").fill(current_code(user))
    page.get_by_role("button", name="Confirm").click()


def test_three_members_open_the_box_and_print_the_act(live_server, chromium, school_with_appeals):
    base = live_server.url
    first, second, third = school_with_appeals["members"][:3]
    screen_context = chromium.new_context(
        viewport={"width": 1024, "height": 900}, accept_downloads=True
    )
    screen = screen_context.new_page()
    phone_context = chromium.new_context(viewport={"width": 360, "height": 740})
    phone = phone_context.new_page()

    sign_in(screen, base, first)
    screen.goto(f"{base}/s/myrzakmatov/openings/")
    start_gathering(screen, first)
    expect(screen.get_by_text("3 more members are needed")).to_be_visible()
    expect(screen.get_by_text("Where the commission gathers: school library.")).to_be_visible()
    join_own = screen.locator("form[action$='/join/']")
    join_own.get_by_label("Your password").fill(PASSWORD)
    join_own.get_by_role("button", name="Join").click()
    expect(screen.get_by_text("2 more members are needed")).to_be_visible()

    # The second member joins from her own phone, with the code she reads on the shared screen.
    code = screen.locator(".code-big code").inner_text()
    sign_in(phone, base, second)
    phone.goto(f"{base}/s/myrzakmatov/openings/")
    phone.get_by_role("link", name="join it").click()
    # Typed on a Kyrgyz keyboard: Cyrillic look-alike letters, spaces for the dashes.
    phone.get_by_label("Code on the shared screen").fill(
        code.translate(str.maketrans("ABCE-", "АВСЕ "))
    )
    phone.get_by_label("Your password").fill(PASSWORD)
    phone.get_by_role("button", name="Join").click()
    expect(phone.get_by_text("1 more member is needed")).to_be_visible()

    # The third joins on the shared screen with both factors.
    here = screen.locator("form[action$='/join-here/']")
    here.get_by_label("Login").fill(third.username)
    here.get_by_label("Password").fill(PASSWORD)
    here.get_by_label("Code from the authenticator app").fill(current_code(third))
    here.get_by_role("button", name="Join").click()
    expect(screen.get_by_text("Enough members are present")).to_be_visible()

    paper = screen.locator("form[action$='/paper/']")
    paper.get_by_label("Text of the appeal").fill("A folded note from the foyer box.")
    paper.get_by_role("button", name="Add the paper appeal").click()
    expect(screen.get_by_text("The paper appeal is sealed into the box")).to_be_visible()

    opening_form = screen.locator("form[action$='/open/']")
    opening_form.get_by_label("State of the box in the foyer and its seals").fill(
        "The box is whole, the seal intact."
    )
    opening_form.get_by_role("button", name="Check the seal and take the appeals out").click()
    expect(screen.get_by_text("the box is opened")).to_be_visible()
    expect(screen.get_by_text("The digital seal is whole")).to_be_visible()
    opening = Opening.objects.get()
    assert opening.status == Opening.Status.OPENED
    assert Appeal.objects.count() == 3

    phone.reload()
    phone.get_by_role("button", name="I confirm the seal code").click()
    expect(phone.get_by_text("confirmed the seal").first).to_be_visible()

    screen.get_by_role("link", name="PDF in Kyrgyz").click()
    screen.get_by_label("Your password").fill(PASSWORD)
    with screen.expect_download() as download:
        screen.get_by_role("button", name="Download").click()
    pdf = download.value.path().read_bytes()
    text = subprocess.run(
        ["pdftotext", "-", "-"], input=pdf, capture_output=True, check=True
    ).stdout.decode()
    assert "Nazira Abdykadyrova" in text
    assert "+996 555 000 111" in text
    assert "cold food" not in text and "mocked" not in text
    screen_context.close()
    phone_context.close()
