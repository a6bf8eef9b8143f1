"""Opening the box at scale, and renewing its key, against a bare libsodium loop. Prints JSON.

A scratch install of the demo school gets N sealed appeals (default 10,000) through the real
sealing functions (crypto.seal_for_box, crypto.chain_link, the real envelope) in bulk inserts;
only the receipt derivation is skipped (random lookups: an opening never reads them). Then,
each in a fresh process so that its memory is its own:

- rekey: the commission gathers to renew the box key (opening_start, opening_join ×3,
  rekey_finish) with the N appeals in the box; against a libsodium loop that opens and seals
  again the same N envelopes (what a key renewal that re-sealed them would cost);
- open: the commission gathers and opens the box (opening_start, opening_join ×3,
  opening_open: the chain checked, every appeal opened and moved into the registry); against
  a bare loop that opens the same envelopes (SealedBox.decrypt only, ciphertexts in memory).

Wall and CPU time, queries, and the peak resident memory of each process are reported.

    .venv/bin/python bench/opening.py [--quick] [--appeals 10000] [--database-url postgres://…]
"""

from __future__ import annotations

import argparse
import json
import os
import random
import subprocess
import sys
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from bench.common import (
    PYTHON,
    ROOT,
    emit,
    machine,
    peak_rss_reset,
    rss_mb,
    scratch_dir,
)

BATCH = 1000
MEMBERS = ("chair", "secretary", "psychologist")
TEXTS = (
    "Танапис учурунда 7-класстагы балдар мени шылдыңдашат. Мугалимге айтканга уялам. ",
    "Ашканада тамак суук берилет, балдар жебей калышат. Текшерип бериңиздерчи. ",
    "Предлагаю открыть шахматный кружок после уроков, многие ученики хотят играть. ",
    "Мектептин короосуна көбүрөөк дарак отургузалы, көлөкө жок. ",
)


@contextmanager
def timed(into: dict[str, Any], name: str) -> Iterator[None]:
    """Record the wall and CPU seconds of a block as `name_seconds` and `name_cpu_seconds`."""
    wall, cpu = time.perf_counter(), time.process_time()
    yield
    into[f"{name}_seconds"] = round(time.perf_counter() - wall, 3)
    into[f"{name}_cpu_seconds"] = round(time.process_time() - cpu, 3)


def best_of(into: dict[str, Any], name: str, loop: Callable[[], None], times: int = 3) -> None:
    """Record the fastest of a few runs of a bare loop (wall and CPU): the least disturbed one."""
    runs: list[dict[str, Any]] = []
    for _ in range(times):
        one: dict[str, Any] = {}
        with timed(one, name):
            loop()
        runs.append(one)
    into.update(min(runs, key=lambda r: r[f"{name}_cpu_seconds"]))


@contextmanager
def queries_counted(into: dict[str, Any], name: str) -> Iterator[None]:
    from django.db import connection

    count = 0

    def counter(execute: Callable[..., Any], sql: str, params: Any, many: bool, context: Any):
        nonlocal count
        count += 1
        return execute(sql, params, many, context)

    with connection.execute_wrapper(counter):
        yield
    into[f"{name}_queries"] = count


