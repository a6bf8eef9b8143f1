"""The abuse limits of the writer's pages cannot be turned against the school (issue 9, point 4)."""

import shutil
import socket
import subprocess
import tempfile
import time
from pathlib import Path
from unittest import mock, skipUnless

from django.conf import settings
from django.core.cache import cache, caches
from django.test import RequestFactory, SimpleTestCase, override_settings
from django.urls import reverse

from trustbox.box.models import SealedAppeal
from trustbox.box.tests.helpers import CANARY, CLIENT_IP, appeal_data
from trustbox.lib import limits
from trustbox.lib.limits import Counter, client_address
from trustbox.public.forms import submission_token
from trustbox.registry.tests.helpers import RegistryTestCase
from trustbox.seal import crypto
from trustbox.test import SealedBoxTestCase

HOUR_START = 1_800_000_000.0  # 2027-01-15 08:00 UTC, the start of an hour
APPEAL_URL = reverse("box:appeal", args=["alatoo"])
STATUS_URL = reverse("box:status", args=["alatoo"])
WRITE_URL = reverse("box:write_back", args=["alatoo"])
WRONG_CODE = "1111-2222-3333-4444"
FOUND = "Taken out of the box by the commission."


def address(n: int) -> str:
    return f"198.51.{n // 250}.{n % 250 + 1}"


class MovedClock:
    """Every clock of the process (time.time) at a chosen moment, moved by the test."""

    def __init__(self, test, at: float):
        self.now = at
        patcher = mock.patch("time.time", side_effect=lambda: self.now)
        patcher.start()
        test.addCleanup(patcher.stop)

    def forward(self, seconds: float) -> None:
        self.now += seconds


class AppealLimitsTestCase(SealedBoxTestCase):
    def setUp(self):
        super().setUp()
        cache.clear()

    def send(self, data=None, address=CLIENT_IP, **extra):
        self.client.cookies.load({settings.LANGUAGE_COOKIE_NAME: "en"})
        return self.client.post(APPEAL_URL, data or appeal_data(), REMOTE_ADDR=address, **extra)

    @override_settings(APPEALS_PER_SCHOOL_HOUR=2)
    def test_a_reused_form_token_does_not_fill_the_schools_limit(self):
        data = appeal_data()
        for _ in range(30):
            self.send(data, address="192.0.2.66")
        for _ in range(5):
            self.send(appeal_data(text=""), address="192.0.2.66")  # an invalid form
        response = self.send(address=address(1))
        self.assertContains(response, "Your appeal is in the box")
        self.assertEqual(SealedAppeal.objects.count(), 2)

    @override_settings(APPEALS_PER_CLIENT_HOUR=1, APPEALS_PER_SCHOOL_HOUR=3)
    def test_a_client_over_its_own_limit_does_not_count_for_the_school(self):
        for _ in range(10):
            self.send(address="192.0.2.66")
        for n in (1, 2):
            self.assertContains(self.send(address=address(n)), "Your appeal is in the box")
        self.assertEqual(SealedAppeal.objects.count(), 3)

    @override_settings(APPEALS_PER_SCHOOL_HOUR=2)
    def test_only_appeals_that_went_into_the_box_fill_the_schools_limit(self):
        for n in (1, 2):
            self.assertContains(self.send(address=address(n)), "Your appeal is in the box")
        response = self.send(appeal_data(text=CANARY), address=address(3))
        self.assertContains(response, "very many appeals", status_code=429)
        self.assertContains(response, CANARY, status_code=429)

    @override_settings(APPEALS_PER_SCHOOL_HOUR=1)
    def test_an_urgent_appeal_is_never_refused_by_the_schools_limit(self):
        self.send(address=address(1))
        response = self.send(appeal_data(text=CANARY), address=address(2))
        self.assertContains(response, "mark your appeal as urgent", status_code=429)
        self.assertContains(response, CANARY, status_code=429)
        self.assertContains(response, 'href="tel:111"', status_code=429)
        for n in range(2, 6):
            response = self.send(appeal_data(text=CANARY, urgent="on"), address=address(n))
            self.assertContains(response, "Your appeal is in the box")
        self.assertEqual(SealedAppeal.objects.filter(urgent=True).count(), 4)

    @override_settings(APPEALS_PER_CLIENT_HOUR=1)
    def test_an_urgent_appeal_keeps_its_text_and_the_helplines_when_its_client_is_over(self):
        self.send()
        response = self.send(appeal_data(text=CANARY, urgent="on"))
        self.assertContains(response, "Too many appeals", status_code=429)
        self.assertContains(response, CANARY, status_code=429)
        for number in ("111", "112"):
            self.assertContains(response, f'href="tel:{number}"', status_code=429)
        self.assertEqual(SealedAppeal.objects.count(), 1)

    @override_settings(APPEALS_PER_CLIENT_HOUR=2, BEHIND_PROXY=True, PROXY_HOPS=1)
    def test_behind_the_proxy_a_forged_forwarded_address_makes_no_new_client(self):
        for n in range(2):
            forwarded = f"{address(n)}, {CLIENT_IP}"
            self.assertEqual(self.send(HTTP_X_FORWARDED_FOR=forwarded).status_code, 200)
        forwarded = f"{address(7)}, {CLIENT_IP}"
        self.assertEqual(self.send(HTTP_X_FORWARDED_FOR=forwarded).status_code, 429)
        other = f"{address(7)}, {address(8)}"
        self.assertEqual(self.send(HTTP_X_FORWARDED_FOR=other).status_code, 200)

    @override_settings(APPEALS_PER_CLIENT_HOUR=2, BEHIND_PROXY=False)
    def test_without_a_proxy_the_forwarded_header_is_not_read(self):
        for n in range(2):
            self.send(HTTP_X_FORWARDED_FOR=address(n))
        self.assertEqual(self.send(HTTP_X_FORWARDED_FOR=address(9)).status_code, 429)

    @override_settings(
        APPEALS_PER_CLIENT_HOUR=2,
        CACHES={
            "default": {
                "BACKEND": "django.core.cache.backends.filebased.FileBasedCache",
                "LOCATION": tempfile.mkdtemp(prefix="trustbox-test-cache-"),
            }
        },
    )
    def test_the_hourly_limit_lasts_the_hour_on_a_file_cache_too(self):
        self.addCleanup(shutil.rmtree, settings.CACHES["default"]["LOCATION"], True)
        clock = MovedClock(self, HOUR_START + 60)
        self.send()
        self.send()
        clock.forward(20 * 60)  # past the cache's default timeout of five minutes
        self.assertEqual(self.send().status_code, 429)
        clock.forward(40 * 60)  # the next hour
        self.assertEqual(self.send().status_code, 200)


