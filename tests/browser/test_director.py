import pytest
from django_otp.oath import totp
from django_otp.plugins.otp_totp.models import TOTPDevice
from playwright.sync_api import expect

from trustbox.commission.models import Commission
from trustbox.schools.models import Membership, School
from trustbox.test import PASSWORD, make_person

pytestmark = pytest.mark.django_db(transaction=True)


@pytest.fixture
def school(settings):
    settings.SESSION_COOKIE_SECURE = False
    settings.CSRF_COOKIE_SECURE = False
    settings.LANGUAGE_COOKIE_SECURE = False
    school = School.objects.create(name="С. Мырзакматов атындагы орто мектеби", slug="myrzakmatov")
    make_person(school, "director", kind=Membership.Kind.DIRECTOR)
    for login in ("teacher1", "teacher2", "psychologist", "deputy"):
        make_person(school, login)
    make_person(school, "parent", kind=Membership.Kind.PARENT)
    return school


def code_for(login):
    device = TOTPDevice.objects.get(user__username=login)
    return f"{totp(device.bin_key):06d}"


def test_the_director_logs_in_with_a_second_factor_and_enters_an_order(live_server, phone, school):
    page = phone
    page.goto(live_server.url + "/accounts/login/")
    expect(page.locator("html")).to_have_attribute("lang", "ky")
    page.get_by_role("button", name="English").click()
    expect(page.locator("html")).to_have_attribute("lang", "en")

    page.get_by_label("Username").fill("director")
    page.get_by_label("Password").fill(PASSWORD)
    page.get_by_role("button", name="Continue").click()
    page.get_by_label("Six-digit code").fill(code_for("director"))
    page.get_by_role("button", name="Confirm").click()

    page.get_by_role("link", name=school.name).click()
    page.get_by_role("link", name="Enter the order").click()
    page.get_by_label("Order number").fill("12")
    page.get_by_label("Order date").fill("2026-09-02")
    for login in ("Teacher1", "Teacher2", "Psychologist", "Deputy"):
        page.get_by_label(f"{login} Testov").check()
    page.locator("#id_parents_representative").select_option(label="Parent Testov")
    page.locator("#id_responsible").select_option(label="Deputy Testov")
    page.get_by_role("button", name="Enter the order").click()

    # Four members and the parent outside: refused, with what was entered kept.
    expect(page.get_by_text("The number of members must be odd")).to_be_visible()
    expect(page.get_by_label("Order number")).to_have_value("12")
    expect(page.get_by_label("Teacher1 Testov")).to_be_checked()
    assert Commission.objects.count() == 0

    page.get_by_label("Parent Testov").check()
    page.get_by_role("button", name="Enter the order").click()

    expect(page.get_by_text("The order is entered")).to_be_visible()
    commission = Commission.objects.get()
    assert commission.order_number == "12"
    assert commission.responsible.username == "deputy"
    assert {u.username for u in commission.members.all()} == {
        "teacher1",
        "teacher2",
        "psychologist",
        "deputy",
        "parent",
    }
    assert page.evaluate("document.documentElement.scrollWidth") <= 360 + 1
