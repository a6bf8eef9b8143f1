"""The child's way through the box (issue 11, points 1-8): a 12-year-old on a 360 px phone, a
child at the foyer tablet, in Kyrgyz and Russian, with and without JavaScript.

Screenshots of the public form, the receipt, the status page and the kiosk at 360 px in Kyrgyz
are saved under test-results/ (git-ignored) to be looked at.
"""

import re
from pathlib import Path

import pytest
from axe_playwright_python.sync_playwright import Axe
from django.core.cache import cache
from playwright.sync_api import expect

from trustbox.box.envelope import Envelope
from trustbox.box.models import SealedAppeal
from trustbox.seal import crypto
from trustbox.seal.services import box_key_create, member_key_set, share_unlock
from trustbox.test import PASSWORD, make_school_with_commission

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

SHOTS = Path(__file__).resolve().parents[2] / "test-results"
PHONE = {"width": 360, "height": 740}
DESKTOP = {"width": 1280, "height": 900}
SCHOOL_NAME = "С. Мырзакматов атындагы №12 орто мектеп-гимназиясы"
WAYS = [("ky", PHONE), ("ru", PHONE), ("ky", DESKTOP), ("ru", DESKTOP)]
WAY_IDS = ["ky-360", "ru-360", "ky-desktop", "ru-desktop"]

# The words each language uses on the buttons the tests press.
WORDS = {
    "ky": {
        "put": "Кутуга салуу",
        "check": "Кайрылуумду текшерүү",
        "another": "Дагы бир кайрылуу жазуу",
        "kept": "Кодумду сактап алдым",
        "written": "Кодду жазып алдым",
        "in_box": "Кутуда, али ачыла элек.",
        "find": "Табуу",
    },
    "ru": {
        "put": "Опустить в ящик",
        "check": "Проверить обращение",
        "another": "Написать ещё одно обращение",
        "kept": "Мой код сохранён",
        "written": "Код записан",
        "in_box": "Лежит в ящике, ящик ещё не открывали.",
        "find": "Найти",
    },
}


@pytest.fixture
def child_school(settings):
    settings.SESSION_COOKIE_SECURE = settings.CSRF_COOKIE_SECURE = (
        settings.LANGUAGE_COOKIE_SECURE
    ) = False
    cache.clear()
    from trustbox.schools.models import District

    district = District.objects.create(name="Сузак району", slug="suzak")
    made = make_school_with_commission("myrzakmatov", district)
    made["school"].name = SCHOOL_NAME
    made["school"].save()
    for member in made["members"]:
        member_key_set(user=member, password=PASSWORD, school=made["school"])
    made["box_key"], _reserve = box_key_create(school=made["school"], by=made["members"][0])
    return made


def opened(made, appeal):
    shares = [
        share_unlock(box_key=made["box_key"], user=m, password=PASSWORD)
        for m in made["members"][:3]
    ]
    private = crypto.combine_box_key(shares)
    return Envelope.from_bytes(crypto.opener_with_box_key(private).open(bytes(appeal.ciphertext)))


def new_page(chromium, live_server, language, viewport, **options):
    context = chromium.new_context(viewport=viewport, **options)
    context.add_cookies([{"name": "trustbox_language", "value": language, "url": live_server.url}])
    page = context.new_page()
    page.set_default_timeout(10_000)
    return page


def shot(page, name):
    SHOTS.mkdir(exist_ok=True)
    page.screenshot(path=str(SHOTS / f"child-{name}.png"), full_page=True)


def assert_fits(page):
    width = page.viewport_size["width"]
    assert page.evaluate("document.documentElement.scrollWidth") <= width


def assert_child_friendly(page, *, axe=True):
    """What every public page owes a child, whatever its state."""
    assert_fits(page)
    # Every helpline number dials, and is big enough for a thumb.
    calls = page.locator('a[href^="tel:"]')
    assert calls.count() >= 7  # 111 and 112 at the top, the five helplines at the bottom
    for i in range(calls.count()):
        box = calls.nth(i).bounding_box()
        assert box["width"] >= 44 and box["height"] >= 44, (calls.nth(i).inner_text(), box)
    # Every description a field points to is there.
    missing = page.evaluate(
        """() => [...document.querySelectorAll('[aria-describedby]')]
            .flatMap(el => el.getAttribute('aria-describedby').split(/\\s+/))
            .filter(id => id && !document.getElementById(id))"""
    )
    assert missing == []
    # A skip link leads to the content.
    assert page.locator('a.skip[href="#main"]').count() == 1
    assert page.locator("main#main").count() == 1
    assert "г.." not in page.locator("body").inner_text()
    if axe:
        serious = [
            violation["id"]
            for violation in Axe().run(page).response["violations"]
            if violation["impact"] in ("serious", "critical")
        ]
        assert serious == [], serious


