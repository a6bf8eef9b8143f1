"""The staff pages a director, a responsible person and a teacher use on a phone and a desktop,
in Kyrgyz and Russian (issue 11, points 10, 11, 13, 14): the dashboard as a to-do list, the
menu, the registry list, a new order confirmed with its cost, dates typed as a school writes
them, print buttons named by their language, pages that fit 360 px."""

import datetime
import subprocess

import pytest
from django.core.cache import cache
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.translation import gettext
from playwright.sync_api import expect

from tests.browser.staff import (
    DESKTOP,
    PHONE,
    WAY_IDS,
    WAYS,
    assert_fits,
    serious_violations,
    shot,
    signed_in,
    words,
)
from trustbox.box.envelope import Envelope, Writer
from trustbox.box.services import appeal_submit
from trustbox.commission.models import Commission
from trustbox.commission.rules import Ballot
from trustbox.commission.services import commission_elect
from trustbox.openings.gathering import opening_code, opening_join, opening_start
from trustbox.openings.services import opening_open
from trustbox.registry.keys import registry_unlock
from trustbox.registry.models import Appeal, Status
from trustbox.registry.services import appeal_register
from trustbox.seal.services import box_key_create, member_key_set
from trustbox.test import PASSWORD, make_school_with_commission

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

SCHOOL_NAME = "С. Мырзакматов атындагы №12 орто мектеп-гимназиясы"


@pytest.fixture
def busy_school(settings):
    """An opened box: two appeals registered (one urgent), three waiting, one of them late."""
    settings.SESSION_COOKIE_SECURE = settings.CSRF_COOKIE_SECURE = (
        settings.LANGUAGE_COOKIE_SECURE
    ) = False
    cache.clear()
    made = make_school_with_commission("myrzakmatov", None)
    school, members = made["school"], made["members"]
    school.name = SCHOOL_NAME
    school.save()
    for member in members:
        member_key_set(user=member, password=PASSWORD, school=school)
    box_key_create(school=school, by=members[0])
    for number in range(5):
        appeal_submit(
            school=school,
            envelope=Envelope(
                kind="complaint",
                category="bullying",
                text=f"appeal {number}",
                writer=Writer(name="Назира Абдыкадырова", contact="+996 555 000 111")
                if number == 0
                else None,
            ),
        )
    opening, key = opening_start(school=school, by=members[0])
    for member in members[:3]:
        opening_join(
            opening=opening, member=member, password=PASSWORD, session_code=opening_code(opening)
        )
    opening_open(opening=opening, by=members[0], browser_key=key)
    private = registry_unlock(school=school, user=members[0], password=PASSWORD)
    appeals = list(Appeal.objects.order_by("number_in_act"))
    for appeal, urgent in ((appeals[0], False), (appeals[1], True)):
        appeal_register(
            appeal=appeal,
            by=members[0],
            registry_private=private,
            kind=appeal.kind,
            category=appeal.category,
            urgent=urgent,
        )
    today = timezone.localdate()
    Appeal.objects.filter(pk=appeals[4].pk).update(register_by=today - datetime.timedelta(days=3))
    Appeal.objects.filter(pk=appeals[1].pk).update(due_on=today + datetime.timedelta(days=1))
    commission_elect(
        commission=made["commission"],
        by=made["director"],
        held_on=made["commission"].order_date,
        ballots=[Ballot(voter=v, chair=members[1], secretary=members[2]) for v in members[:3]],
    )
    return made


def main_top(page):
    """How far down the page's own content starts: what the header and the menu take."""
    return page.evaluate("document.querySelector('main').getBoundingClientRect().top")


def say(language, text):
    with translation.override(language):
        return gettext(text)


