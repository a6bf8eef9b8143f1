"""Helpers of the staff pages' browser tests: a signed-in browser, a phone's width, axe."""

from __future__ import annotations

from pathlib import Path

from axe_playwright_python.sync_playwright import Axe
from django.conf import settings
from django.test import Client
from django_otp import DEVICE_ID_SESSION_KEY
from django_otp.plugins.otp_totp.models import TOTPDevice

SHOTS = Path(__file__).resolve().parents[2] / "test-results"
PHONE = {"width": 360, "height": 740}
DESKTOP = {"width": 1280, "height": 900}
WAYS = [("ky", PHONE), ("ru", PHONE), ("ky", DESKTOP), ("ru", DESKTOP)]
WAY_IDS = ["ky-360", "ru-360", "ky-desktop", "ru-desktop"]


def signed_in(chromium, live_server, user, language, viewport, **options):
    """A page of a browser where the person is signed in, second factor passed."""
    client = Client()
    client.force_login(user)
    session = client.session
    session[DEVICE_ID_SESSION_KEY] = TOTPDevice.objects.get(user=user).persistent_id
    session.save()
    context = chromium.new_context(viewport=viewport, **options)
    context.add_cookies(
        [
            {
                "name": settings.SESSION_COOKIE_NAME,
                "value": client.cookies[settings.SESSION_COOKIE_NAME].value,
                "url": live_server.url,
            },
            {"name": settings.LANGUAGE_COOKIE_NAME, "value": language, "url": live_server.url},
        ]
    )
    page = context.new_page()
    page.set_default_timeout(10_000)
    return page


def assert_fits(page):
    """Nothing makes the page scroll sideways."""
    width = page.viewport_size["width"]
    assert page.evaluate("document.documentElement.scrollWidth") <= width


def serious_violations(page):
    return [
        violation["id"]
        for violation in Axe().run(page).response["violations"]
        if violation["impact"] in ("serious", "critical")
    ]


def words(text: str) -> str:
    """Text with its whitespace folded, as a sentence reads."""
    return " ".join(text.split())


def shot(page, name):
    """Keep a screenshot to look at, under test-results/ (git-ignored)."""
    SHOTS.mkdir(exist_ok=True)
    page.screenshot(path=str(SHOTS / f"staff-{name}.png"), full_page=True)


def start_gathering(page, user, place: str = "school library") -> None:
    """Start an opening from the journal's form: the place, the password and the current code.

    The code of her sign-in is spent (a code signs in once): starting takes her next one, and
    so does whatever else asks her code later in the test.
    """
    from trustbox.test import PASSWORD, current_code

    TOTPDevice.objects.filter(user=user).update(last_t=-1)
    form = page.locator("form[action$='/openings/start/']")
    form.locator("#start_place").fill(place)
    form.locator("#start_password").fill(PASSWORD)
    form.locator("#start_code").fill(current_code(user))
    form.locator("button[type=submit]").click()
    TOTPDevice.objects.filter(user=user).update(last_t=-1)
