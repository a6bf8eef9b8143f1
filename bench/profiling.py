"""Where the time of a submission and of an opening goes (pyinstrument, sampling). Prints JSON.

Submission: rounds of a new visitor through the real view and its middleware (Django's test
client with CSRF checks on): GET the form, POST it (the answer is the receipt page). Each
request type is profiled on its own; its samples are grouped by what the code does (the
Argon2 receipt derivation, templates, the database, middleware…), each group's share of the
time is given, with the heaviest functions and the queries one request makes.

Opening: opening_open over N sealed appeals (default 2,000), grouped the same way.

    .venv/bin/python bench/profiling.py [--quick] [--rounds 120] [--appeals 2000] [--text DIR]

`--text DIR` also writes pyinstrument's call trees there, to read.
"""

from __future__ import annotations

import argparse
import re
import statistics
import sys
import time
from collections import Counter
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from bench.common import SCHOOL, django_setup, emit, machine

# What a sample's innermost frame belongs to: the first pattern found in "file:function".
GROUPS: list[tuple[str, str]] = [
    ("receipt derivation (Argon2id)", r"nacl/pwhash|crypto_pwhash"),
    (
        "libsodium sealing and opening",
        r"nacl/(bindings|public|secret|utils)|crypto_box|crypto_secretbox|crypto_scalarmult",
    ),
    ("Shamir shares", r"shamir_mnemonic"),
    ("database (ORM and SQLite)", r"django/db/|sqlite3|SQLiteCursorWrapper|psycopg"),
    ("templates", r"django/template/|templatetags"),
    ("translations", r"django/utils/translation|gettext"),
    ("forms", r"django/forms/"),
    (
        "middleware and the request cycle",
        r"django/(middleware|core/handlers|contrib/sessions|contrib/auth|contrib/messages)|"
        r"/csp/|/axes/|django_otp|whitenoise|core/middleware",
    ),
    ("signing, tokens, CSRF", r"django/core/signing|django/utils/crypto|hmac|hashlib"),
    ("URL resolving", r"django/urls/"),
    ("JSON", r"json/"),
    ("holiday calendar (loaded once a process)", r"/holidays/"),
    ("Trust Box code", r"trustbox/"),
]


def group_of(frame_id: str) -> str | None:
    for name, pattern in GROUPS:
        if re.search(pattern, frame_id):
            return name
    return None


def shares(session: Any, rounds: int) -> dict[str, Any]:
    """Each group's share of the self time, and the heaviest functions by self time.

    A frame of no group (the standard library, django.utils, a built-in like isinstance)
    counts for the group of the code that called it: contextlib or django.utils.html inside a
    template render is templates.
    """
    root = session.root_frame()
    if root is None:
        return {}
    total = root.time
    groups: Counter[str] = Counter()
    functions: Counter[str] = Counter()

    def visit(frame: Any, inherited: str) -> None:
        where = f"{frame.file_path or ''}:{frame.function}"
        group = group_of(where) or inherited
        # pyinstrument puts a frame's own time in synthetic "[self]" children: count it here.
        own = frame.time - sum(c.time for c in frame.children if not c.is_synthetic)
        if own > 0:
            groups[group] += own
            short = f"{frame.function} ({Path(frame.file_path or '?').name}:{frame.line_no})"
            functions[short] += own
        for child in frame.children:
            if not child.is_synthetic:
                visit(child, group)

    visit(root, "other Python")
    return {
        "samples": session.sample_count,
        "profiled_ms_per_round": round(total / max(rounds, 1) * 1000, 2),
        "groups_percent": {k: round(v / total * 100, 1) for k, v in groups.most_common()},
        "top_functions_percent": {
            k: round(v / total * 100, 1) for k, v in functions.most_common(12)
        },
    }


def inclusive_percent(session: Any, names: list[str]) -> dict[str, float]:
    """The share of the time spent inside each named function (callees included)."""
    root = session.root_frame()
    if root is None:
        return {}
    found: dict[str, float] = dict.fromkeys(names, 0.0)

    def visit(frame: Any, inside: frozenset[str]) -> None:
        name = frame.function
        now = inside
        if name in found and name not in inside:
            found[name] += frame.time
            now = inside | {name}
        for child in frame.children:
            visit(child, now)

    visit(root, frozenset())
    return {k: round(v / root.time * 100, 1) for k, v in found.items()}


@contextmanager
def sql_recorded(into: list[str]) -> Iterator[None]:
    from django.db import connection

    def record(execute: Callable[..., Any], sql: str, params: Any, many: bool, context: Any):
        into.append(" ".join(sql.split())[:110])
        return execute(sql, params, many, context)

    with connection.execute_wrapper(record):
        yield


TOKEN = re.compile(r'name="token" value="([^"]+)"')


