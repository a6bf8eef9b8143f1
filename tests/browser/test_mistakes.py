"""Mistakes are hard to make, and the writer keeps her text (issue 21, points 5 and 8).

At 360 px in Kyrgyz and Russian: cancelling an opening asks first and says what is lost; the
public form keeps the text in the page when the server is away, and after the receipt nothing
of it is left in the browser's storage.
"""

import pytest
from django.core.cache import cache
from playwright.sync_api import expect

from tests.browser.staff import PHONE, assert_fits, signed_in
from tests.browser.test_child import child_school, new_page  # noqa: F401 (a fixture)
from trustbox.box.models import SealedAppeal
from trustbox.openings.gathering import opening_code, opening_join, opening_start
from trustbox.openings.models import Opening
from trustbox.seal.services import box_key_create, member_key_set
from trustbox.test import PASSWORD, make_school_with_commission

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

LANGUAGES = ["ky", "ru"]
TRY_AGAIN = {
    "ky": "байланышты текшерип, баскычты кайра басыңыз",
    "ru": "проверьте связь и нажмите кнопку ещё раз",
}
CANCEL = {"ky": "Ооба, ачууну жокко чыгаруу", "ru": "Да, отменить вскрытие"}
TEXT = "Танапис учурунда мени шылдыңдашат. На переменах надо мной смеются."


@pytest.fixture
def gathering_school(settings):
    settings.SESSION_COOKIE_SECURE = settings.CSRF_COOKIE_SECURE = (
        settings.LANGUAGE_COOKIE_SECURE
    ) = False
    cache.clear()
    made = make_school_with_commission("myrzakmatov", None)
    for member in made["members"]:
        member_key_set(user=member, password=PASSWORD, school=made["school"])
    box_key_create(school=made["school"], by=made["members"][0])
    opening, _key = opening_start(school=made["school"], by=made["members"][0])
    opening_join(
        opening=opening,
        member=made["members"][1],
        password=PASSWORD,
        session_code=opening_code(opening),
    )
    made["opening"] = opening
    return made


@pytest.mark.parametrize("language", LANGUAGES)
def test_cancelling_an_opening_asks_first_and_names_what_is_lost(
    live_server, chromium, gathering_school, language
):
    opening = gathering_school["opening"]
    page = signed_in(chromium, live_server, gathering_school["members"][0], language, PHONE)
    page.goto(f"{live_server.url}/s/myrzakmatov/openings/{opening.pk}/")
    page.locator("#cancel-link").click()
    lost = page.locator("#what-is-lost")
    expect(lost).to_be_visible()
    expect(lost).to_contain_text(gathering_school["members"][1].full_name)
    assert_fits(page)
    # Asking changed nothing.
    assert Opening.objects.get(pk=opening.pk).status == Opening.Status.GATHERING
    page.get_by_role("button", name=CANCEL[language]).click()
    page.wait_for_url(f"{live_server.url}/s/myrzakmatov/openings/")
    assert Opening.objects.get(pk=opening.pk).status == Opening.Status.CANCELLED


@pytest.mark.parametrize("language", LANGUAGES)
def test_the_writer_keeps_her_text_when_the_server_fails_mid_submission(
    live_server,
    chromium,
    child_school,  # noqa: F811 (the fixture of test_child)
    language,
):
    page = new_page(chromium, live_server, language, PHONE)
    address = f"{live_server.url}/b/myrzakmatov/"
    page.goto(address)
    page.locator("#id_text").fill(TEXT)
    submit = page.locator("form[data-keeps-text] button[type=submit]")

    # The server goes away while the form is sent.
    def fail_the_post(route):
        if route.request.method == "POST":
            route.abort("connectionrefused")
        else:
            route.continue_()

    page.route(address, fail_the_post)
    submit.click()
    failed = page.locator("#send-failed")
    expect(failed).to_be_visible()
    expect(failed).to_contain_text(TRY_AGAIN[language])
    expect(page.locator("#id_text")).to_have_value(TEXT)
    assert page.url == address
    assert SealedAppeal.objects.count() == 0
    assert_fits(page)

    # It is back: the same button sends the same text; the receipt comes.
    page.unroute(address)
    submit.click()
    expect(page.locator("#receipt-code")).to_be_visible()
    assert SealedAppeal.objects.count() == 1
    stored = page.evaluate("[localStorage.length, sessionStorage.length]")
    assert stored == [0, 0]
    assert TEXT not in page.content()


def test_the_kiosk_keeps_the_text_through_a_failure_and_nothing_after(
    live_server,
    chromium,
    child_school,  # noqa: F811 (the fixture of test_child)
):
    page = new_page(chromium, live_server, "ky", PHONE, has_touch=True)
    kiosk = f"{live_server.url}/b/myrzakmatov/kiosk/"
    page.goto(kiosk)
    page.locator("#id_text").fill(TEXT)
    page.route(kiosk, lambda route: route.abort("timedout"))
    page.locator("form[data-kiosk] button[type=submit]").click()
    expect(page.locator("#send-failed")).to_contain_text(TRY_AGAIN["ky"])
    expect(page.locator("#id_text")).to_have_value(TEXT)
    assert page.evaluate("[localStorage.length, sessionStorage.length]") == [0, 0]

    page.unroute(kiosk)
    page.locator("form[data-kiosk] button[type=submit]").click()
    expect(page.locator("#receipt-code")).to_be_visible()
    assert SealedAppeal.objects.count() == 1
    assert page.evaluate("[localStorage.length, sessionStorage.length]") == [0, 0]
    assert TEXT not in page.content()
