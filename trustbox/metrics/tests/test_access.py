"""/metrics answers the machine itself or the token's holder; anyone else gets a 404."""

from __future__ import annotations

from django.test import override_settings

from trustbox.metrics.tests.scrape import hour_ended, value
from trustbox.public.tests.test_outage_logs import every_log_read
from trustbox.test import BaseTestCase

RESPONSES = "trustbox_http_responses_total"
TOKEN = "s3cret-token-for-the-scraper"


class MetricsAccessTestCase(BaseTestCase):
    url = "/metrics"

    def status(self, remote: str = "127.0.0.1", **headers: str) -> int:
        return self.client.get(self.url, REMOTE_ADDR=remote, headers=headers).status_code

    def test_the_machine_itself_reads_the_counters(self):
        response = self.client.get(self.url, REMOTE_ADDR="127.0.0.1")
        self.assertEqual(response.status_code, 200)
        self.assertIn(b"trustbox_jobs_waiting", response.content)
        self.assertTrue(response["Content-Type"].startswith("text/plain"))
        self.assertEqual(self.status("127.8.9.10"), 200)
        self.assertEqual(self.status("::1"), 200)

    def test_another_address_gets_a_404(self):
        self.assertEqual(self.status("203.0.113.5"), 404)
        self.assertEqual(self.status("10.0.0.7"), 404)
        self.assertEqual(self.status(""), 404)

    def test_a_request_through_the_proxy_gets_a_404_though_it_comes_from_loopback(self):
        self.assertEqual(self.status(**{"X-Forwarded-For": "203.0.113.5"}), 404)
        self.assertEqual(self.status(**{"X-Real-IP": "203.0.113.5"}), 404)
        self.assertEqual(self.status(**{"Forwarded": "for=203.0.113.5"}), 404)

    @override_settings(METRICS_TOKEN=TOKEN)
    def test_the_token_opens_it_from_anywhere_and_a_wrong_one_does_not(self):
        bearer = {"Authorization": f"Bearer {TOKEN}"}
        self.assertEqual(self.status("203.0.113.5", **bearer), 200)
        self.assertEqual(self.status("203.0.113.5", **bearer, **{"X-Forwarded-For": "x"}), 200)
        self.assertEqual(self.status("203.0.113.5", Authorization=f"Bearer {TOKEN}x"), 404)
        self.assertEqual(self.status("203.0.113.5", Authorization=f"Basic {TOKEN}"), 404)

    def test_without_a_token_set_no_bearer_opens_it(self):
        self.assertEqual(self.status("203.0.113.5", Authorization="Bearer "), 404)

    def test_its_requests_are_never_logged_nor_counted(self):
        def counted() -> list[float]:
            with hour_ended():
                return [
                    value(RESPONSES, group=group, status=status)
                    for group in ("public", "staff", "other")
                    for status in ("2xx", "4xx")
                ]

        before = counted()
        with every_log_read() as log:
            self.assertEqual(self.status(), 200)
            self.assertEqual(self.status("203.0.113.5"), 404)
        self.assertEqual(log.getvalue(), "")
        self.assertEqual(counted(), before)
        self.client.get("/no-such-page/")  # the way it counts, to show the count works
        self.assertEqual(sum(counted()), sum(before) + 1)