def sealed_bulk_create(school: Any, count: int) -> None:
    """Seal `count` appeals into the school's box as appeal_submit does, in bulk inserts."""
    import base64
    import dataclasses

    from django.db import transaction
    from django.utils import timezone

    from trustbox.box.envelope import Attachment, Category, Envelope, Kind
    from trustbox.box.models import Box, SealedAppeal
    from trustbox.box.services import box_for
    from trustbox.seal import crypto
    from trustbox.seal.models import BoxKey

    rng = random.Random(14)  # noqa: S311 (made-up appeals, not secrets)
    box_key = BoxKey.objects.current(school)
    assert box_key is not None
    public = bytes(box_key.public_key)
    today = timezone.localdate()
    photo = Attachment("photo.jpg", "image/jpeg", os.urandom(40_000))
    with transaction.atomic():
        box = Box.objects.select_for_update().get(pk=box_for(school).pk)
        head, seq = bytes(box.head), box.count
        for first in range(0, count, BATCH):
            rows = []
            for _ in range(min(BATCH, count - first)):
                seq += 1
                reply_key = os.urandom(32)
                writer_public, writer_locked = crypto.writer_key_make(reply_key)
                envelope = Envelope(
                    kind=rng.choice(Kind.values),
                    category=rng.choice(Category.values),
                    text=rng.choice(TEXTS) * rng.randint(1, 6),
                    urgent=seq % 97 == 0,
                    language=rng.choice(("ky", "ru")),
                    attachments=[photo] if seq % 50 == 0 else [],
                )
                envelope = dataclasses.replace(
                    envelope, reply_public=base64.b64encode(writer_public).decode()
                )
                ciphertext = crypto.seal_for_box(public, envelope.to_bytes())
                row = SealedAppeal(
                    school=school,
                    box_key=box_key,
                    seq=seq,
                    received_on=today,
                    urgent=envelope.urgent,
                    ciphertext=ciphertext,
                    receipt_lookup=os.urandom(32).hex(),
                    writer_key_locked=writer_locked,
                    prev_hash=head,
                )
                row.chain_hash = crypto.chain_link(head, ciphertext, row.chain_metadata())
                head = row.chain_hash
                rows.append(row)
            SealedAppeal.objects.bulk_create(rows)
        box.count, box.head = seq, head
        box.save(update_fields=["count", "head"])


def box_privates(school: Any) -> dict[int, bytes]:
    """The private half of the box key and of every key it replaced, put together from three
    members' shares, for the baseline loops (appeals stay sealed to the key they came under)."""
    from trustbox.accounts.models import User
    from trustbox.demo.builders import DEMO_PASSWORD
    from trustbox.openings.services import _private_keys
    from trustbox.seal import crypto
    from trustbox.seal.models import BoxKey
    from trustbox.seal.services import share_unlock

    box_key = BoxKey.objects.current(school)
    shares = [
        share_unlock(box_key=box_key, user=User.objects.get(username=login), password=DEMO_PASSWORD)
        for login in MEMBERS
    ]
    return _private_keys(box_key, crypto.combine_box_key(shares))


Sealed = list[tuple[int, bytes]]  # (box key, ciphertext) of each appeal in the box


def waiting_ciphertexts(school: Any) -> Sealed:
    from trustbox.box.models import SealedAppeal

    return [
        (key, bytes(c))
        for key, c in SealedAppeal.objects.filter(school=school, opened=False)
        .order_by("seq")
        .values_list("box_key_id", "ciphertext")
    ]


def _opened_by(privates: dict[int, bytes]) -> dict[int, Any]:
    from nacl.public import PrivateKey, SealedBox

    return {key: SealedBox(PrivateKey(private)) for key, private in privates.items()}


def bare_open_loop(privates: dict[int, bytes], sealed: Sealed, result: dict[str, Any]) -> None:
    boxes = _opened_by(privates)

    def loop() -> None:
        for key, ciphertext in sealed:
            boxes[key].decrypt(ciphertext)

    best_of(result, "bare_open_loop", loop)


def bare_open_and_seal_again_loops(
    privates: dict[int, bytes], sealed: Sealed, result: dict[str, Any]
) -> None:
    """The cryptography an opening cannot avoid, alone: open each envelope, seal it again.

    Sealed again to the registry key as before November 2026 (a sealed box: a new key pair and
    two X25519 operations per appeal), and as now (one X25519 agreement per opening, then
    XSalsa20-Poly1305 per appeal: nacl.public.Box precomputes the shared key).
    """
    from nacl.public import Box, PrivateKey, SealedBox

    boxes = _opened_by(privates)
    registry = PrivateKey.generate().public_key
    sealed_box = SealedBox(registry)

    def before() -> None:
        for key, ciphertext in sealed:
            sealed_box.encrypt(boxes[key].decrypt(ciphertext))

    def now() -> None:
        box = Box(PrivateKey.generate(), registry)
        for key, ciphertext in sealed:
            box.encrypt(boxes[key].decrypt(ciphertext))

    best_of(result, "bare_open_and_sealed_box_loop", before)
    best_of(result, "bare_open_and_precomputed_box_loop", now)


