"""The foyer tablet keeps the school's box key and works without the network (issue 25, points 4
and 5): a member sets it up on the tablet, a changed key is refused until a member confirms it;
offline a child writes and gets her receipt, the tablet keeps only the sealed envelope, and the
queue goes into the box by itself, once, when the network returns."""

import re

import pytest
from django.conf import settings
from django.core.cache import cache
from django.test import Client
from django_otp import DEVICE_ID_SESSION_KEY
from django_otp.plugins.otp_totp.models import TOTPDevice
from playwright.sync_api import expect

from trustbox.audit.models import AuditEntry
from trustbox.box.envelope import Envelope
from trustbox.box.models import SealedAppeal
from trustbox.seal import crypto
from trustbox.seal.models import BoxKey
from trustbox.seal.services import box_key_create, member_key_set, share_unlock
from trustbox.test import PASSWORD, make_school_with_commission

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

PHONE = {"width": 360, "height": 740}
TABLET = {"width": 800, "height": 1280}


@pytest.fixture
def foyer(settings):
    settings.SESSION_COOKIE_SECURE = settings.CSRF_COOKIE_SECURE = (
        settings.LANGUAGE_COOKIE_SECURE
    ) = False
    cache.clear()
    made = make_school_with_commission("foyer", None)
    for member in made["members"]:
        member_key_set(user=member, password=PASSWORD, school=made["school"])
    made["box_key"], _reserve = box_key_create(school=made["school"], by=made["members"][0])
    return made


def opened(made, appeal):
    """The appeal as the commission reads it at the opening (three members' parts)."""
    shares = [
        share_unlock(box_key=made["box_key"], user=m, password=PASSWORD)
        for m in made["members"][:3]
    ]
    private = crypto.combine_box_key(shares)
    return Envelope.from_bytes(crypto.opener_with_box_key(private).open(bytes(appeal.ciphertext)))


def tablet(chromium, live_server, viewport):
    context = chromium.new_context(viewport=viewport, has_touch=True)
    context.add_cookies([{"name": "trustbox_language", "value": "ky", "url": live_server.url}])
    page = context.new_page()
    page.set_default_timeout(10_000)
    return page


def member_signs_in(page, live_server, user):
    """A member signs in on the tablet itself (password and second factor passed)."""
    client = Client()
    client.force_login(user)
    session = client.session
    session[DEVICE_ID_SESSION_KEY] = TOTPDevice.objects.get(user=user).persistent_id
    session.save()
    value = client.cookies[settings.SESSION_COOKIE_NAME].value
    page.context.add_cookies(
        [{"name": settings.SESSION_COOKIE_NAME, "value": value, "url": live_server.url}]
    )


def set_up(page, live_server, made):
    """A member confirms the box key on the tablet; the tablet opens the kiosk, signed out."""
    member_signs_in(page, live_server, made["members"][1])
    page.goto(f"{live_server.url}/s/foyer/box/kiosk/")
    page.locator("button[value=confirm]").click()
    page.wait_for_url(f"{live_server.url}/b/foyer/kiosk/")


def test_the_kiosk_keeps_its_key_and_refuses_another_until_a_member_confirms_it(
    live_server, chromium, foyer
):
    page = tablet(chromium, live_server, TABLET)
    kiosk = f"{live_server.url}/b/foyer/kiosk/"
    page.goto(kiosk)
    expect(page.locator("#kiosk-not-set-up")).to_be_visible()

    set_up(page, live_server, foyer)
    code = crypto.key_code(bytes(foyer["box_key"].public_key))
    expect(page.locator("#kiosk-key-code")).to_have_text(code)
    expect(page.locator("#kiosk-not-set-up")).to_be_hidden()
    expect(page.locator("#id_text")).to_be_visible()
    assert page.evaluate("localStorage.getItem('trustbox-kiosk-key:foyer')").find(code) > 0

    # The site now brings another key (a renewal, or someone who changed the server's page).
    other = crypto.box_public_from_private(b"\x05" * 32)
    BoxKey.objects.filter(pk=foyer["box_key"].pk).update(public_key=other)
    page.goto(kiosk)
    expect(page.locator("#kiosk-refused")).to_be_visible()
    expect(page.locator("form[data-kiosk]")).to_be_hidden()

    # A member confirms the new key on the tablet: the kiosk takes appeals again.
    member_signs_in(page, live_server, foyer["members"][2])
    page.goto(f"{live_server.url}/s/foyer/box/kiosk/")
    expect(page.locator("#setup-changed")).to_be_visible()
    page.locator("button[value=confirm]").click()
    page.wait_for_url(kiosk)
    expect(page.locator("#kiosk-key-code")).to_have_text(crypto.key_code(other))
    expect(page.locator("#kiosk-refused")).to_be_hidden()
    expect(page.locator("#id_text")).to_be_visible()
    assert SealedAppeal.objects.count() == 0
    page.context.close()


