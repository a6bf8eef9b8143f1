"""Issue 21, points 1 and 2 on a phone: the writer reads the answer with her receipt and writes
back; the case stays answered, her page says who reads her message; the responsible person
closes it with thanks, which the writer then reads."""

import pytest
from django.conf import settings
from django.urls import reverse
from django.utils import translation
from django.utils.translation import gettext
from playwright.sync_api import expect

from tests.browser.staff import PHONE, assert_fits, serious_violations, signed_in
from tests.browser.test_two_way import open_register_and_answer, sealed_school  # noqa: F401
from trustbox.box.envelope import Envelope
from trustbox.box.services import appeal_submit
from trustbox.registry.models import Outcome, Status
from trustbox.test import PASSWORD

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

ANSWER = "We hear you. The class teacher will talk to the class."
WRITTEN_BACK = "It got better, thank you."
THANKS = "Thank you for telling us. Write again whenever you need."


def said(language: str, text: str) -> str:
    """A sentence of the page as the language says it."""
    with translation.override(language):
        return gettext(text)


def writer_checks(chromium, live_server, language, code):
    """The writer's phone on her status page, her code entered."""
    context = chromium.new_context(viewport=PHONE)
    context.add_cookies(
        [{"name": settings.LANGUAGE_COOKIE_NAME, "value": language, "url": live_server.url}]
    )
    page = context.new_page()
    page.set_default_timeout(10_000)
    page.goto(live_server.url + reverse("box:status", args=["myrzakmatov"]))
    page.locator("input[name=code]").fill(code)
    page.locator("form button[type=submit]").last.click()
    return page


@pytest.mark.parametrize("language", ["ky", "ru"])
def test_a_writer_writes_back_and_the_responsible_person_closes_with_thanks(
    live_server,
    chromium,
    sealed_school,  # noqa: F811
    language,
):
    made = sealed_school
    receipt = appeal_submit(
        school=made["school"],
        envelope=Envelope(kind="complaint", category="bullying", text="They mock me at breaks."),
    )
    appeal, _registry_private = open_register_and_answer(made, ANSWER)

    page = writer_checks(chromium, live_server, language, receipt.code)
    expect(page.locator("html")).to_have_attribute("lang", language)
    expect(page.get_by_text(said(language, "Answered."), exact=True)).to_be_visible()
    expect(page.get_by_text(ANSWER)).to_be_visible()
    page.locator("textarea[name=text]").fill(WRITTEN_BACK)
    page.locator("form.write-back button[type=submit]").click()
    expect(page.locator(".state")).to_have_text(said(language, "Your message is received."))
    expect(page.locator(".message.mine")).to_contain_text(WRITTEN_BACK)
    assert said(language, "Under consideration.") not in page.locator(".status").inner_text()
    assert_fits(page)
    assert serious_violations(page) == []
    appeal.refresh_from_db()
    assert (appeal.status, appeal.due_on) == (Status.ANSWERED, appeal.due_on)
    page.context.close()

    responsible = made["members"][0]
    staff = signed_in(chromium, live_server, responsible, language, PHONE)
    detail = live_server.url + reverse("registry:detail", args=["myrzakmatov", appeal.pk])
    staff.goto(live_server.url + reverse("core:dashboard", args=["myrzakmatov"]))
    line = said(language, "A writer wrote back on appeal %(number)s: decide.") % {
        "number": appeal.number
    }
    expect(staff.get_by_text(line)).to_be_visible()
    staff.goto(detail)
    staff.locator("input[name=password]").fill(PASSWORD)
    staff.locator("main form button[type=submit]").click()
    decide = staff.locator("section.write-back-decide")
    expect(decide.get_by_role("heading")).to_have_text(
        said(language, "The writer wrote back: decide")
    )
    expect(staff.get_by_text(WRITTEN_BACK)).to_be_visible()
    decide.locator("textarea[name=thanks-text]").fill(THANKS)
    decide.get_by_role("button", name=said(language, "Close with thanks")).click()
    expect(staff.get_by_text(said(language, "The appeal is closed with thanks."))).to_be_visible()
    assert_fits(staff)
    assert serious_violations(staff) == []
    appeal.refresh_from_db()
    assert (appeal.status, appeal.outcome) == (Status.CLOSED, Outcome.RESOLVED)
    staff.context.close()

    page = writer_checks(chromium, live_server, language, receipt.code)
    expect(page.get_by_text(said(language, "Closed."), exact=True)).to_be_visible()
    expect(page.locator(".message").last).to_contain_text(THANKS)
    assert page.locator("textarea[name=text]").count() == 0
    page.context.close()
