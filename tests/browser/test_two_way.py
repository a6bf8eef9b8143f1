import re

import pytest
from axe_playwright_python.sync_playwright import Axe
from django.core.cache import cache
from playwright.sync_api import expect

from trustbox.openings.gathering import opening_code, opening_join, opening_start
from trustbox.openings.services import opening_open
from trustbox.registry.consideration import appeal_reply
from trustbox.registry.keys import registry_unlock
from trustbox.registry.models import Appeal, Entry
from trustbox.registry.services import appeal_file_read, appeal_register
from trustbox.seal.services import box_key_create, member_key_set
from trustbox.test import PASSWORD, make_school_with_commission

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def sealed_school(settings):
    settings.SESSION_COOKIE_SECURE = settings.CSRF_COOKIE_SECURE = (
        settings.LANGUAGE_COOKIE_SECURE
    ) = False
    cache.clear()
    made = make_school_with_commission("myrzakmatov", None)
    for member in made["members"]:
        member_key_set(user=member, password=PASSWORD, school=made["school"])
    box_key_create(school=made["school"], by=made["members"][0])
    return made


def open_register_and_answer(made, text):
    """What the commission does in between, through the services to keep the test fast."""
    members = made["members"]
    opening, browser_key = opening_start(school=made["school"], by=members[0])
    for member in members[:3]:
        opening_join(
            opening=opening, member=member, password=PASSWORD, session_code=opening_code(opening)
        )
    opening_open(opening=opening, by=members[0], browser_key=browser_key)
    registry_private = registry_unlock(school=made["school"], user=members[0], password=PASSWORD)
    appeal = Appeal.objects.get()
    appeal = appeal_register(
        appeal=appeal,
        by=members[0],
        registry_private=registry_private,
        kind=appeal.kind,
        category=appeal.category,
        urgent=appeal.urgent,
    )
    appeal_reply(appeal=appeal, by=members[0], text=text, channel=Entry.Channel.RECEIPT)
    return appeal, registry_private


def test_an_anonymous_writer_reads_the_answer_and_writes_back_with_her_receipt(
    live_server, phone, sealed_school
):
    page = phone
    page.goto(f"{live_server.url}/b/myrzakmatov/")
    page.get_by_role("button", name="English").click()
    page.get_by_label("Your appeal").fill("They mock me at breaks.")
    page.get_by_role("button", name="Put into the box").click()
    code = page.locator("#receipt-code").inner_text().strip()
    assert re.fullmatch(r"\d{4}-\d{4}-\d{4}-\d{4}-\d{4}", code)

    appeal, registry_private = open_register_and_answer(
        sealed_school, "We hear you. The class teacher will talk to the class."
    )

    page.get_by_label("I have kept my code").check()
    page.get_by_role("button", name="Check my appeal").click()
    page.get_by_label("Receipt code").fill(code)
    page.get_by_role("button", name="Check").click()
    expect(page.get_by_text("Answered.")).to_be_visible()
    expect(page.get_by_text(f"Number of your appeal: {appeal.number}")).to_be_visible()
    expect(
        page.get_by_text("We hear you. The class teacher will talk to the class.")
    ).to_be_visible()

    page.get_by_label("Write back").fill("It got better")
    page.get_by_role("button", name="Send").click()
    expect(page.get_by_text("Your message is sent.")).to_be_visible()
    mine = page.locator(".message.mine")
    expect(mine).to_contain_text("You")
    expect(mine).to_contain_text("It got better")
    expect(page.get_by_label("Write back")).to_have_value("")
    assert page.evaluate("document.documentElement.scrollWidth") <= 361
    assert code not in page.url
    serious = [
        violation["id"]
        for violation in Axe().run(page).response["violations"]
        if violation["impact"] in ("serious", "critical")
    ]
    assert serious == [], serious

    file = appeal_file_read(
        appeal=appeal,
        by=sealed_school["members"][0],
        purpose="test",
        registry_private=registry_private,
    )
    assert [(entry.kind, text) for entry, text in file.entries][-1] == (
        Entry.Kind.WRITER,
        "It got better",
    )
