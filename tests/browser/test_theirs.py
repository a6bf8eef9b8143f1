"""A class teacher outside the commission, without email, is assigned an appeal: at her next
login she lands on her school's to-do list and finds it there, on a phone, in Kyrgyz and
Russian (issue 21, point 3)."""

import pytest
from django.core.cache import cache
from django.urls import reverse
from django.utils import translation
from django.utils.translation import gettext
from playwright.sync_api import expect

from tests.browser.staff import PHONE, assert_fits, serious_violations, shot, words
from trustbox.box.envelope import Envelope
from trustbox.box.services import appeal_submit
from trustbox.lib.dates import Case, short_date
from trustbox.openings.gathering import opening_code, opening_join, opening_start
from trustbox.openings.services import opening_open
from trustbox.registry.keys import (
    case_private_from_personal,
    personal_key_unlock,
    registry_unlock,
)
from trustbox.registry.models import Appeal
from trustbox.registry.services import appeal_assign, appeal_register
from trustbox.seal.services import box_key_create, member_key_set
from trustbox.test import PASSWORD, current_code, make_school_with_commission

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def assigned(settings):
    """An appeal registered and assigned to the 7-B class teacher, who has no email."""
    settings.SESSION_COOKIE_SECURE = settings.CSRF_COOKIE_SECURE = (
        settings.LANGUAGE_COOKIE_SECURE
    ) = False
    cache.clear()
    made = make_school_with_commission("myrzakmatov", None)
    school, members, teacher = made["school"], made["members"], made["teacher"]
    for person in [*members, teacher]:
        member_key_set(user=person, password=PASSWORD, school=school)
    box_key_create(school=school, by=members[0])
    appeal_submit(
        school=school, envelope=Envelope(kind="complaint", category="bullying", text="mocked")
    )
    opening, key = opening_start(school=school, by=members[0])
    for member in members[:3]:
        opening_join(
            opening=opening, member=member, password=PASSWORD, session_code=opening_code(opening)
        )
    opening_open(opening=opening, by=members[0], browser_key=key)
    responsible = members[0]
    appeal = appeal_register(
        appeal=Appeal.objects.get(),
        by=responsible,
        registry_private=registry_unlock(school=school, user=responsible, password=PASSWORD),
        kind="complaint",
        category="bullying",
        urgent=False,
    )
    appeal_assign(
        appeal=appeal,
        to=teacher,
        by=responsible,
        case_private=case_private_from_personal(
            appeal=appeal,
            user=responsible,
            personal=personal_key_unlock(user=responsible, password=PASSWORD),
        ),
    )
    assert teacher.email == ""
    appeal.refresh_from_db()
    return {"teacher": teacher, "appeal": appeal}


@pytest.mark.parametrize("language", ["ky", "ru"])
def test_a_class_teacher_without_email_logs_in_and_finds_her_appeal_on_her_list(
    live_server, chromium, assigned, language
):
    teacher, appeal = assigned["teacher"], assigned["appeal"]
    context = chromium.new_context(viewport=PHONE)
    context.add_cookies([{"name": "trustbox_language", "value": language, "url": live_server.url}])
    page = context.new_page()
    page.set_default_timeout(10_000)
    page.goto(f"{live_server.url}/accounts/login/")
    page.locator("#id_username").fill(teacher.username)
    page.locator("#id_password").fill(PASSWORD)
    page.locator("form.stack button[type=submit]").click()
    page.locator("#id_code").fill(current_code(teacher))
    page.locator("form.stack button[type=submit]").click()

    # She lands on her school's to-do list, not on a list of schools.
    expect(page).to_have_url(f"{live_server.url}/s/myrzakmatov/")
    expect(page.locator("html")).to_have_attribute("lang", language)
    with translation.override(language):
        heading = gettext("What is due")
        line = gettext("Appeal %(number)s is assigned to you: answer it by %(date)s.") % {
            "number": appeal.number,
            "date": short_date(appeal.due_on, language, Case.DATIVE),
        }
        button = gettext("Open")
    expect(page.locator("#todo-heading")).to_have_text(heading)
    item = page.locator(".todo-item", has_text=appeal.number)
    expect(item).to_have_count(1)
    assert words(item.locator("p").inner_text()) == line
    link = item.locator("a.button")
    expect(link).to_have_text(button)
    assert link.get_attribute("href") == reverse("registry:detail", args=["myrzakmatov", appeal.pk])
    assert_fits(page)
    assert serious_violations(page) == []
    shot(page, f"theirs-teacher-{language}-360")
    context.close()
