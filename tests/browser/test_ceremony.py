"""The commission's way through an opening (issue 11, point 9), in Kyrgyz and Russian, on the
shared screen at 360 px and on a desktop, with a member's phone beside it: numbered steps, the
count of members kept up to date without a reload, what comes next, the seal code confirmed
on the shared screen and on the phone, the act printed in the language chosen."""

import re
import subprocess

import pytest
from django.core.cache import cache
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.translation import gettext, ngettext
from django_otp.plugins.otp_totp.models import TOTPDevice
from playwright.sync_api import expect

from tests.browser.staff import (
    PHONE,
    WAY_IDS,
    WAYS,
    assert_fits,
    serious_violations,
    shot,
    signed_in,
    start_gathering,
    words,
)
from trustbox.box.envelope import Envelope, Writer
from trustbox.box.services import appeal_submit
from trustbox.lib.dates import Case, short_date
from trustbox.openings.gathering import opening_code, opening_join
from trustbox.openings.models import Opening
from trustbox.registry.models import Appeal
from trustbox.seal.services import box_key_create, member_key_set
from trustbox.test import PASSWORD, current_code, make_school_with_commission

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
    appeal_submit(
        school=made["school"],
        envelope=Envelope(kind="complaint", category="bullying", text="mocked at breaks"),
    )
    appeal_submit(
        school=made["school"],
        envelope=Envelope(
            kind="complaint",
            category="canteen",
            text="cold food",
            writer=Writer(name="Назира Абдыкадырова", contact="+996 555 000 111"),
        ),
    )
    return made


def needed(language, count):
    with translation.override(language):
        return ngettext(
            "%(needed)s more member is needed to open the box.",
            "%(needed)s more members are needed to open the box.",
            count,
        ) % {"needed": count}


def said(language, text):
    with translation.override(language):
        said = gettext(text)
    assert said != text, f"no {language} translation of {text!r}"
    return said


def step_states(page):
    return page.locator("ol.steps > li.step").evaluate_all(
        "steps => steps.map(s => s.id.replace('step-', '') + ':' + "
        "s.className.match(/step-(done|current|todo)/)[1])"
    )


@pytest.mark.parametrize(("language", "viewport"), WAYS, ids=WAY_IDS)
def test_the_commission_opens_the_box_step_by_step(
    live_server, chromium, sealed_school, language, viewport
):
    school = sealed_school["school"]
    first, second, _third, fourth, _parent = sealed_school["members"]
    screen = signed_in(chromium, live_server, first, language, viewport, accept_downloads=True)
    journal = f"{live_server.url}/s/myrzakmatov/openings/"
    screen.goto(journal)
    start_gathering(screen, first)
    expect(screen.locator("html")).to_have_attribute("lang", language)
    opening = Opening.objects.get()

    # Seven numbered steps; the first two are under way.
    assert step_states(screen) == [
        "gather:current",
        "code:current",
        "foyer:todo",
        "paper:todo",
        "seal:todo",
        "act:todo",
        "confirm:todo",
    ]
    expect(screen.locator("#still-needed")).to_have_text(needed(language, 3))
    shot(screen, f"opening-gathering-{language}-{viewport['width']}")
    assert_fits(screen)
    # The code to compare stays on one line, whole, even at 360 px.
    code = screen.locator("#screen-code code")
    assert code.evaluate("el => el.getClientRects().length") == 1
    assert code.evaluate("el => el.getBoundingClientRect().right") <= viewport["width"]
    assert serious_violations(screen) == []

    screen.locator("#join-own input[type=password]").fill(PASSWORD)
    screen.locator("#join-own button[type=submit]").click()
    expect(screen.locator("#still-needed")).to_have_text(needed(language, 2))

    # A member joins from her phone: the shared screen's count follows without a reload.
    screen.evaluate("window.stillTheSamePage = true")
    phone = signed_in(chromium, live_server, fourth, language, PHONE)
    phone.goto(f"{live_server.url}{reverse('openings:session', args=[school.slug, opening.pk])}")
    phone.locator("#join-own input[name=code]").fill(screen.locator("#screen-code").inner_text())
    phone.locator("#join-own input[type=password]").fill(PASSWORD)
    phone.locator("#join-own button[type=submit]").click()
    expect(phone.locator("#still-needed")).to_have_text(needed(language, 1))
    assert opening_code(opening) in phone.locator("#step-code").inner_text()
    shot(phone, f"opening-phone-joined-{language}")
    assert_fits(phone)
    expect(screen.locator("#still-needed")).to_have_text(needed(language, 1))
    assert screen.evaluate("window.stillTheSamePage === true")
    expect(screen.locator("#present li")).to_have_count(2)

    # The third joins elsewhere: the screen moves on by itself to the next steps.
    opening_join(
        opening=opening, member=second, password=PASSWORD, session_code=opening_code(opening)
    )
    open_button = screen.locator("form[action$='/open/'] button[type=submit]")
    expect(open_button).to_be_visible(timeout=15_000)
    assert not screen.evaluate("window.stillTheSamePage === true")
    assert step_states(screen)[:5] == [
        "gather:done",
        "code:done",
        "foyer:current",
        "paper:current",
        "seal:current",
    ]

    paper = screen.locator("form[action$='/paper/']")
    paper.locator("textarea[name=text]").fill("A folded note from the foyer box.")
    paper.locator("button[type=submit]").click()
    with translation.override(language):
        typed = ngettext(
            "%(count)s paper appeal typed in so far.",
            "%(count)s paper appeals typed in so far.",
            1,
        ) % {"count": 1}
    expect(screen.locator("#step-paper")).to_contain_text(typed)
    screen.locator("form[action$='/open/'] textarea[name=box_note]").fill("Whole, seal intact.")
    screen.locator("form[action$='/open/'] button[type=submit]").click()

    # The seal is checked and said in plain words; the act and the confirmation come next.
    whole = said(
        language,
        "The digital seal is whole: since the last opening no appeal was taken out of the box, "
        "changed, added or put out of order.",
    )
    expect(screen.locator("#seal-finding")).to_have_text(whole)
    assert step_states(screen)[4:] == ["seal:done", "act:current", "confirm:current"]
    assert Appeal.objects.count() == 3

    # What comes next: register the three by their day, the Kyrgyz day in its case.
    by = Appeal.objects.order_by("register_by").first().register_by
    next_link = screen.locator("#next a.button")
    expect(next_link).to_contain_text(short_date(by, language, Case.DATIVE))
    shot(screen, f"opening-opened-{language}-{viewport['width']}")
    if language == "ky":
        expect(next_link).to_contain_text("чейин")
    assert next_link.get_attribute("href").endswith("/registry/?status=taken_out")
    assert_fits(screen)
    assert serious_violations(screen) == []

    # The phone moves on by itself too, and its member confirms the seal code there.
    confirm_own = phone.locator("form[action$='/confirm/'] button")
    expect(confirm_own).to_be_visible(timeout=15_000)
    confirm_own.click()
    expect(phone.locator("#step-confirm")).to_contain_text(fourth.full_name)
    assert_fits(phone)

    # The second member, with no page of her own, confirms on the shared screen.
    TOTPDevice.objects.filter(user=second).update(last_t=-1)
    screen.locator("#confirm-here summary").click()
    here = screen.locator("#confirm-here form")
    here.locator("input[name=username]").fill(second.username)
    here.locator("input[name=password]").fill(PASSWORD)
    here.locator("input[name=code]").fill(current_code(second))
    here.locator("button[type=submit]").click()
    expect(screen.locator(".messages")).to_contain_text(second.full_name)
    confirmed = {p.member_id for p in opening.participants.filter(confirmed_seal=True)}
    assert confirmed == {second.pk, fourth.pk}

    # The act, in the language chosen, with its time as a school writes it.
    screen.locator("#step-act a[href$='/act-ky.pdf']").click()
    screen.locator("input[type=password]").fill(PASSWORD)
    with screen.expect_download() as download:
        screen.locator("main form button[type=submit]").click()
    text = words(
        subprocess.run(
            ["pdftotext", "-", "-"],
            input=download.value.path().read_bytes(),
            capture_output=True,
            check=True,
        ).stdout.decode()
    )
    opened = timezone.localtime(Opening.objects.get().opened_at)
    assert f"саат {opened:%H:%M}" in text
    assert "Санариптик мөөр жана аудит журналы бүтүн деп табылды" in text
    assert "Назира Абдыкадырова" in text and "mocked" not in text
    screen.context.close()
    phone.context.close()


