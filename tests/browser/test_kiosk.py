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

from tests.browser.staff import serious_violations
from trustbox.audit.models import AuditEntry
from trustbox.box.envelope import Envelope
from trustbox.box.models import SealedAppeal
from trustbox.seal import crypto
from trustbox.seal.models import BoxKey
from trustbox.seal.services import box_key_create, box_key_renew, member_key_set, share_unlock
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


def box_private(made):
    """The private half of the box key in force, as three members' parts make it."""
    shares = [
        share_unlock(box_key=made["box_key"], user=m, password=PASSWORD)
        for m in made["members"][:3]
    ]
    return crypto.combine_box_key(shares)


def opened(made, appeal):
    """The appeal as the commission reads it at the opening (three members' parts; an appeal
    sealed to a key renewed since, with that key's private half the renewal sealed forward)."""
    private = box_private(made)
    key = made["box_key"]
    while key.pk != appeal.box_key_id:
        private = crypto.open_with_box_key(private, bytes(key.previous_private_sealed))
        key = key.previous
    return Envelope.from_bytes(crypto.opener_with_box_key(private).open(bytes(appeal.ciphertext)))


def tablet(chromium, live_server, viewport, language="ky"):
    context = chromium.new_context(viewport=viewport, has_touch=True)
    context.add_cookies([{"name": "trustbox_language", "value": language, "url": live_server.url}])
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


@pytest.mark.parametrize("language", ["ky", "ru"])
def test_the_kiosk_keeps_its_key_and_refuses_another_until_a_member_confirms_it(
    live_server, chromium, foyer, language
):
    page = tablet(chromium, live_server, TABLET, language=language)
    kiosk = f"{live_server.url}/b/foyer/kiosk/"
    page.goto(kiosk)
    expect(page.locator("html")).to_have_attribute("lang", language)
    expect(page.locator("#kiosk-not-set-up")).to_be_visible()
    assert serious_violations(page) == []

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
    assert serious_violations(page) == []

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


# True once the tablet's queue is empty, asked every 200 ms for up to 20 s (the page's count
# starts hidden, so it cannot say; Playwright's wait_for_function does not await a promise).
QUEUE_EMPTY = """async () => {
  const count = () => new Promise((ok, no) => {
    const r = indexedDB.open("trustbox-kiosk");
    r.onerror = no;
    r.onsuccess = () => {
      const db = r.result, c = db.transaction("envelopes").objectStore("envelopes").count();
      c.onsuccess = () => { db.close(); ok(c.result); }; c.onerror = no;
    };
  });
  for (let tries = 0; tries < 100; tries++) {
    if ((await count()) === 0) return true;
    await new Promise((ok) => setTimeout(ok, 200));
  }
  return false;
}"""


def queue_drains(page):
    """The tablet sends what waits by itself: its queue empties, its count goes."""
    assert page.evaluate(QUEUE_EMPTY)
    expect(page.locator("#kiosk-waiting")).to_be_hidden()


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
    queue_drains(page)
    assert SealedAppeal.objects.count() == 2
    for code in codes:
        assert appeal_find_by_receipt(school=foyer["school"], code=code) is not None
    opened_texts = {opened(foyer, appeal).text for appeal in SealedAppeal.objects.all()}
    assert opened_texts == set(texts)
    assert page.evaluate(READ_TABLET) == '{"records":[],"local":{}}'
    page.context.close()


def test_a_queue_from_before_a_renewal_and_a_sending_whose_answer_was_lost_each_go_in_once(
    live_server, chromium, foyer
):
    from trustbox.box.services import appeal_find_by_receipt

    page = tablet(chromium, live_server, PHONE, language="ru")
    set_up(page, live_server, foyer)
    kiosk = f"{live_server.url}/b/foyer/kiosk/"
    texts = ["До обновления ключа: канарейка-3107", "Ответ потерян: канарейка-5521"]
    codes = []

    def child_writes(text):
        page.locator("#id_text").fill(text)
        page.locator("form[data-kiosk] button[type=submit]").click()
        shown = page.locator("#kiosk-receipt-code")
        expect(shown).to_have_text(re.compile(r"^\d{4}(-\d{4}){4}$"))
        codes.append(shown.inner_text())

    # Offline, the first child's appeal is sealed to the key the tablet keeps; then the
    # commission renews the box key.
    page.context.set_offline(True)
    child_writes(texts[0])
    assert serious_violations(page) == []  # the receipt given on the tablet, 360 px wide
    assert page.evaluate("document.documentElement.scrollWidth") <= PHONE["width"]
    old_key = foyer["box_key"]
    foyer["box_key"], _reserve = box_key_renew(
        school=foyer["school"],
        by=foyer["members"][0],
        old_key=old_key,
        old_private=box_private(foyer),
    )
    # The network returns, the box is not reached yet; a member confirms the new key on the
    # tablet. The envelope sealed to the old key still waits.
    page.context.route("**/b/foyer/kiosk/?send=1", lambda route: route.abort())
    page.context.set_offline(False)
    member_signs_in(page, live_server, foyer["members"][1])
    page.goto(f"{live_server.url}/s/foyer/box/kiosk/")
    expect(page.locator("#setup-changed")).to_be_visible()
    expect(page.locator("#setup-waiting [data-count]")).to_have_text("1")
    page.locator("button[value=confirm]").click()
    page.wait_for_url(kiosk)
    expect(page.locator("#kiosk-key-code")).to_have_text(
        crypto.key_code(bytes(foyer["box_key"].public_key))
    )
    expect(page.locator("#kiosk-waiting [data-count]")).to_have_text("1")

    # The second child sends online: the box takes it, its answer is lost on the way.
    lost = []

    def lose_the_answer(route):
        if route.request.method != "POST" or lost:
            return route.continue_()
        lost.append(route.fetch().status)
        route.abort()

    page.context.route("**/b/foyer/kiosk/", lose_the_answer)
    child_writes(texts[1])
    assert lost == [200] and SealedAppeal.objects.count() == 1
    expect(page.locator("#kiosk-waiting [data-count]")).to_have_text("2")

    # The box answers again: the queue goes in by itself, each appeal once.
    page.context.unroute("**/b/foyer/kiosk/?send=1")
    with page.expect_navigation():
        page.locator("#kiosk-offline-done").click()
    queue_drains(page)
    assert SealedAppeal.objects.count() == 2
    found = [appeal_find_by_receipt(school=foyer["school"], code=code) for code in codes]
    assert [f.sealed.box_key_id for f in found] == [old_key.pk, foyer["box_key"].pk]
    assert [opened(foyer, f.sealed).text for f in found] == texts
    page.context.close()