def code_lines(page):
    """How many lines the receipt code takes on screen."""
    return page.evaluate(
        """() => { const range = document.createRange();
        range.selectNodeContents(document.getElementById('receipt-code'));
        return new Set([...range.getClientRects()].map(r => Math.round(r.top))).size; }"""
    )


@pytest.mark.parametrize(("language", "viewport"), WAYS, ids=WAY_IDS)
def test_a_child_writes_keeps_the_code_and_checks_the_appeal(
    live_server, chromium, child_school, language, viewport
):
    words = WORDS[language]
    page = new_page(chromium, live_server, language, viewport)
    page.goto(f"{live_server.url}/b/myrzakmatov/")
    expect(page.locator("html")).to_have_attribute("lang", language)

    # The text box comes first, on the first screen of a phone.
    text = page.locator("#id_text")
    assert text.bounding_box()["y"] < 740
    first_field = page.evaluate(
        "document.querySelector('form[method=post] :is(textarea, select,"
        " input:not([type=hidden]))').id"
    )
    assert first_field == "id_text"
    # Top line: 111 and 112 dial.
    assert page.locator(".danger-now a").evaluate_all("els => els.map(a => a.href)") == [
        "tel:111",
        "tel:112",
    ]
    # Four plain kinds, "something else" (a message) chosen already.
    assert page.locator("input[name=kind]").count() == 4
    expect(page.locator("input[name=kind][value=message]")).to_be_checked()
    # The name fields wait until the child chooses to give a name.
    expect(page.locator("#id_name")).to_be_hidden()
    page.locator("input[name=signed][value=signed]").check()
    expect(page.locator("#id_name")).to_be_visible()
    page.locator("input[name=signed][value=anonymous]").check()
    expect(page.locator("#id_name")).to_be_hidden()
    assert_child_friendly(page)
    if (language, viewport) == ("ky", PHONE):
        shot(page, "form-ky-360")

    text.fill("Танапис учурунда мени шылдыңдашат.")
    page.locator("input[name=kind][value=complaint]").check()
    page.locator("#id_urgent").check()
    page.get_by_role("button", name=words["put"]).click()

    # The receipt: the code on one line, what happens next, where to come back.
    code_element = page.locator("#receipt-code")
    code = code_element.inner_text().strip()
    assert re.fullmatch(r"\d{4}-\d{4}-\d{4}-\d{4}-\d{4}", code)
    assert code_lines(page) == 1
    assert code_element.evaluate("el => el.scrollWidth <= el.clientWidth")
    expect(page.locator("#status-address")).to_have_text(re.compile(r"/b/myrzakmatov/status/$"))
    expect(page.locator(".next li")).to_have_count(4)
    assert page.locator(".alarm a").evaluate_all("els => els.map(a => a.href)") == [
        "tel:111",
        "tel:112",
    ]
    expect(page.locator("#print-receipt")).to_be_visible()
    picture = page.locator("a[download]")
    assert picture.get_attribute("download") == "trust-box-receipt.png"
    assert picture.get_attribute("href").startswith("data:image/png;base64,")
    assert_child_friendly(page)
    if (language, viewport) == ("ky", PHONE):
        shot(page, "receipt-ky-360")

    envelope = opened(child_school, SealedAppeal.objects.get())
    assert (envelope.kind, envelope.urgent, envelope.writer) == ("complaint", True, None)

    # Leaving asks first whether the code is kept.
    page.get_by_role("button", name=words["another"]).click()
    expect(page.locator("#kept-reminder")).to_be_visible()
    expect(code_element).to_have_text(code)
    assert page.evaluate("document.activeElement.id") == "kept"
    page.get_by_label(words["kept"]).check()
    expect(page.locator("#kept-reminder")).to_be_hidden()
    page.get_by_role("button", name=words["check"]).click()
    expect(page).to_have_url(re.compile(r"/b/myrzakmatov/status/"))

    page.locator("#id_code").fill(code)
    page.locator("main form button[type=submit]").click()
    expect(page.get_by_text(words["in_box"])).to_be_visible()
    assert_child_friendly(page)
    if (language, viewport) == ("ky", PHONE):
        shot(page, "status-ky-360")
    page.context.close()


