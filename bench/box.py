"""Sealing one appeal in one process: appeal_submit against its parts. Prints JSON.

`appeal_submit` (one Argon2id receipt derivation, the writer's reply key, one sealed box, one
chained row in its own transaction) is timed N times on the demo school, and in the same run
each part alone: the receipt derivation (the floor that the receipt's protection sets), the
sealing and the chain link. No HTTP: bench/throughput.py measures the form end to end.

    .venv/bin/python bench/box.py [--quick] [--appeals 300]
"""

from __future__ import annotations

import argparse
import os
import statistics
import sys
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from bench.common import django_setup, emit, latency_summary, machine


def each(call: Callable[[], Any], count: int) -> tuple[list[float], float]:
    """Wall seconds of each call, and the CPU seconds of them all."""
    times = []
    cpu = time.process_time()
    for _ in range(count):
        t0 = time.perf_counter()
        call()
        times.append(time.perf_counter() - t0)
    return times, time.process_time() - cpu


# A GPU-ish attacker: Argon2id is bound by memory traffic (each pass reads two 1 KiB blocks
# and writes one for every block of its memory). A current high-end GPU moves about 1 TB/s;
# we grant the attacker half of it, and rent such a GPU at about $0.50 an hour.
GPU_BYTES_PER_SECOND = 0.5e12
GPU_DOLLARS_PER_HOUR = 0.5
SCHOOL_APPEALS = 1000  # receipts of one school, tested at once by each derivation with its salt
YEAR = 365.25 * 24 * 3600


def guessing_cost(derivation_cpu_seconds: float, opslimit: int, memlimit: int) -> dict[str, Any]:
    """What guessing receipt codes offline costs, with a stolen database, at these parameters.

    One derivation with a school's salt tests a guess against every receipt of that school.
    """
    from trustbox.seal import crypto

    space = 10 ** (crypto.RECEIPT_GROUPS * crypto.RECEIPT_GROUP_DIGITS)
    gpu_per_second = GPU_BYTES_PER_SECOND / (3 * memlimit * opslimit)
    one_code = space / 2  # the receipt of one given appeal, on average
    any_code = space / (SCHOOL_APPEALS + 1)  # the first of a school's receipts, on average

    def cost(guesses: float) -> dict[str, float]:
        gpu_seconds = guesses / gpu_per_second
        return {
            "core_years": float(f"{guesses * derivation_cpu_seconds / YEAR:.3g}"),
            "gpu_years": float(f"{gpu_seconds / YEAR:.3g}"),
            "gpu_dollars": float(f"{gpu_seconds / 3600 * GPU_DOLLARS_PER_HOUR:.3g}"),
        }

    return {
        "code_space": space,
        "derivation_cpu_ms_here": round(derivation_cpu_seconds * 1000, 2),
        "gpu_derivations_per_second_assumed": round(gpu_per_second),
        "one_given_receipt": cost(one_code),
        f"any_receipt_of_a_school_with_{SCHOOL_APPEALS}": cost(any_code),
    }


def durability(submit: Callable[[], Any], count: int) -> dict[str, Any]:
    """appeal_submit with SQLite's synchronous=FULL (the install's) against NORMAL, same run.

    FULL syncs the write-ahead log at each commit, so a receipt shown is on the disk; NORMAL
    (the setting before issue 23) may lose the last commits to a power cut. Alternate blocks
    of ten, so that the machine's other work falls on both alike.
    """
    from django.db import connection

    times: dict[str, list[float]] = {"FULL": [], "NORMAL": []}
    for block in range(max(count // 10, 2)):
        mode = "FULL" if block % 2 == 0 else "NORMAL"
        with connection.cursor() as cursor:
            cursor.execute(f"PRAGMA synchronous={mode}")
        times[mode] += each(submit, 10)[0]
    with connection.cursor() as cursor:
        cursor.execute("PRAGMA synchronous=FULL")
    median = {mode: statistics.median(values) * 1000 for mode, values in times.items()}
    return {
        "appeal_submit_ms_median_synchronous_full": round(median["FULL"], 2),
        "appeal_submit_ms_median_synchronous_normal": round(median["NORMAL"], 2),
        "full_over_normal": round(median["FULL"] / median["NORMAL"], 2),
    }


def main() -> None:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--quick", action="store_true", help="100 appeals")
    parser.add_argument("--appeals", type=int)
    args = parser.parse_args()
    count = args.appeals or (100 if args.quick else 300)

    django_setup(sqlite=True)
    from django.core.management import call_command

    from trustbox.box.envelope import Envelope
    from trustbox.box.services import appeal_submit, box_for
    from trustbox.demo.builders import demo_create
    from trustbox.seal import crypto

    call_command("migrate", verbosity=0)
    school = demo_create()
    envelope = Envelope(kind="complaint", category="bullying", text="Бенчмарк " * 60)
    salt = bytes(box_for(school).receipt_salt)
    public = crypto.box_keypair_generate().public
    plaintext = envelope.to_bytes()
    code = crypto.receipt_code_generate()

    submit, submit_cpu = each(lambda: appeal_submit(school=school, envelope=envelope), count)
    derive, derive_cpu = each(lambda: crypto.receipt_derive(code, salt), count)
    seal, _ = each(lambda: crypto.seal_for_box(public, plaintext), count)
    writer, _ = each(lambda: crypto.writer_key_make(os.urandom(32)), count)
    chain, _ = each(lambda: crypto.chain_link(b"\0" * 32, plaintext, [1, 2, "x"]), count)

    median = {k: statistics.median(v) * 1000 for k, v in {"s": submit, "d": derive}.items()}
    result: dict[str, Any] = {
        "benchmark": "box",
        "machine": machine(),
        "appeals": count,
        "appeal_submit": {
            "per_second_one_process": round(count / sum(submit), 1),
            "cpu_ms_each": round(submit_cpu / count * 1000, 2),
            **latency_summary(submit),
        },
        "parts_ms_median": {
            "receipt_derivation": round(median["d"], 2),
            "writer_reply_key": round(statistics.median(writer) * 1000, 3),
            "seal_for_box": round(statistics.median(seal) * 1000, 3),
            "chain_link": round(statistics.median(chain) * 1000, 3),
        },
        "receipt_derivation_cpu_ms_each": round(derive_cpu / count * 1000, 2),
        "receipt_kdf": {
            "opslimit": crypto.RECEIPT_KDF.opslimit,
            "memlimit_mib": crypto.RECEIPT_KDF.memlimit // (1024 * 1024),
        },
        "receipt_share_of_submit": round(median["d"] / median["s"], 2),
        "durability": durability(lambda: appeal_submit(school=school, envelope=envelope), count),
        "offline_guessing": guessing_cost(
            derive_cpu / count, crypto.RECEIPT_KDF.opslimit, crypto.RECEIPT_KDF.memlimit
        ),
    }
    emit(result)


if __name__ == "__main__":
    main()
