"""The security documents name tests: each named test must exist, so no claim outlives its proof."""

from __future__ import annotations

import ast
import re
from pathlib import Path

import pytest
from django.test import SimpleTestCase

ROOT = Path(__file__).resolve().parents[3]
DOCS = [*sorted((ROOT / "docs").glob("security*.md")), ROOT / "docs" / "privacy.md"]

# `trustbox/x/tests/test_y.py::Class::test_z`, `x/tests/test_y.py::test_z`, `…::Class::test_z`,
# `…::test_z` (the same file, or file and class, as the reference before), and bare `test_z`.
REFERENCE = re.compile(r"`((?:[\w/]+\.py|…)(?:::\w+)+|test_\w+)`")


def _tests_by_file() -> dict[Path, dict[str, set[str]]]:
    """For each test file: its classes and their test methods ("" for module-level tests)."""
    found: dict[Path, dict[str, set[str]]] = {}
    for path in [*ROOT.glob("trustbox/**/tests/**/test_*.py"), *ROOT.glob("tests/**/test_*.py")]:
        tree = ast.parse(path.read_text())
        names: dict[str, set[str]] = {"": set()}
        for node in tree.body:
            if isinstance(node, ast.FunctionDef) and node.name.startswith("test"):
                names[""].add(node.name)
            elif isinstance(node, ast.ClassDef):
                names[node.name] = {
                    item.name
                    for item in node.body
                    if isinstance(item, ast.FunctionDef) and item.name.startswith("test")
                }
                # A case runs the tests of its base classes of the same module too.
                for base in node.bases:
                    if isinstance(base, ast.Name) and base.id in names:
                        names[node.name] |= names[base.id]
        found[path] = names
    return found


def _file(reference: str) -> Path | None:
    for base in (ROOT, ROOT / "trustbox"):
        if (base / reference).is_file():
            return base / reference
    return None


# Run on SQLite only (scripts/test.sh): the documents' text, no database.
@pytest.mark.database_independent
class SecurityDocsTestCase(SimpleTestCase):
    def test_every_test_a_security_document_names_exists(self):
        tests = _tests_by_file()
        every_name = {name for file in tests.values() for names in file.values() for name in names}
        every_class = {cls for file in tests.values() for cls in file if cls}
        for doc in DOCS:
            if not doc.exists():
                continue
            path: Path | None = None
            cls = ""
            for reference in REFERENCE.findall(doc.read_text()):
                with self.subTest(doc=doc.name, reference=reference):
                    if "::" not in reference:
                        self.assertIn(reference, every_name)
                        continue
                    head, *parts = reference.split("::")
                    if head != "…":
                        path = _file(head)
                        self.assertIsNotNone(path, f"no file {head}")
                        cls = ""
                    assert path is not None, "a … reference needs one with a file before it"
                    if parts and parts[0] in every_class:
                        cls = parts.pop(0)
                        if head == "…" and cls not in tests[path]:
                            # "…" in a table may mean "the file named a few rows up": the class
                            # must then be found in exactly one test file.
                            near = [p for p in tests if cls in tests[p]]
                            self.assertEqual(len(near), 1, f"{cls} in one test file")
                            path = near[0]
                        self.assertIn(cls, tests[path], f"{cls} is not in {path.name}")
                    for name in parts:
                        if name == "*":
                            continue
                        self.assertIn(name, tests[path].get(cls, set()) | tests[path][""])

    def test_the_threat_model_links_every_part(self):
        text = (ROOT / "docs" / "security.md").read_text()
        for part in ("security-keys.md", "security-chain.md", "security-limits.md"):
            self.assertIn(part, text)
            self.assertTrue((ROOT / "docs" / part).exists(), part)