def test_without_javascript_the_receipt_still_asks_and_offers_no_dead_button(
    live_server, chromium, child_school
):
    page = new_page(chromium, live_server, "ky", PHONE, java_script_enabled=False)
    page.goto(f"{live_server.url}/b/myrzakmatov/")
    # Without JavaScript the name fields still hide and show (CSS alone).
    expect(page.locator("#id_name")).to_be_hidden()
    page.locator("input[name=signed][value=signed]").check()
    expect(page.locator("#id_name")).to_be_visible()
    page.locator("input[name=signed][value=anonymous]").check()
    page.locator("#id_text").fill("JavaScript жок.")
    page.get_by_role("button", name=WORDS["ky"]["put"]).click()

    code = page.locator("#receipt-code").inner_text().strip()
    assert re.fullmatch(r"\d{4}-\d{4}-\d{4}-\d{4}-\d{4}", code)
    expect(page.locator("#print-receipt")).to_be_hidden()
    expect(page.locator("a[download]")).to_be_visible()
    assert code_lines(page) == 1
    assert_fits(page)

    # The browser itself refuses to leave before the box is ticked.
    page.get_by_role("button", name=WORDS["ky"]["another"]).click()
    expect(page.locator("#receipt-code")).to_have_text(code)
    assert page.evaluate("document.getElementById('kept').validity.valueMissing")
    page.get_by_label(WORDS["ky"]["kept"]).check()
    page.get_by_role("button", name=WORDS["ky"]["another"]).click()
    expect(page.locator("#id_text")).to_have_value("")
    assert page.locator("#receipt-code").count() == 0
    page.context.close()


def test_without_css_the_name_fields_show_and_a_signed_appeal_goes_through(
    live_server, chromium, child_school
):
    page = new_page(chromium, live_server, "ru", PHONE)
    page.route(re.compile(r"\.css(\?.*)?$"), lambda route: route.abort())
    page.goto(f"{live_server.url}/b/myrzakmatov/")
    expect(page.locator("#id_name")).to_be_visible()
    page.locator("#id_text").fill("В столовой холодная еда.")
    page.locator("input[name=signed][value=signed]").check()
    page.locator("#id_name").fill("Назира Абдыкадырова")
    page.locator("#id_contact").fill("+996 555 000 111")
    page.get_by_role("button", name=WORDS["ru"]["put"]).click()
    expect(page.locator("#receipt-code")).to_be_visible()
    writer = opened(child_school, SealedAppeal.objects.get()).writer
    assert (writer.name, writer.contact) == ("Назира Абдыкадырова", "+996 555 000 111")
    page.context.close()


@pytest.mark.parametrize("viewport", [PHONE, {"width": 800, "height": 1280}], ids=["360", "tablet"])
def test_the_kiosk_keeps_the_receipt_while_the_child_copies_it_then_forgets_everything(
    live_server, chromium, child_school, settings, viewport
):
    settings.KIOSK_IDLE_SECONDS = 2
    settings.KIOSK_RECEIPT_SECONDS = 6
    page = new_page(chromium, live_server, "ky", viewport, has_touch=True)
    kiosk = f"{live_server.url}/b/myrzakmatov/kiosk/"
    page.goto(kiosk)
    page.locator("#id_text").fill("Фойедеги планшеттен жазылган сыр")
    page.get_by_role("button", name=WORDS["ky"]["put"]).click()
    code = page.locator("#receipt-code")
    expect(code).to_be_visible()
    written = code.inner_text()

    # Nothing to save or print on a shared tablet; a countdown that a touch starts again.
    assert page.locator("a[download]").count() == 0
    assert page.locator("#print-receipt").count() == 0
    countdown = page.locator("#kiosk-countdown [data-seconds]")
    expect(page.locator("#kiosk-countdown")).to_be_visible()
    assert_child_friendly(page)
    if viewport == PHONE:
        shot(page, "kiosk-receipt-ky-360")
    # Copying sixteen digits takes longer than the form's idle time and the receipt's: every
    # touch gives the child the whole time again, and the receipt stays.
    for _ in range(4):
        expect(countdown).to_have_text(re.compile(r"^[1-3]$"), timeout=10_000)
        page.locator("h1").tap()
        expect(countdown).to_have_text(re.compile(r"^[5-6]$"))
    expect(code).to_have_text(written)

    # "I have written it down": a blank form, and Back brings nothing back.
    page.get_by_role("link", name=WORDS["ky"]["written"]).click()
    expect(page.locator("#id_text")).to_have_value("")
    assert page.url == kiosk
    page.go_back()
    page.wait_for_load_state()
    assert page.locator("#receipt-code").count() == 0
    assert written not in page.content()
    if page.locator("#id_text").count():
        expect(page.locator("#id_text")).to_have_value("")
    page.goto(kiosk)
    if viewport == PHONE:
        page.locator("#id_text").fill(" ")
        expect(page.locator("#kiosk-countdown")).to_be_visible()
        shot(page, "kiosk-form-ky-360")
        assert_fits(page)

    # Left alone, a receipt clears itself after its countdown.
    page.locator("#id_text").fill("экинчи")
    page.get_by_role("button", name=WORDS["ky"]["put"]).click()
    expect(code).to_be_visible()
    expect(page.locator("#id_text")).to_have_value("", timeout=15_000)
    assert page.locator("#receipt-code").count() == 0
    assert SealedAppeal.objects.count() == 2
    page.context.close()


