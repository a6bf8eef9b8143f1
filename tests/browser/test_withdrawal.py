"""Issue 24, point 4, done-when on a phone: a writer sends her appeal, takes it back with her
receipt, and the commission's opening sets it aside unread: the act lists it as withdrawn by
its writer, without its text."""

import re
import subprocess
from unittest import mock

import pytest
from django.conf import settings
from django.utils import timezone, translation
from django.utils.translation import gettext
from playwright.sync_api import expect

from tests.browser.staff import PHONE, assert_fits, signed_in, start_gathering
from tests.browser.test_two_way import sealed_school  # noqa: F401
from trustbox.box.envelope import Envelope
from trustbox.box.models import SealedAppeal
from trustbox.box.services import appeal_submit
from trustbox.lib.dates import Case, long_date_in_text
from trustbox.openings.models import Opening
from trustbox.registry.models import Appeal
from trustbox.seal import crypto
from trustbox.test import PASSWORD, current_code

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

TAKEN_BACK = "They mock me at breaks. TAKEN-BACK"


def said(language: str, text: str) -> str:
    with translation.override(language):
        return gettext(text)


def one_line(text: str) -> str:
    return " ".join(text.split())


def writer_sends_and_takes_it_back(chromium, live_server, language):
    """The writer's phone: the form, the receipt, the status page, take it back, confirm."""
    context = chromium.new_context(viewport=PHONE)
    context.add_cookies(
        [{"name": settings.LANGUAGE_COOKIE_NAME, "value": language, "url": live_server.url}]
    )
    page = context.new_page()
    page.set_default_timeout(10_000)
    page.goto(f"{live_server.url}/b/myrzakmatov/")
    page.locator("#id_text").fill(TAKEN_BACK)
    page.locator("form:has(#id_text) button[type=submit]").click()
    code = page.locator("#receipt-code").inner_text().strip()
    assert re.fullmatch(r"\d{4}-\d{4}-\d{4}-\d{4}-\d{4}", code)

    page.goto(f"{live_server.url}/b/myrzakmatov/status/")
    page.locator("#id_code").fill(code)
    page.locator("main form button[type=submit]").click()
    expect(page.get_by_text(said(language, "In the box, not yet opened."))).to_be_visible()
    page.get_by_role("button", name=said(language, "Take my appeal back")).click()
    # The confirmation says what happens and that it cannot be undone.
    expect(page.locator("h1")).to_have_text(said(language, "Take your appeal back?"))
    expect(page.locator("main strong")).to_contain_text(
        one_line(
            said(
                language,
                "This cannot be undone. If you change your mind later, you "
                "will have to write a new appeal.",
            )
        )
    )
    assert_fits(page)
    page.get_by_role("button", name=said(language, "Yes, take my appeal back")).click()
    expect(page.get_by_text(said(language, "Your appeal is taken back."))).to_be_visible()
    expect(page.get_by_text(said(language, "You took your appeal back."))).to_be_visible()
    assert_fits(page)
    context.close()


def commission_opens(chromium, live_server, made):
    """Three members gather on the shared screen and open the box; return the act's text."""
    first, second, third = made["members"][:3]
    screen = signed_in(
        chromium, live_server, first, "en", {"width": 1024, "height": 900}, accept_downloads=True
    )
    screen.goto(f"{live_server.url}/s/myrzakmatov/openings/")
    start_gathering(screen, first)
    join_own = screen.locator("form[action$='/join/']")
    join_own.get_by_label("Your password").fill(PASSWORD)
    join_own.get_by_role("button", name="Join").click()
    for member in (second, third):
        here = screen.locator("form[action$='/join-here/']")
        here.get_by_label("Login").fill(member.username)
        here.get_by_label("Password").fill(PASSWORD)
        here.get_by_label("Code from the authenticator app").fill(current_code(member))
        here.get_by_role("button", name="Join").click()
    expect(screen.get_by_text("Enough members are present")).to_be_visible()
    opened = []
    real_open = crypto.BoxOpener.open

    def spy(opener, ciphertext):
        opened.append(bytes(ciphertext))
        return real_open(opener, ciphertext)

    with mock.patch.object(crypto.BoxOpener, "open", spy):
        screen.locator("form[action$='/open/']").get_by_role(
            "button", name="Check the seal and take the appeals out"
        ).click()
        expect(screen.get_by_text("the box is opened")).to_be_visible()
    screen.get_by_role("link", name="PDF in Kyrgyz").click()
    screen.get_by_label("Your password").fill(PASSWORD)
    with screen.expect_download() as download:
        screen.get_by_role("button", name="Download").click()
    pdf = download.value.path().read_bytes()
    screen.context.close()
    text = subprocess.run(["pdftotext", "-", "-"], input=pdf, capture_output=True, check=True)
    return one_line(text.stdout.decode()), opened


def test_a_writers_withdrawal_is_set_aside_unread_at_the_opening(
    live_server,
    chromium,
    sealed_school,  # noqa: F811
):
    made = sealed_school
    appeal_submit(
        school=made["school"],
        envelope=Envelope(kind="complaint", category="canteen", text="The soup is cold."),
    )
    writer_sends_and_takes_it_back(chromium, live_server, "ky")
    withdrawn = SealedAppeal.objects.get(withdrawn_on__isnull=False)
    assert bytes(withdrawn.ciphertext) == b""

    act, opened = commission_opens(chromium, live_server, made)
    # Only the other appeal was opened; the withdrawn one was never tried.
    assert len(opened) == 1
    opening = Opening.objects.get()
    assert (opening.online_count, len(opening.withdrawn)) == (1, 1)
    assert list(Appeal.objects.values_list("sealed_appeal__seq", flat=True)) == [1]
    with translation.override("ky"):
        line = gettext("№ %(seq)d in the box, received on %(day)s: withdrawn by its writer.") % {
            "seq": withdrawn.seq,
            "day": long_date_in_text(timezone.localdate(), "ky", Case.LOCATIVE),
        }
    assert one_line(line) in act
    assert "TAKEN-BACK" not in act and "soup" not in act
