"""An install with a sealed box, made once and copied for every fault, and how to kill it."""

from __future__ import annotations

import json
import shutil
import signal
import tempfile
from pathlib import Path
from typing import Any

from trustbox.core.tests.processes import run_script, run_script_to_its_end, run_trustbox

# Every child lowers the derivation costs as the test suite does (a locked key carries its own
# cost, so children agree), and has a way to die on the spot, as a killed server does: no
# exception handler, no rollback, no atomic block's exit runs.
CHILD = """
import json, os, signal, sys
from trustbox.seal import crypto
crypto.kdf_costs_lower_for_tests()

def die(*args, **kwargs):
    sys.stdout.flush()
    os.kill(os.getpid(), signal.SIGKILL)
"""

SETUP = """
from trustbox.box.envelope import Category, Envelope, Kind
from trustbox.box.services import appeal_submit
from trustbox.schools.models import District
from trustbox.seal.services import box_key_create, member_key_set
from trustbox.test import PASSWORD, make_school_with_commission

district = District.objects.create(name="Ala-Too", slug="ala-too")
made = make_school_with_commission("alatoo", district)
school = made["school"]
for member in made["members"]:
    member_key_set(user=member, password=PASSWORD, school=school)
box_key_create(school=school, by=made["members"][1])
for number in range(1, APPEALS + 1):
    appeal_submit(
        school=school,
        envelope=Envelope(kind=Kind.COMPLAINT, category=Category.BULLYING, text=f"appeal {number}"),
    )
"""

# What the box and the registry hold, as JSON: the parent judges it.
STATE = """
from trustbox.box.models import Box, SealedAppeal
from trustbox.box.chain import chain_verify
from trustbox.openings.models import Opening
from trustbox.registry.models import Appeal
from trustbox.schools.models import School

school = School.objects.get(slug="alatoo")
box = Box.objects.get(school=school)
print(json.dumps({
    "sealed": sorted(SealedAppeal.objects.values_list("seq", flat=True)),
    "in_box": sorted(SealedAppeal.objects.in_box().values_list("seq", flat=True)),
    "box_count": box.count,
    "damage": [[d.seq, d.what] for d in chain_verify(school=school)],
    "registry": sorted(Appeal.objects.values_list("sealed_appeal__seq", flat=True)),
    "openings": sorted(Opening.objects.values_list("status", flat=True)),
    "shares_kept": sum(
        1 for opening in Opening.objects.all() for p in opening.participants.all()
        if p.sealed_share
    ),
}))
"""


class Install:
    """A data directory with a school, its commission, a box key and some appeals in the box."""

    def __init__(self, template: Path, appeals: int) -> None:
        self.template, self.appeals = template, appeals

    @classmethod
    def make(cls, appeals: int) -> Install:
        folder = Path(tempfile.mkdtemp())
        data_dir = folder / "data"
        run_trustbox("migrate", "--no-input", "-v", "0", data_dir=data_dir)
        run_script(CHILD + SETUP.replace("APPEALS", str(appeals)), data_dir=data_dir)
        return cls(data_dir, appeals)

    def remove(self) -> None:
        shutil.rmtree(self.template.parent)

    def copy(self) -> Path:
        """A fresh copy of the install, as a server that starts on it finds it."""
        target = Path(tempfile.mkdtemp()) / "data"
        shutil.copytree(self.template, target)
        return target


def run_until_killed(script: str, data_dir: Path) -> str:
    """Run a child that must die by SIGKILL where the script makes it; return what it printed."""
    result = run_script_to_its_end(CHILD + script, data_dir=data_dir)
    if result.returncode != -signal.SIGKILL:
        raise AssertionError(
            f"the child was not killed (exit {result.returncode}):\n"
            f"{result.stdout}\n{result.stderr}"
        )
    return result.stdout


def run_child(script: str, data_dir: Path) -> str:
    return run_script(CHILD + script, data_dir=data_dir)


def printed_json(printed: str) -> list[Any]:
    """Every line a child printed as JSON, in order."""
    return [json.loads(line) for line in printed.splitlines() if line.startswith(("{", "["))]


def state(data_dir: Path) -> dict[str, Any]:
    """What the box and the registry of an install hold (STATE)."""
    found: dict[str, Any] = printed_json(run_child(STATE, data_dir))[-1]
    return found