@pytest.mark.parametrize(("language", "viewport"), WAYS, ids=WAY_IDS)
def test_the_home_page_finds_the_childs_school_and_its_box(
    live_server, chromium, child_school, language, viewport
):
    page = new_page(chromium, live_server, language, viewport)
    page.goto(f"{live_server.url}/")
    assert_child_friendly(page)
    # Staff login is a small link, not the page's button.
    staff = page.locator("a[href='/accounts/login/']")
    expect(staff).to_have_count(1)
    assert "button" not in (staff.get_attribute("class") or "")

    page.locator("#id_q").fill("мырзакматов")
    page.get_by_role("button", name=WORDS[language]["find"]).click()
    found = page.locator(".schools a")
    expect(found).to_have_count(1)
    expect(found).to_contain_text(SCHOOL_NAME)
    expect(found).to_contain_text("Сузак району")
    assert_child_friendly(page)
    if (language, viewport) == ("ky", PHONE):
        shot(page, "home-ky-360")

    page.locator("#id_q").fill("СУЗАК")
    page.get_by_role("button", name=WORDS[language]["find"]).click()
    expect(found).to_have_count(1)
    found.click()
    expect(page).to_have_url(f"{live_server.url}/b/myrzakmatov/")
    expect(page.locator("#id_text")).to_be_visible()
    page.context.close()


def test_the_focus_ring_is_clear_on_blue_buttons_and_in_the_blue_header(
    live_server, chromium, child_school
):
    page = new_page(chromium, live_server, "ky", PHONE)
    page.goto(f"{live_server.url}/b/myrzakmatov/")

    # The skip link comes first from the keyboard, shows, and leads to the content.
    page.keyboard.press("Tab")
    skip = page.locator("a.skip")
    expect(skip).to_be_focused()
    box = skip.bounding_box()
    assert box["y"] >= 0 and box["height"] > 20
    page.keyboard.press("Enter")
    assert page.evaluate("document.activeElement.id") == "main"

    def ring(locator):
        return locator.evaluate(
            """el => { const s = getComputedStyle(el);
            return {style: s.outlineStyle, width: parseFloat(s.outlineWidth),
                    offset: parseFloat(s.outlineOffset), color: s.outlineColor,
                    visible: el.matches(':focus-visible')}; }"""
        )

    page.locator("#id_attachments").focus()
    page.keyboard.press("Tab")
    submit = page.locator("main form button[type=submit]")
    expect(submit).to_be_focused()
    seen = ring(submit)
    assert seen["visible"] and seen["style"] == "solid" and seen["width"] >= 2
    # The ring stands off the blue button, on the white page, in a dark colour.
    assert seen["offset"] >= 1
    assert contrast(seen["color"], "rgb(255, 255, 255)") >= 3

    page.locator("#id_text").focus()
    page.keyboard.press("Shift+Tab")
    for _ in range(6):
        if page.evaluate("document.activeElement.closest('.top') !== null"):
            break
        page.keyboard.press("Shift+Tab")
    header_button = page.locator(".top button:focus")
    seen = ring(header_button)
    assert seen["visible"] and seen["style"] == "solid" and seen["width"] >= 2
    assert contrast(seen["color"], "rgb(11, 92, 173)") >= 3
    page.context.close()


def contrast(first, second):
    def luminance(css):
        channels = [int(c) / 255 for c in re.findall(r"\d+", css)[:3]]
        linear = [c / 12.92 if c <= 0.03928 else ((c + 0.055) / 1.055) ** 2.4 for c in channels]
        return 0.2126 * linear[0] + 0.7152 * linear[1] + 0.0722 * linear[2]

    high, low = sorted([luminance(first), luminance(second)], reverse=True)
    return (high + 0.05) / (low + 0.05)
