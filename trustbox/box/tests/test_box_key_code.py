"""The box key is the school's (issue 25, point 4): its short code on the poster, the kiosk and
the seal page; a member sets the foyer tablet up on the tablet itself."""

import base64
import subprocess

from django.conf import settings
from django.core.cache import cache
from django.urls import reverse

from trustbox.audit.models import AuditEntry
from trustbox.seal import crypto
from trustbox.test import SealedBoxTestCase


class BoxKeyCodeTestCase(SealedBoxTestCase):
    def setUp(self):
        cache.clear()
        self.client.cookies.load({settings.LANGUAGE_COOKIE_NAME: "en"})
        self.code = crypto.key_code(bytes(self.box_key.public_key))

    def test_the_poster_prints_the_box_keys_code(self):
        self.login(self.director)
        response = self.client.get(reverse("box_staff:poster", args=["alatoo", "ky"]))
        pdf = b"".join(response) if response.streaming else response.content
        text = subprocess.run(
            ["pdftotext", "-", "-"], input=pdf, capture_output=True, check=True
        ).stdout.decode()
        self.assertIn(self.code, text)
        self.assertEqual(text.count("\x0c"), 1, "the poster still fits on one A4 page")

    def test_the_kiosk_shows_the_code_and_carries_the_key_it_was_made_from(self):
        response = self.client.get(reverse("box:kiosk", args=["alatoo"]))
        self.assertContains(response, self.code)
        self.assertContains(response, "The poster shows the same code.")
        public = base64.b64encode(bytes(self.box_key.public_key)).decode()
        self.assertContains(response, f'name="trustbox-box-key" content="{public}"')
        self.assertContains(response, 'rel="manifest"')
        self.assertContains(response, "public/kiosk_offline.js")
        # The writer's own form on her phone carries none of the tablet's parts.
        form = self.client.get(reverse("box:appeal", args=["alatoo"]))
        self.assertNotContains(form, "kiosk_offline.js")
        self.assertNotContains(form, 'rel="manifest"')

    def test_the_seal_page_shows_the_code_and_what_to_compare_it_with(self):
        self.login(self.teacher)
        response = self.client.get(reverse("seal:ceremony", args=["alatoo"]))
        self.assertContains(response, self.code)
        self.assertContains(response, "The poster in the foyer and the foyer tablet show this")

    def test_after_a_new_box_key_the_kiosk_page_brings_the_new_code(self):
        from trustbox.seal.models import BoxKey

        first = self.client.get(reverse("box:kiosk", args=["alatoo"]))
        self.assertContains(first, self.code)
        # A renewal makes a new key in force (the page kept once per school must not hold the old).
        new_public = crypto.box_public_from_private(b"\x07" * 32)
        BoxKey.objects.filter(pk=self.box_key.pk).update(public_key=new_public)
        second = self.client.get(reverse("box:kiosk", args=["alatoo"]))
        self.assertContains(second, crypto.key_code(new_public))
        self.assertNotContains(second, self.code)


class KioskSetupTestCase(SealedBoxTestCase):
    url = reverse("box_staff:kiosk_setup", args=["alatoo"])

    def test_a_member_sees_the_code_to_confirm_on_the_tablet(self):
        self.login(self.members[2])
        response = self.client.get(self.url)
        self.assertContains(response, crypto.key_code(bytes(self.box_key.public_key)))
        self.assertContains(response, "kiosk_setup.js")

    def test_only_a_member_of_the_commission_sets_the_tablet_up(self):
        self.login(self.teacher)
        self.assertEqual(self.client.get(self.url).status_code, 403)
        self.assertEqual(self.client.post(self.url, {"action": "confirm"}).status_code, 403)
        self.assertFalse(AuditEntry.objects.filter(action="box.kiosk_key_confirm").exists())

    def test_confirming_writes_who_confirmed_which_code_and_signs_the_member_out(self):
        member = self.members[2]
        self.login(member)
        response = self.client.post(self.url, {"action": "confirm"})
        self.assertRedirects(
            response, reverse("box:kiosk", args=["alatoo"]), fetch_redirect_response=False
        )
        entry = AuditEntry.objects.get(action="box.kiosk_key_confirm")
        self.assertEqual(entry.actor, member)
        self.assertEqual(entry.details["key_code"], crypto.key_code(bytes(self.box_key.public_key)))
        # Signed out: the tablet is left with the kiosk, not with a member's session.
        self.assertEqual(self.client.get(self.url).status_code, 302)

    def test_a_reset_writes_how_many_sealed_appeals_still_waited(self):
        self.login(self.members[1])
        self.client.post(self.url, {"action": "reset", "waiting": "3"})
        entry = AuditEntry.objects.get(action="box.kiosk_reset")
        self.assertEqual(entry.details, {"waiting": 3})


class KioskAppTestCase(SealedBoxTestCase):
    def test_the_manifest_installs_the_kiosk_full_screen_within_its_own_address(self):
        response = self.client.get(reverse("box:kiosk_manifest", args=["alatoo"]))
        self.assertEqual(response["Content-Type"], "application/manifest+json")
        manifest = response.json()
        self.assertEqual(manifest["start_url"], "/b/alatoo/kiosk/")
        self.assertEqual(manifest["scope"], "/b/alatoo/kiosk/")
        self.assertEqual(manifest["display"], "fullscreen")
        self.assertEqual({icon["sizes"] for icon in manifest["icons"]}, {"192x192", "512x512"})

    def test_the_worker_keeps_the_kiosks_page_and_its_files_by_their_addresses(self):
        response = self.client.get(reverse("box:kiosk_worker", args=["alatoo"]))
        self.assertEqual(response["Content-Type"], "text/javascript; charset=utf-8")
        self.assertEqual(response["Cache-Control"], "no-cache")
        body = response.content.decode()
        self.assertIn('const KIOSK_PAGE = "/b/alatoo/kiosk/";', body)
        for name in ("public.css", "kiosk.js", "kiosk_offline.js", "kiosk_store.js"):
            self.assertIn(f"/static/public/{name}", body)
        # A POST (a sent form, its receipt) is never kept.
        self.assertIn('if (request.method !== "GET") return;', body)
        self.assertEqual(self.client.get("/b/nowhere/kiosk/worker.js").status_code, 404)