@pytest.mark.parametrize(("language", "viewport"), WAYS, ids=WAY_IDS)
def test_the_dashboard_is_a_to_do_list_and_the_registry_puts_urgent_first(
    live_server, chromium, busy_school, language, viewport
):
    page = signed_in(chromium, live_server, busy_school["members"][0], language, viewport)
    dashboard = f"{live_server.url}/s/myrzakmatov/"
    page.goto(dashboard)
    expect(page.locator("html")).to_have_attribute("lang", language)

    # On a phone the header and the menu leave most of the screen to the page.
    assert main_top(page) < viewport["height"] / 4
    # The menu marks the page shown, and that link is on the screen.
    current = page.locator(".school-nav a[aria-current=page]")
    expect(current).to_have_count(1)
    assert current.get_attribute("href") == "/s/myrzakmatov/"

    # What is due: the late registration first, marked; each with a button.
    items = page.locator(".todo-item")
    expect(items.first).to_have_class("todo-item is-overdue")
    expect(items.first.locator(".tag")).to_have_text(say(language, "overdue"))
    assert items.count() >= 3
    for i in range(items.count()):
        expect(items.nth(i).locator("a.button")).to_be_visible()
    assert_fits(page)
    assert serious_violations(page) == []
    if viewport == PHONE:
        shot(page, f"dashboard-{language}-360")

    # Its button leads to the appeals to register.
    items.first.locator("a.button").click()
    expect(page).to_have_url(f"{live_server.url}/s/myrzakmatov/registry/?status=taken_out")
    expect(page.locator("tbody tr")).to_have_count(3)

    # The registry: urgent first, long dates on one line, nothing wider than the phone.
    page.goto(f"{live_server.url}/s/myrzakmatov/registry/")
    registry_link = page.locator(".school-nav a[aria-current=page]")
    assert registry_link.get_attribute("href") == "/s/myrzakmatov/registry/"
    box = registry_link.bounding_box()
    assert box["x"] >= 0 and box["x"] + box["width"] <= viewport["width"]
    first_row = page.locator("tbody tr").first
    expect(first_row.locator(".tag.bad")).to_have_text(say(language, "urgent"))
    dates = page.locator("tbody .date")
    assert dates.count() >= 5
    for i in range(dates.count()):
        assert dates.nth(i).evaluate("el => el.getClientRects().length") == 1
    assert_fits(page)
    assert serious_violations(page) == []
    if viewport == PHONE:
        shot(page, f"registry-{language}-360")
    page.context.close()


@pytest.mark.parametrize(("language", "viewport"), WAYS, ids=WAY_IDS)
def test_a_new_order_is_confirmed_with_what_it_costs(
    live_server, chromium, busy_school, language, viewport
):
    from trustbox.test import make_person

    school = busy_school["school"]
    members, teacher = busy_school["members"], busy_school["teacher"]
    mathematics = make_person(school, "mathematics", position="mathematics teacher")
    page = signed_in(chromium, live_server, busy_school["director"], language, viewport)
    page.goto(f"{live_server.url}/s/myrzakmatov/commission/new/")

    # Only parents may represent the parents' community: the mathematics teacher is not offered.
    options = page.locator("#id_parents_representative option").all_inner_texts()
    assert members[4].full_name in " ".join(options)
    assert mathematics.full_name not in " ".join(options)

    page.locator("#id_order_number").fill("15")
    page.locator("#id_order_date").fill("01.10.2026")  # as a school writes a date
    for person in (members[0], members[1], members[3], teacher, members[4]):
        page.get_by_label(person.full_name, exact=False).first.check()
    page.locator("#id_responsible").select_option(label=members[0].full_name)
    page.locator("form.stack button[type=submit]").click()

    # No representative chosen: the clause's reason, not "This field is required."
    error = page.locator("#id_parents_representative_error")
    expect(error).to_contain_text("4.1")
    assert say(language, "This field is required.") not in page.locator("main").inner_text()
    expect(page.locator("#id_order_date")).to_have_value("01.10.2026")

    page.locator("#id_parents_representative").select_option(label=members[4].full_name)
    page.locator("form.stack button[type=submit]").click()

    # Confirmed first, with what it costs: who must gather to renew the box key.
    costs = page.locator("#consequences")
    expect(costs).to_be_visible()
    for holder in members:
        expect(costs).to_contain_text(holder.full_name)
    expect(costs).to_contain_text(teacher.full_name)  # sets a personal key first
    assert Commission.objects.current(school) == busy_school["commission"]
    assert_fits(page)
    assert serious_violations(page) == []
    if viewport == PHONE:
        shot(page, f"order-confirm-{language}-360")

    # Changing it brings the form back as it was filled.
    page.locator("button[name=change]").click()
    expect(page.locator("#id_order_number")).to_have_value("15")
    expect(page.locator("#id_order_date")).to_have_value("01.10.2026")
    page.locator("form.stack button[type=submit]").click()
    page.locator("button[name=confirm]").click()
    expect(page.locator(".messages")).to_be_visible()
    commission = Commission.objects.current(school)
    assert commission.order_number == "15"
    assert commission.order_date == datetime.date(2026, 10, 1)
    assert teacher in commission.members.all()
    page.context.close()


