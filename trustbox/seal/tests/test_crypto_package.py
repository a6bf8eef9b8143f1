"""seal.crypto is one package split by subject; everything is read from the package itself."""

from __future__ import annotations

import ast
import importlib
from pathlib import Path

from trustbox.seal import crypto

PACKAGE = Path(crypto.__file__).parent
MODULES = sorted(path.stem for path in PACKAGE.glob("*.py") if path.stem != "__init__")


def public_names(module_name: str) -> set[str]:
    """The functions, classes and constants a module of the package defines at its top."""
    tree = ast.parse((PACKAGE / f"{module_name}.py").read_text(encoding="utf-8"))
    names: set[str] = set()
    for node in tree.body:
        if isinstance(node, ast.FunctionDef | ast.ClassDef):
            names.add(node.name)
        elif isinstance(node, ast.Assign):
            names.update(target.id for target in node.targets if isinstance(target, ast.Name))
    return {name for name in names if not name.startswith("_")}


def test_the_package_is_split_by_subject_into_its_modules():
    assert MODULES == [
        "browser",
        "codes",
        "envelopes",
        "passwords",
        "receipts",
        "shares",
        "signatures",
    ]


def test_every_public_name_of_every_module_is_read_from_the_package_as_the_same_object():
    for module_name in MODULES:
        module = importlib.import_module(f"trustbox.seal.crypto.{module_name}")
        for name in public_names(module_name):
            assert name in crypto.__all__, f"{module_name}.{name} is not exported"
            assert getattr(crypto, name) is getattr(module, name)


def test_lowering_the_costs_for_tests_lowers_what_receipts_derive_with():
    # One table of costs, shared by the passwords and the receipts (conftest lowers it once).
    from trustbox.seal.crypto import passwords, receipts

    assert crypto._costs is passwords._costs is receipts._costs
    assert crypto.receipt_cost("1" * crypto.RECEIPT_DIGITS) == crypto.TEST_KDF