class ClientAddressTestCase(SimpleTestCase):
    def request(self, forwarded=None):
        extra = {"HTTP_X_FORWARDED_FOR": forwarded} if forwarded is not None else {}
        return RequestFactory().get("/", REMOTE_ADDR="10.0.0.2", **extra)

    @override_settings(BEHIND_PROXY=True, PROXY_HOPS=1)
    def test_one_proxy_gives_the_address_it_appended(self):
        self.assertEqual(client_address(self.request("6.6.6.6, 1.2.3.4")), "1.2.3.4")
        self.assertEqual(client_address(self.request("1.2.3.4")), "1.2.3.4")

    @override_settings(BEHIND_PROXY=True, PROXY_HOPS=2)
    def test_two_proxies_give_the_address_the_outer_one_appended(self):
        request = self.request("6.6.6.6, 1.2.3.4, 10.0.0.1")
        self.assertEqual(client_address(request), "1.2.3.4")
        self.assertEqual(client_address(self.request("10.0.0.1")), "10.0.0.2")

    @override_settings(BEHIND_PROXY=True, PROXY_HOPS=1)
    def test_no_header_behind_a_proxy_falls_back_to_the_connection(self):
        self.assertEqual(client_address(self.request()), "10.0.0.2")
        self.assertEqual(client_address(self.request(" , ")), "10.0.0.2")

    @override_settings(BEHIND_PROXY=False)
    def test_without_a_proxy_only_the_connection_counts(self):
        self.assertEqual(client_address(self.request("1.2.3.4")), "10.0.0.2")

    def test_one_ipv6_network_is_one_client(self):
        factory = RequestFactory()
        tags = {
            limits.client_tag(factory.get("/", REMOTE_ADDR=f"2001:db8:1:2::{n:x}"))
            for n in range(1, 50)
        }
        self.assertEqual(len(tags), 1)
        other = limits.client_tag(factory.get("/", REMOTE_ADDR="2001:db8:1:3::1"))
        self.assertNotIn(other, tags)


def _redis_server(test) -> str:
    folder = Path(tempfile.mkdtemp())
    test.addCleanup(shutil.rmtree, folder, True)
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    command = ["redis-server", "--port", str(port), "--bind", "127.0.0.1", "--save", ""]
    server = subprocess.Popen(
        [*command, "--appendonly", "no", "--dir", str(folder)],
        stdout=subprocess.DEVNULL,
    )
    test.addCleanup(server.wait)
    test.addCleanup(server.terminate)
    deadline = time.monotonic() + 20
    while True:
        try:
            socket.create_connection(("127.0.0.1", port), timeout=1).close()
            return f"redis://127.0.0.1:{port}/0"
        except OSError:
            test.assertLess(time.monotonic(), deadline)
            time.sleep(0.05)


