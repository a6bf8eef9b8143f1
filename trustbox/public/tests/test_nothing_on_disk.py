"""The data folder gives back no writer's address and no time of day (issue 9, point 5)."""

import datetime
import hashlib
import hmac
import ipaddress
import os
import pickle
import runpy
import shutil
import tempfile
from pathlib import Path
from unittest import mock

from django.conf import settings
from django.core.cache import cache
from django.db import connection
from django.test import RequestFactory, SimpleTestCase, override_settings
from django.urls import reverse
from django.utils import timezone

import trustbox
from trustbox.box.models import SpentForm
from trustbox.box.tests.helpers import CLIENT_IP, appeal_data
from trustbox.lib import limits
from trustbox.registry.tests.helpers import RegistryTestCase

SETTINGS = Path(trustbox.__file__).parent / "settings.py"


def settings_with(environment: dict[str, str]) -> dict:
    """The settings an install would get from these environment variables."""
    with mock.patch.dict(os.environ, environment):
        return runpy.run_path(str(SETTINGS))


def old_tag(secret: str, day: str, value: str) -> str:
    """How client tags were made before: a key derived from the secret key and the day."""
    key = hashlib.sha256(f"{secret}|{day}".encode()).digest()
    return hmac.new(key, value.encode(), hashlib.sha256).hexdigest()[:32]


def thief(folder: Path, secret: str, days: list[str]) -> list[str]:
    """Try every address of the writer's /24 against everything in a copy of the data folder.

    The thief has the secret key and knows the code: she derives every tag the secret key
    could give an address, and every cache file name that could hold one.
    """
    files = [p for p in folder.rglob("*") if p.is_file()]
    blobs = [p.read_bytes() for p in files]
    names = {p.name for p in files}
    found = []
    for ip in ipaddress.ip_network("203.0.113.0/24"):
        candidates = [str(ip)]
        for day in days:
            candidates.append(old_tag(secret, day, str(ip)))
        candidates.append(hmac.new(secret.encode(), str(ip).encode(), "sha256").hexdigest()[:32])
        for candidate in candidates:
            if any(candidate.encode() in blob for blob in blobs):
                found.append(f"{ip}: {candidate} in a file")
            keys = [
                f"tb:{action}:{day.replace('-', '')}{hour:02d}:c:{candidate}"
                for action in ("appeal", "receipt")
                for day in days
                for hour in range(24)
            ]
            for key in keys:
                if hashlib.md5(f":1:{key}".encode()).hexdigest() + ".djcache" in names:
                    found.append(f"{ip}: a cache file for {key}")
    return found


def cache_expiries(folder: Path) -> list[float]:
    """The expiry times that Django's file cache pickles at the head of each of its files."""
    expiries = []
    for path in folder.rglob("*.djcache"):
        with path.open("rb") as file:
            expiries.append(pickle.load(file))
    return expiries


def at_midnight(expiry: float) -> bool:
    """Within a second of a local midnight: it tells a day, not a time of day."""
    local = datetime.datetime.fromtimestamp(expiry, tz=timezone.get_default_timezone())
    since = datetime.datetime.combine(local.date(), datetime.time(0, 0), tzinfo=local.tzinfo)
    return abs(local - since) < datetime.timedelta(seconds=1) or (
        since + datetime.timedelta(days=1) - local < datetime.timedelta(seconds=1)
    )


class TheCacheSettingTestCase(SimpleTestCase):
    def test_an_old_cache_folder_setting_still_gives_a_cache_in_memory(self):
        folder = Path(tempfile.mkdtemp())
        self.addCleanup(shutil.rmtree, folder, True)
        found = settings_with(
            {"TRUSTBOX_DATA_DIR": str(folder), "TRUSTBOX_CACHE_DIR": str(folder / "cache")}
        )
        self.assertEqual(
            found["CACHES"]["default"]["BACKEND"],
            "django.core.cache.backends.locmem.LocMemCache",
        )

    def test_a_cache_on_disk_is_refused_at_start(self):
        on_disk = {"BACKEND": "django.core.cache.backends.filebased.FileBasedCache"}
        with override_settings(CACHES={"default": {**on_disk, "LOCATION": "/tmp/x"}}):
            self.assertEqual([m.id for m in limits.check_cache_in_memory()], ["trustbox.E001"])
        with mock.patch.dict(os.environ, {"TRUSTBOX_CACHE_DIR": "/tmp/x"}):
            self.assertEqual([m.id for m in limits.check_cache_in_memory()], ["trustbox.W001"])
        self.assertEqual(limits.check_cache_in_memory(), [])


