import re

from django.urls import reverse

from trustbox import settings as production
from trustbox.test import PASSWORD, BaseTestCase


class SecurityHeadersTestCase(BaseTestCase):
    def test_the_content_security_policy_is_strict(self):
        response = self.client.get(reverse("accounts:login"))
        policy = response["Content-Security-Policy"]
        self.assertIn("default-src 'self'", policy)
        self.assertIn("script-src 'self'", policy)
        self.assertIn("frame-ancestors 'none'", policy)
        self.assertIn("object-src 'none'", policy)
        self.assertNotIn("unsafe-inline", policy)
        self.assertNotIn("unsafe-eval", policy)

    def test_pages_forbid_framing_and_sniffing_and_referrers(self):
        response = self.client.get(reverse("accounts:login"))
        self.assertEqual(response["X-Frame-Options"], "DENY")
        self.assertEqual(response["X-Content-Type-Options"], "nosniff")
        self.assertEqual(response["Referrer-Policy"], "same-origin")

    def test_cookies_are_secure_unless_https_is_switched_off(self):
        self.assertTrue(production.HTTPS)
        self.assertTrue(production.SESSION_COOKIE_SECURE)
        self.assertTrue(production.CSRF_COOKIE_SECURE)
        self.assertTrue(production.SESSION_COOKIE_HTTPONLY)
        response = self.client.post(
            reverse("accounts:login"), {"username": self.director.username, "password": PASSWORD}
        )
        cookie = response.cookies["sessionid"]
        self.assertTrue(cookie["secure"])
        self.assertTrue(cookie["httponly"])

    def test_staff_pages_are_never_cached(self):
        self.login(self.director)
        response = self.client.get(reverse("commission:overview", args=["alatoo"]))
        self.assertIn("no-store", response["Cache-Control"])

    def test_pages_load_nothing_from_third_parties(self):
        self.login(self.director)
        for url in (
            reverse("core:home"),
            reverse("commission:overview", args=["alatoo"]),
            reverse("commission:appoint", args=["alatoo"]),
        ):
            html = self.client.get(url, follow=True).content.decode()
            self.assertEqual(re.findall(r'(?:src|href|action)="(?:https?:)?//', html), [], url)
            # Scripts only from our own static files (CSP: 'self'), never inline.
            scripts = re.findall(r"<script[^>]*>", html)
            self.assertTrue(all(re.search(r'src="/static/[^"]+\.js"', s) for s in scripts), scripts)
            self.assertNotRegex(html, r"<script(?![^>]*\ssrc=)[^>]*>")
            self.assertNotIn("style=", html)

    def test_an_unknown_page_shows_our_page_without_details(self):
        response = self.client.get("/no/such/page/")
        self.assertEqual(response.status_code, 404)
        self.assertNotIn(b"Traceback", response.content)
        self.assertNotIn(b"urlpatterns", response.content)