@pytest.mark.parametrize("language", ["ky", "ru"])
def test_the_commission_and_the_box_pages_fit_a_phone(live_server, chromium, busy_school, language):
    page = signed_in(chromium, live_server, busy_school["members"][1], language, PHONE)
    commission = busy_school["commission"]
    page.goto(
        f"{live_server.url}{reverse('commission:detail', args=['myrzakmatov', commission.pk])}"
    )
    expect(page.locator("table")).to_be_visible()
    assert_fits(page)
    page.goto(f"{live_server.url}/s/myrzakmatov/box/")
    kiosk = page.locator("code.address")
    expect(kiosk).to_contain_text("/b/myrzakmatov/kiosk/")
    assert kiosk.evaluate("el => el.getBoundingClientRect().right") <= PHONE["width"]
    assert_fits(page)
    labels = [words(text) for text in page.locator("a.print").all_inner_texts()]
    assert (
        labels
        == {
            "ky": ["Кыргызча PDF", "Орусча PDF"],
            "ru": ["PDF на кыргызском", "PDF на русском"],
        }[language]
    )
    assert serious_violations(page) == []
    page.context.close()


def test_documents_print_in_the_language_chosen_for_a_period_typed_by_hand(
    live_server, chromium, busy_school
):
    """A responsible person whose pages are in Kyrgyz prints for a Russian-speaking parent."""
    responsible = busy_school["members"][0]
    page = signed_in(chromium, live_server, responsible, "ky", DESKTOP, accept_downloads=True)
    page.goto(f"{live_server.url}/s/myrzakmatov/openings/")
    buttons = [words(text) for text in page.locator(".print-buttons button").all_inner_texts()]
    assert buttons == [
        "Кыргызча PDF",
        "Кыргызча Word",
        "Орусча PDF",
        "Орусча Word",
        "Англисче PDF",
        "Англисче Word",
    ]
    page.locator("#id_start").fill("01.09.2026")
    with page.expect_download() as download:
        page.locator(".print-buttons button").nth(2).click()
    text = words(
        subprocess.run(
            ["pdftotext", "-", "-"],
            input=download.value.path().read_bytes(),
            capture_output=True,
            check=True,
        ).stdout.decode()
    )
    assert "Журнал" in text and "1 сентября 2026" in text

    # The registration card, in Russian, from a Kyrgyz page (the registry opened first).
    appeal = Appeal.objects.exclude(status=Status.TAKEN_OUT).order_by("pk").first()
    page.goto(f"{live_server.url}{reverse('registry:detail', args=['myrzakmatov', appeal.pk])}")
    page.locator("input[type=password]").fill(PASSWORD)
    page.locator("main form button[type=submit]").click()
    card = page.locator(".print-list a.print", has_text="Орусча PDF").first
    with page.expect_download() as download:
        card.click()
    text = words(
        subprocess.run(
            ["pdftotext", "-", "-"],
            input=download.value.path().read_bytes(),
            capture_output=True,
            check=True,
        ).stdout.decode()
    )
    assert f"Регистрационная карточка обращения № {appeal.number}" in text
    assert "Назира Абдыкадырова" in text
    page.context.close()