class TagKeyTestCase(SimpleTestCase):
    def setUp(self):
        cache.clear()
        limits._day_keys.clear()
        self.request = RequestFactory().get("/", REMOTE_ADDR=CLIENT_IP)

    def test_the_key_of_the_tags_is_random_not_made_from_the_secret_key(self):
        first = limits.client_tag(self.request)
        self.assertEqual(first, limits.client_tag(self.request))
        # Another process (or this one after a restart) draws another key.
        cache.clear()
        limits._day_keys.clear()
        self.assertNotEqual(first, limits.client_tag(self.request))
        today = timezone.localdate().isoformat()
        self.assertNotEqual(first, old_tag(settings.SECRET_KEY, today, CLIENT_IP))

    def test_the_key_of_the_tags_changes_every_day_and_yesterdays_is_forgotten(self):
        now = limits.clock()
        with mock.patch.object(limits, "clock", return_value=now):
            today = limits.client_tag(self.request)
        with mock.patch.object(limits, "clock", return_value=now + 86400):
            tomorrow = limits.client_tag(self.request)
        self.assertNotEqual(today, tomorrow)
        self.assertEqual(len(limits._day_keys), 1)


class DataFolderTestCase(RegistryTestCase):
    def setUp(self):
        super().setUp()
        self.folder = Path(tempfile.mkdtemp())
        self.addCleanup(shutil.rmtree, self.folder, True)
        data = self.folder / "data"
        self.installed = settings_with(
            {"TRUSTBOX_DATA_DIR": str(data), "TRUSTBOX_CACHE_DIR": str(data / "cache")}
        )
        self.data = data

    def writer_comes(self) -> None:
        self.client.cookies.load({settings.LANGUAGE_COOKIE_NAME: "en"})
        url = reverse("box:appeal", args=["alatoo"])
        sent = self.client.post(url, appeal_data(urgent="on"), REMOTE_ADDR=CLIENT_IP)
        self.assertContains(sent, "Your appeal is in the box")
        status = reverse("box:status", args=["alatoo"])
        for code in ("1111-2222-3333-4444", self.receipt.code):
            self.client.post(status, {"code": code}, REMOTE_ADDR=CLIENT_IP)
        login = reverse("accounts:login")
        self.client.post(login, {"username": "chair", "password": "x"}, REMOTE_ADDR=CLIENT_IP)

    def test_a_copy_of_the_data_folder_and_the_secret_key_give_back_no_address(self):
        with override_settings(
            CACHES=self.installed["CACHES"], SECRET_KEY=self.installed["SECRET_KEY"]
        ):
            cache.clear()
            self.writer_comes()
        copy = self.folder / "stolen"
        shutil.copytree(self.data, copy)
        if connection.vendor == "sqlite":
            database = Path(connection.settings_dict["NAME"])
            for path in database.parent.glob(database.name + "*"):
                shutil.copy(path, copy / path.name)
        secret = (copy / "secret_key").read_text().strip()
        today = timezone.localdate()
        days = [(today + datetime.timedelta(days=d)).isoformat() for d in (-1, 0, 1)]
        self.assertEqual(thief(copy, secret, days), [])

    def test_no_cache_file_tells_a_time_of_day(self):
        with override_settings(
            CACHES=self.installed["CACHES"], SECRET_KEY=self.installed["SECRET_KEY"]
        ):
            cache.clear()
            self.writer_comes()
        self.assertEqual(
            [e for e in cache_expiries(self.data) if e is not None and not at_midnight(e)], []
        )

    def test_the_spent_form_mark_keeps_the_day_only_and_nothing_in_the_cache(self):
        cache.clear()
        self.writer_comes()
        store = cache._expire_info  # the process-memory cache of the tests
        self.assertEqual([key for key in store if ":tb:token:" in key], [])
        spent = list(SpentForm.objects.values_list("spent_on", flat=True))
        self.assertEqual(spent, [timezone.localdate()])
        self.assertEqual([f.name for f in SpentForm._meta.get_fields()], ["digest", "spent_on"])