# What the tablet holds, read from the page: every record of its IndexedDB, sealed files as
# their bytes in Latin-1 (so that any text inside would show), and its localStorage.
READ_TABLET = """async () => {
  const db = await new Promise((ok, no) => {
    const r = indexedDB.open("trustbox-kiosk"); r.onsuccess = () => ok(r.result); r.onerror = no;
  });
  const records = await new Promise((ok, no) => {
    const r = db.transaction("envelopes").objectStore("envelopes").getAll();
    r.onsuccess = () => ok(r.result); r.onerror = no;
  });
  db.close();
  const out = [];
  for (const record of records) {
    const fields = [];
    for (const [name, value] of record.fields) {
      if (value instanceof Blob) {
        const bytes = new Uint8Array(await value.arrayBuffer());
        fields.push([name, Array.from(bytes, (b) => String.fromCharCode(b)).join("")]);
      } else fields.push([name, value]);
    }
    out.push({ ...record, fields });
  }
  return JSON.stringify({ records: out, local: { ...localStorage } });
}"""


def test_offline_two_children_get_receipts_the_tablet_keeps_only_sealed_envelopes_and_sends_them_once(  # noqa: E501
    live_server, chromium, foyer
):
    from trustbox.box.services import appeal_find_by_receipt

    page = tablet(chromium, live_server, PHONE)
    set_up(page, live_server, foyer)
    kiosk = f"{live_server.url}/b/foyer/kiosk/"
    # The worker has taken the tablet's page and its files.
    page.wait_for_function(
        "() => !!(navigator.serviceWorker && navigator.serviceWorker.controller)"
    )
    page.reload()
    page.wait_for_function("() => navigator.serviceWorker.controller !== null")

    page.context.set_offline(True)
    page.goto(kiosk)  # the kept page: the network is away
    texts = ["Офлайн биринчи сыр: канарейка-7741", "Офлайн экинчи сыр: канарейка-9913"]
    codes = []
    for text in texts:
        page.locator("#id_text").fill(text)
        page.locator("form[data-kiosk] button[type=submit]").click()
        shown = page.locator("#kiosk-receipt-code")
        expect(shown).to_have_text(re.compile(r"^\d{4}(-\d{4}){4}$"))
        codes.append(shown.inner_text())
        assert page.evaluate("document.documentElement.scrollWidth") <= PHONE["width"]
        page.locator("#kiosk-offline-done").click()
        expect(page.locator("#id_text")).to_have_value("")
    waiting = page.locator("#kiosk-waiting [data-count]")
    expect(waiting).to_have_text("2")
    # The count and the key's code fit a 360 px screen.
    assert page.evaluate("document.documentElement.scrollWidth") <= PHONE["width"]
    assert SealedAppeal.objects.count() == 0

    held = page.evaluate(READ_TABLET)
    assert held.count('"sealed"') == 2
    for secret in [*texts, *codes, *(code.replace("-", "") for code in codes), "канарейка"]:
        assert secret not in held

    # The network returns, but the box cannot be reached yet. A member resets the tablet: the
    # set-up page says how many sealed appeals still wait, and the reset keeps them.
    page.context.route("**/b/foyer/kiosk/?send=1", lambda route: route.abort())
    page.context.set_offline(False)
    member_signs_in(page, live_server, foyer["members"][3])
    page.goto(f"{live_server.url}/s/foyer/box/kiosk/")
    expect(page.locator("#setup-waiting [data-count]")).to_have_text("2")
    page.context.unroute("**/b/foyer/kiosk/?send=1")
    page.locator("button[value=reset]").click()
    page.wait_for_url(kiosk)
    assert AuditEntry.objects.get(action="box.kiosk_reset").details == {"waiting": 2}

    # The queue goes into the box by itself, each appeal once.
    expect(page.locator("#kiosk-waiting")).to_be_hidden(timeout=20_000)
    assert SealedAppeal.objects.count() == 2
    for code in codes:
        assert appeal_find_by_receipt(school=foyer["school"], code=code) is not None
    opened_texts = {opened(foyer, appeal).text for appeal in SealedAppeal.objects.all()}
    assert opened_texts == set(texts)
    assert page.evaluate(READ_TABLET) == '{"records":[],"local":{}}'
    page.context.close()