def submission(rounds: int, text_dir: Path | None) -> dict[str, Any]:
    from django.test import Client
    from pyinstrument import Profiler

    profilers = {"get_form": Profiler(interval=0.0005), "post_to_receipt": Profiler(0.0005)}
    wall: dict[str, list[float]] = {name: [] for name in profilers}
    cpu: dict[str, list[float]] = {name: [] for name in profilers}
    queries: dict[str, list[str]] = {name: [] for name in profilers}
    cookies: dict[str, list[str]] = {name: [] for name in profilers}
    path = f"/b/{SCHOOL}/"

    def one(record: bool, with_sql: bool) -> None:
        client = Client(HTTP_HOST="localhost", enforce_csrf_checks=True)

        def request(name: str, call: Callable[[], Any]) -> Any:
            sql: list[str] = []
            t0, c0 = time.perf_counter(), time.process_time()
            if record:
                profilers[name].start()
            with sql_recorded(sql):
                response = call()
            if record:
                profilers[name].stop()
                wall[name].append(time.perf_counter() - t0)
                cpu[name].append(time.process_time() - c0)
            if with_sql:
                queries[name] = sql
                cookies[name] = sorted(response.cookies.keys())
            assert response.status_code == 200, response.status_code
            return response

        page = request("get_form", lambda: client.get(path)).content.decode()
        token = TOKEN.search(page)
        assert token is not None, "the form has no submission token"
        data = {
            "csrfmiddlewaretoken": client.cookies["csrftoken"].value,
            "token": token.group(1),
            "kind": "proposal",
            "category": "school_life",
            "text": "Мектептин короосуна көбүрөөк дарак отургузалы. " * 3,
            "signed": "anonymous",
        }
        receipt = request("post_to_receipt", lambda: client.post(path, data)).content
        assert re.search(rb"\d{4}-\d{4}-\d{4}-\d{4}-\d{4}", receipt)

    for _ in range(10):
        one(record=False, with_sql=False)
    one(record=False, with_sql=True)
    for _ in range(rounds):
        one(record=True, with_sql=False)

    result: dict[str, Any] = {"rounds": rounds}
    markers = {
        "get_form": ["appeal", "render", "submission_token", "process_response"],
        "post_to_receipt": [
            "appeal",
            "is_valid",
            "appeal_submit",
            "receipt_derive",
            "seal_for_box",
            "writer_key_make",
            "_receipt_page",
            "_receipt_picture",
            "allow",
            "_token_used",
        ],
    }
    for name, profiler in profilers.items():
        session = profiler.last_session
        result[name] = {
            "ms_median": round(statistics.median(wall[name]) * 1000, 2),
            "cpu_ms_median": round(statistics.median(cpu[name]) * 1000, 2),
            "queries": len(queries[name]),
            "sql": queries[name],
            "cookies_set": cookies[name],
            **shares(session, rounds),
            "inside_percent": inclusive_percent(session, markers[name]),
        }
        if text_dir is not None:
            (text_dir / f"profile-{name}.txt").write_text(
                profiler.output_text(unicode=True, color=False, show_all=False)
            )
    return result


def opening(count: int, text_dir: Path | None) -> dict[str, Any]:
    from pyinstrument import Profiler

    from bench.opening import gathered, sealed_bulk_create
    from trustbox.openings.services import opening_open
    from trustbox.schools.models import School

    sealed_bulk_create(School.objects.get(slug=SCHOOL), count)
    timings: dict[str, Any] = {}
    opening_, browser_key, chair = gathered("open", timings)
    profiler = Profiler(interval=0.0005)
    t0 = time.perf_counter()
    profiler.start()
    opening_open(opening=opening_, by=chair, browser_key=browser_key)
    profiler.stop()
    elapsed = time.perf_counter() - t0
    session = profiler.last_session
    if text_dir is not None:
        (text_dir / "profile-opening.txt").write_text(
            profiler.output_text(unicode=True, color=False, show_all=False)
        )
    return {
        "appeals": count,
        "profiled_seconds": round(elapsed, 2),
        **shares(session, 1),
        "inside_percent": inclusive_percent(
            session,
            [
                "chain_verify",
                "take_out",
                "_opened_in_batches",
                "open_with_box_key",
                "appeals_take_in",
                "seal_for_box",
                "from_bytes",
                "bulk_create",
                "sealed_mark_opened",
                "_fetch_all",
            ],
        ),
    }


def main() -> None:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--quick", action="store_true", help="50 rounds, 1,000 appeals")
    parser.add_argument("--rounds", type=int)
    parser.add_argument("--appeals", type=int)
    parser.add_argument("--text", type=Path, help="write pyinstrument's call trees here")
    args = parser.parse_args()
    rounds = args.rounds or (50 if args.quick else 120)
    count = args.appeals or (1000 if args.quick else 2000)

    django_setup(sqlite=True)
    from django.core.management import call_command
    from django.test.utils import override_settings

    from trustbox.demo.builders import demo_create

    call_command("migrate", verbosity=0)
    demo_create()
    if args.text:
        args.text.mkdir(parents=True, exist_ok=True)
    with override_settings(
        APPEALS_PER_CLIENT_HOUR=10**9, APPEALS_PER_SCHOOL_HOUR=10**9, ALLOWED_HOSTS=["localhost"]
    ):
        result = {
            "benchmark": "profile",
            "machine": machine(),
            "submission": submission(rounds, args.text),
            "opening": opening(count, args.text),
        }
    emit(result)


if __name__ == "__main__":
    main()