def bare_reseal_loop(privates: dict[int, bytes], sealed: Sealed, result: dict[str, Any]) -> None:
    from nacl.public import PrivateKey, SealedBox

    boxes = _opened_by(privates)
    new = SealedBox(PrivateKey.generate().public_key)

    def loop() -> None:
        for key, ciphertext in sealed:
            new.encrypt(boxes[key].decrypt(ciphertext))

    best_of(result, "bare_reseal_loop", loop)


def gathered(purpose: str, result: dict[str, Any]) -> tuple[Any, bytes, Any]:
    """Start a gathering and let three members join with their passwords (timed)."""
    from trustbox.accounts.models import User
    from trustbox.demo.builders import DEMO_PASSWORD
    from trustbox.openings.gathering import opening_code, opening_join, opening_start
    from trustbox.schools.models import School

    school = School.objects.get(slug="myrzakmatov")
    chair = User.objects.get(username="chair")
    with timed(result, "gather_three_members"):
        opening, browser_key = opening_start(school=school, by=chair, purpose=purpose)
        for login in MEMBERS:
            opening_join(
                opening=opening,
                member=User.objects.get(username=login),
                password=DEMO_PASSWORD,
                session_code=opening_code(opening),
            )
    return opening, browser_key, chair


def phase_prepare(count: int) -> dict[str, Any]:
    from django.core.management import call_command

    from trustbox.box.chain import chain_verify
    from trustbox.box.models import SealedAppeal
    from trustbox.demo.builders import demo_create

    result: dict[str, Any] = {}
    call_command("migrate", verbosity=0)
    school = demo_create()
    with timed(result, "seal_in_bulk"):
        sealed_bulk_create(school, count)
    result["in_box"] = SealedAppeal.objects.filter(school=school, opened=False).count()
    damage = chain_verify(school=school)
    assert not damage, damage
    result["ciphertext_mb"] = round(
        sum(len(c) for _key, c in waiting_ciphertexts(school)) / 1024 / 1024, 1
    )
    return result


def phase_rekey() -> dict[str, Any]:
    from trustbox.openings.models import Opening
    from trustbox.openings.renewal import rekey_finish

    result: dict[str, Any] = {}
    opening, browser_key, chair = gathered(Opening.Purpose.REKEY, result)
    privates = box_privates(opening.school)
    ciphertexts = waiting_ciphertexts(opening.school)
    result["appeals_in_box"] = len(ciphertexts)
    bare_reseal_loop(privates, ciphertexts, result)
    del ciphertexts
    rss_before = rss_mb(os.getpid())
    peak_rss_reset()
    with timed(result, "rekey_finish"), queries_counted(result, "rekey_finish"):
        rekey_finish(opening=opening, by=chair, browser_key=browser_key)
    result["rss_before_mb"] = rss_before
    result["peak_rss_mb"] = rss_mb(os.getpid(), "VmHWM")
    result["ratio_to_bare_reseal_loop"] = round(
        result["bare_reseal_loop_seconds"] / max(result["rekey_finish_seconds"], 1e-9), 2
    )
    return result