def test_the_act_buttons_name_their_language(live_server, chromium, sealed_school):
    from trustbox.openings.gathering import opening_start
    from trustbox.openings.services import opening_open

    school = sealed_school["school"]
    members = sealed_school["members"]
    opening, key = opening_start(school=school, by=members[0])
    for member in members[:3]:
        opening_join(
            opening=opening, member=member, password=PASSWORD, session_code=opening_code(opening)
        )
    opening_open(opening=opening, by=members[0], browser_key=key)
    page = signed_in(chromium, live_server, members[1], "ru", PHONE)
    page.goto(f"{live_server.url}{reverse('openings:session', args=[school.slug, opening.pk])}")
    labels = [words(text) for text in page.locator("#step-act a.button").all_inner_texts()]
    assert labels == [
        "PDF на кыргызском",
        "Word на кыргызском",
        "PDF на русском",
        "Word на русском",
    ]
    assert not any(re.search(r"PDF (ky|ru)", label) for label in labels)
    assert_fits(page)
    page.context.close()


@pytest.mark.parametrize("language", ["ky", "ru"])
def test_without_javascript_the_opening_still_goes_step_by_step(
    live_server, chromium, sealed_school, language
):
    """The script only keeps the count fresh: with it off, the «Refresh» link does its work."""
    first, second, third, *_others = sealed_school["members"]
    screen = signed_in(chromium, live_server, first, language, PHONE, java_script_enabled=False)
    screen.goto(f"{live_server.url}/s/myrzakmatov/openings/")
    start_gathering(screen, first)
    expect(screen.locator("#still-needed")).to_have_text(needed(language, 3))
    screen.locator("#join-own input[type=password]").fill(PASSWORD)
    screen.locator("#join-own button[type=submit]").click()
    expect(screen.locator("#still-needed")).to_have_text(needed(language, 2))

    # Two members join elsewhere; nothing changes on the screen until it is refreshed.
    opening = Opening.objects.get()
    for member in (second, third):
        opening_join(
            opening=opening, member=member, password=PASSWORD, session_code=opening_code(opening)
        )
    expect(screen.locator("#still-needed")).to_have_text(needed(language, 2))
    refresh = screen.get_by_role("link", name=said(language, "Refresh"))
    expect(refresh).to_be_visible()
    refresh.click()
    assert step_states(screen)[:5] == [
        "gather:done",
        "code:done",
        "foyer:current",
        "paper:current",
        "seal:current",
    ]
    screen.locator("form[action$='/open/'] button[type=submit]").click()
    whole = said(
        language,
        "The digital seal is whole: since the last opening no appeal was taken out of the box, "
        "changed, added or put out of order.",
    )
    expect(screen.locator("#seal-finding")).to_have_text(whole)
    assert Appeal.objects.count() == 2
    expect(screen.locator("#next a.button")).to_be_visible()
    assert_fits(screen)
    screen.context.close()
