"""Run every benchmark, one after another, and print one JSON document with the figures.

    .venv/bin/python bench/run.py            # the whole run (10 min on the shared 2-core machine)
    .venv/bin/python bench/run.py --quick    # shorter and smaller (4.5 min there)
    .venv/bin/python -m bench --only throughput,opening --out figures.json

Each benchmark runs in its own process on its own scratch install, with its baseline measured
in the same run. "figures" sets each measured figure beside its goal (../shared/DESIGN.md).
"""

from __future__ import annotations

import argparse
import json
import subprocess
import sys
import time
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from bench.common import PYTHON, ROOT, emit, machine

BENCHMARKS = ["throughput", "opening", "registry", "box", "profiling"]
TIMEOUT = 20 * 60


def run_one(name: str, quick: bool) -> dict[str, Any]:
    command = [PYTHON, str(ROOT / "bench" / f"{name}.py")] + (["--quick"] if quick else [])
    started = time.monotonic()
    done = subprocess.run(  # noqa: S603 (our own command line)
        command, cwd=ROOT, capture_output=True, text=True, timeout=TIMEOUT, check=False
    )
    if done.returncode != 0:
        return {"failed": done.returncode, "stderr": done.stderr[-3000:]}
    result = json.loads(done.stdout)
    result["bench_seconds"] = round(time.monotonic() - started, 1)
    return result


def figure(measured: Any, goal: float, *, at_most: bool = False) -> dict[str, Any]:
    if measured is None:
        return {"measured": None, "goal": goal, "met": None}
    met = measured <= goal if at_most else measured >= goal
    return {"measured": measured, ("at_most" if at_most else "at_least"): goal, "met": met}


def figures(results: dict[str, Any]) -> dict[str, Any]:
    """Every figure of the design's table beside its goal."""
    out: dict[str, Any] = {}
    throughput = results.get("throughput", {}).get("summary")
    if throughput:
        out["appeals_per_second"] = figure(throughput["appeals_per_second"], 100)
        out["appeals_per_second_if_all_cores_served"] = figure(
            throughput["appeals_per_second_if_all_cores_served"], 100
        )
        out["p95_ms"] = figure(throughput["p95_ms"], 300, at_most=True)
        out["errors"] = figure(throughput["errors"], 0, at_most=True)
        out["ratio_to_bare_django_ceiling"] = figure(throughput["ratio_to_ceiling"], 0.1)
        out["ratio_to_bare_django_ceiling_by_cpu"] = figure(
            throughput["ratio_to_ceiling_by_cpu"], 0.1
        )
        out["times_globaleaks_per_submission"] = figure(throughput["times_globaleaks"], 100)
        out["worker_rss_mb"] = figure(throughput["worker_rss_mb_max"], 150, at_most=True)
        out["form_page_with_css_kb"] = figure(throughput["form_with_css_kb"], 30, at_most=True)
    opening = results.get("opening", {}).get("summary")
    if opening:
        out["opening_ratio_to_bare_libsodium"] = figure(opening["ratio_to_bare_loop"], 0.3)
        out["opening_ratio_to_bare_libsodium_by_cpu"] = figure(
            opening["ratio_to_bare_loop_by_cpu"], 0.3
        )
        out["rekey_ratio_to_bare_reseal_loop"] = figure(
            opening["rekey_ratio_to_bare_reseal_loop"], 0.3
        )
    registry = results.get("registry", {}).get("summary")
    if registry:
        out["registry_page_ms_p95"] = figure(registry["worst_page_ms_p95"], 200, at_most=True)
        out["registry_page_cpu_ms_median"] = figure(
            registry["worst_page_cpu_ms_median"], 200, at_most=True
        )
    return out


def main() -> None:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--quick", action="store_true", help="shorter runs, smaller data")
    parser.add_argument("--only", help="a comma-separated choice of " + ", ".join(BENCHMARKS))
    parser.add_argument("--out", type=Path, help="also write the JSON document to this file")
    args = parser.parse_args()
    chosen = args.only.split(",") if args.only else BENCHMARKS
    unknown = set(chosen) - set(BENCHMARKS)
    if unknown:
        parser.error(f"unknown benchmarks: {', '.join(sorted(unknown))}")

    started = time.monotonic()
    document: dict[str, Any] = {
        "command": " ".join(["python", "bench/run.py", *sys.argv[1:]]),
        "started_at": time.strftime("%Y-%m-%d %H:%M:%S %Z"),
        "machine": machine(),
        "quick": args.quick,
    }
    results: dict[str, Any] = {}
    for name in chosen:
        print(f"bench: {name}…", file=sys.stderr, flush=True)
        results[name] = run_one(name, args.quick)
    document["figures"] = figures(results)
    document["benchmarks"] = results
    document["seconds"] = round(time.monotonic() - started, 1)
    if args.out:
        args.out.write_text(json.dumps(document, indent=2, ensure_ascii=False) + "\n")
    emit(document)
    if any("failed" in r for r in results.values()):
        sys.exit(1)


if __name__ == "__main__":
    main()