class CounterWindowTestCase(SimpleTestCase):
    """Counters keep their window on every cache backend, whatever incr does to timeouts."""

    def check_window(self, backend: dict) -> None:
        with override_settings(CACHES={"default": backend}):
            clock = MovedClock(self, HOUR_START + 30)
            counter = Counter("test", 3600)
            self.assertEqual([counter.add() for _ in range(3)], [1, 2, 3])
            clock.forward(50 * 60)
            self.assertEqual(counter.add(), 4)
            clock.forward(10 * 60)
            self.assertEqual(counter.get(), 0)
            caches["default"].clear()

    def test_a_memory_cache_keeps_the_window(self):
        self.check_window({"BACKEND": "django.core.cache.backends.locmem.LocMemCache"})

    def test_a_file_cache_keeps_the_window(self):
        folder = tempfile.mkdtemp()
        self.addCleanup(shutil.rmtree, folder, True)
        self.check_window(
            {"BACKEND": "django.core.cache.backends.filebased.FileBasedCache", "LOCATION": folder}
        )

    @skipUnless(shutil.which("redis-server"), "redis-server is not installed")
    def test_redis_keeps_the_window(self):
        url = _redis_server(self)
        backend = {"BACKEND": "django.core.cache.backends.redis.RedisCache", "LOCATION": url}
        with override_settings(CACHES={"default": backend}):
            MovedClock(self, HOUR_START + 30)  # not in the last minutes of a real hour
            counter = Counter("test", 3600)
            for _ in range(3):
                counter.add()
            redis = caches["default"]._cache.get_client()
            (key,) = redis.keys("*tb:n:test:*")
            self.assertGreater(redis.ttl(key), 300)
            self.assertLessEqual(redis.ttl(key), 3600)
            self.assertEqual(counter.get(), 3)


class ReceiptFloodTestCase(RegistryTestCase):
    """A flood of wrong codes from many addresses keeps no writer out for long."""

    def setUp(self):
        super().setUp()
        cache.clear()
        self.now = HOUR_START + 60
        patcher = mock.patch.object(limits, "clock", side_effect=lambda: self.now)
        patcher.start()
        self.addCleanup(patcher.stop)
        self.derived = mock.patch.object(
            crypto, "receipt_derive", side_effect=crypto.receipt_derive
        ).start()
        self.addCleanup(mock.patch.stopall)
        self.client.cookies.load({settings.LANGUAGE_COOKIE_NAME: "en"})

    def check(self, code, address):
        return self.client.post(STATUS_URL, {"code": code}, REMOTE_ADDR=address)

    def flood(self, clients: int, start: int = 0) -> None:
        for n in range(start, start + clients):
            self.check(WRONG_CODE, address(n))

    @override_settings(RECEIPT_TRIES_PER_SCHOOL_HOUR=10)
    def test_the_writer_with_the_right_code_gets_in_during_a_flood(self):
        self.flood(40)
        response = self.check(self.receipt.code, CLIENT_IP)
        self.assertContains(response, FOUND)

    @override_settings(RECEIPT_TRIES_PER_SCHOOL_HOUR=10)
    def test_a_writer_who_mistyped_during_a_flood_waits_a_few_minutes_only(self):
        self.flood(40)
        self.check(WRONG_CODE, CLIENT_IP)
        response = self.check(self.receipt.code, CLIENT_IP)
        self.assertContains(response, "wait a few minutes", status_code=429)
        self.now += 5 * 60
        self.flood(40, start=40)
        response = self.check(self.receipt.code, CLIENT_IP)
        self.assertContains(response, FOUND)

    @override_settings(RECEIPT_TRIES_PER_SCHOOL_HOUR=10)
    def test_during_a_flood_each_client_costs_one_derivation_per_few_minutes(self):
        self.flood(40)
        self.derived.reset_mock()
        for n in range(40):
            for _ in range(3):
                response = self.check(WRONG_CODE, address(n))
                self.assertEqual(response.status_code, 429)
        self.derived.assert_not_called()

    @override_settings(RECEIPT_LOOKUPS_PER_CLIENT_HOUR=3)
    def test_a_right_code_sent_again_and_again_is_limited_too(self):
        for _ in range(3):
            self.assertContains(self.check(self.receipt.code, CLIENT_IP), FOUND)
        response = self.check(self.receipt.code, CLIENT_IP)
        self.assertContains(response, "Too many tries", status_code=429)
        self.assertEqual(self.derived.call_count, 3)

    @override_settings(RECEIPT_TRIES_PER_CLIENT_HOUR=2)
    def test_a_client_over_its_own_limit_waits_for_the_next_hour(self):
        self.check(WRONG_CODE, CLIENT_IP)
        self.check(WRONG_CODE, CLIENT_IP)
        response = self.check(self.receipt.code, CLIENT_IP)
        self.assertContains(response, "Too many tries", status_code=429)
        self.now += 60 * 60
        self.assertContains(self.check(self.receipt.code, CLIENT_IP), FOUND)

    @override_settings(RECEIPT_TRIES_PER_SCHOOL_HOUR=10)
    def test_the_write_back_form_keeps_the_text_during_a_flood(self):
        self.flood(40)
        self.check(WRONG_CODE, CLIENT_IP)
        data = {"code": self.receipt.code, "text": CANARY, "token": submission_token()}
        response = self.client.post(WRITE_URL, data, REMOTE_ADDR=CLIENT_IP)
        self.assertContains(response, "wait a few minutes", status_code=429)
        self.assertContains(response, CANARY, status_code=429)