def phase_open() -> dict[str, Any]:
    from trustbox.openings.services import opening_open
    from trustbox.registry.models import Appeal

    result: dict[str, Any] = {}
    opening, browser_key, chair = gathered("open", result)
    privates = box_privates(opening.school)
    ciphertexts = waiting_ciphertexts(opening.school)
    count = len(ciphertexts)
    result["appeals"] = count
    bare_open_loop(privates, ciphertexts, result)
    bare_open_and_seal_again_loops(privates, ciphertexts, result)
    del ciphertexts
    rss_before = rss_mb(os.getpid())
    peak_rss_reset()
    with timed(result, "opening_open"), queries_counted(result, "opening_open"):
        opened = opening_open(opening=opening, by=chair, browser_key=browser_key)
    result["rss_before_mb"] = rss_before
    result["peak_rss_mb"] = rss_mb(os.getpid(), "VmHWM")
    result["peak_rss_growth_mb"] = round(result["peak_rss_mb"] - rss_before, 1)
    assert opened.damage == [], opened.damage
    assert Appeal.objects.filter(opening=opened).count() == count
    result["queries_per_appeal"] = round(result["opening_open_queries"] / max(count, 1), 2)
    result["opened_per_second"] = round(count / result["opening_open_seconds"], 1)
    result["bare_loop_per_second"] = round(count / result["bare_open_loop_seconds"], 1)
    result["ratio_to_bare_loop"] = round(
        result["bare_open_loop_seconds"] / result["opening_open_seconds"], 3
    )
    # The best ratio the cryptography itself allows, today and with a precomputed box.
    result["crypto_floor_ratio_sealed_box"] = round(
        result["bare_open_loop_cpu_seconds"] / result["bare_open_and_sealed_box_loop_cpu_seconds"],
        3,
    )
    result["crypto_floor_ratio_precomputed_box"] = round(
        result["bare_open_loop_cpu_seconds"]
        / result["bare_open_and_precomputed_box_loop_cpu_seconds"],
        3,
    )
    result["ratio_to_bare_loop_by_cpu"] = round(
        result["bare_open_loop_cpu_seconds"] / max(result["opening_open_cpu_seconds"], 1e-9), 3
    )
    return result


PHASES = {"prepare": phase_prepare, "rekey": phase_rekey, "open": phase_open}


def run_phase(name: str, data_dir: Path, count: int, database_url: str = "") -> dict[str, Any]:
    env = {k: v for k, v in os.environ.items() if k != "DATABASE_URL"}
    env.update(TRUSTBOX_DATA_DIR=str(data_dir), PYTHONDONTWRITEBYTECODE="1")
    if database_url:
        env["DATABASE_URL"] = database_url
    done = subprocess.run(  # noqa: S603 (our own command line)
        [PYTHON, __file__, "--phase", name, "--appeals", str(count)],
        cwd=ROOT,
        env=env,
        check=False,
        capture_output=True,
        text=True,
    )
    if done.returncode != 0:
        raise RuntimeError(f"the {name} phase failed:\n{done.stderr}")
    return json.loads(done.stdout)


def main() -> None:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--quick", action="store_true", help="2,000 appeals")
    parser.add_argument("--appeals", type=int)
    parser.add_argument(
        "--database-url", default="", help="an empty PostgreSQL database to use instead of SQLite"
    )
    parser.add_argument("--phase", choices=sorted(PHASES), help=argparse.SUPPRESS)
    args = parser.parse_args()
    count = args.appeals or (2000 if args.quick else 10000)
    if args.phase:
        from bench.common import django_setup

        django_setup(sqlite="DATABASE_URL" not in os.environ)
        phase = PHASES[args.phase]
        print(json.dumps(phase(count) if args.phase == "prepare" else phase()))
        return

    database = "postgresql" if args.database_url else "sqlite"
    result: dict[str, Any] = {"benchmark": "opening", "machine": machine(), "database": database}
    data_dir = scratch_dir() / "data"
    data_dir.mkdir()
    for phase in ("prepare", "rekey", "open"):
        result[phase] = run_phase(phase, data_dir, count, args.database_url)
    opened = result["open"]
    result["summary"] = {
        "appeals": opened["appeals"],
        "opening_open_seconds": opened["opening_open_seconds"],
        "opened_per_second": opened["opened_per_second"],
        "bare_loop_per_second": opened["bare_loop_per_second"],
        "ratio_to_bare_loop": opened["ratio_to_bare_loop"],
        "ratio_to_bare_loop_by_cpu": opened["ratio_to_bare_loop_by_cpu"],
        "queries_per_appeal": opened["queries_per_appeal"],
        "crypto_floor_ratio_sealed_box": opened["crypto_floor_ratio_sealed_box"],
        "crypto_floor_ratio_precomputed_box": opened["crypto_floor_ratio_precomputed_box"],
        "peak_rss_mb": opened["peak_rss_mb"],
        "rekey_finish_seconds": result["rekey"]["rekey_finish_seconds"],
        "rekey_ratio_to_bare_reseal_loop": result["rekey"]["ratio_to_bare_reseal_loop"],
        "goals": {"ratio_to_bare_loop": 0.3},
    }
    emit(result)


if __name__ == "__main__":
    main()
