"""Several app processes share one in-memory cache: Redis without persistence."""

from __future__ import annotations

import shutil
import subprocess
import tempfile
import time
from pathlib import Path
from unittest import skipUnless

from django.test import SimpleTestCase

from trustbox.core.tests.processes import run_trustbox, trustbox_env

SHOW = (
    "from django.conf import settings\n"
    "from django.core.cache import cache\n"
    "print(settings.CACHES['default']['BACKEND'])\n"
)


class SharedCacheTestCase(SimpleTestCase):
    def setUp(self):
        self.folder = Path(tempfile.mkdtemp())
        self.addCleanup(shutil.rmtree, self.folder)

    def shell(self, code: str, **env: str) -> str:
        data_dir = self.folder / "data"
        return run_trustbox(
            "shell", "-v", "0", "-c", code, data_dir=data_dir, env=trustbox_env(data_dir, **env)
        ).stdout

    def test_a_redis_address_gives_the_app_processes_one_shared_cache(self):
        backend = self.shell(SHOW, TRUSTBOX_REDIS_URL="redis://127.0.0.1:1/0").strip()
        self.assertEqual(backend, "django.core.cache.backends.redis.RedisCache")

    @skipUnless(shutil.which("redis-server"), "redis-server is not installed")
    def test_what_one_process_counts_another_sees_and_nothing_reaches_the_disk(self):
        socket = self.folder / "redis.sock"
        server = subprocess.Popen(
            [
                "redis-server",
                "--port",
                "0",
                "--unixsocket",
                str(socket),
                "--save",
                "",
                "--appendonly",
                "no",
                "--dir",
                str(self.folder),
            ],
            stdout=subprocess.DEVNULL,
        )
        self.addCleanup(server.wait)
        self.addCleanup(server.terminate)
        deadline = time.monotonic() + 20
        while not socket.exists():
            self.assertLess(time.monotonic(), deadline)
            time.sleep(0.05)
        url = f"unix://{socket}"
        self.shell(
            "from django.core.cache import cache\ncache.set('tb:seen', 41, 60)",
            TRUSTBOX_REDIS_URL=url,
        )
        seen = self.shell(
            "from django.core.cache import cache\nprint(cache.incr('tb:seen'))",
            TRUSTBOX_REDIS_URL=url,
        )
        self.assertEqual(seen.strip(), "42")
        self.assertEqual(sorted(p.name for p in self.folder.iterdir()), ["data", "redis.sock"])
