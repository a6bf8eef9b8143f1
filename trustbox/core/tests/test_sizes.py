"""No module of trustbox/ over 500 lines and no function over 60 (issue 20, point 6).

Why: a reviewer reads a change whole. A module past 500 lines holds more than one subject (the
house splits by subject, as Zulip splits its actions: an opening's ceremony apart from the
renewal of keys), and a function past 60 lines no longer fits on one screen, so its branches
are read in pieces and copied rather than called (the clause functions of compliance were
60-140 lines, and adding a clause meant copying one). The limits are a rule of the house
(issue 20); this test keeps them.

Tests (`tests/` folders) and migrations are left out: a test class is a list of sentences, and
migrations are written by Django. Lines are counted as they are in the file (docstrings and
comments too: they are read as well); a function is measured by `ast`, from its `def` line to
its last line (end_lineno - lineno + 1), with methods named `Class.method` and inner functions
`outer.inner`.

Today some modules and functions still exceed the limits while they are being split: each is
listed in ALLOWED with its length now. The list can only shrink: a new offender fails, an
allowed one that grew fails, and one that no longer exceeds the limit fails until it is taken
off the list (so the list says the truth).
"""

from __future__ import annotations

import ast
from collections.abc import Iterator
from pathlib import Path

from django.test import SimpleTestCase

MODULE_LIMIT = 500
FUNCTION_LIMIT = 60

ROOT = Path(__file__).resolve().parents[2]  # trustbox/
LEFT_OUT = {"tests", "migrations"}

# (path under trustbox/, "" for the module itself or the function's qualified name): lines now.
ALLOWED: dict[tuple[str, str], int] = {}


def functions_measured(tree: ast.AST, prefix: str = "") -> Iterator[tuple[str, int]]:
    """(qualified name, lines) of every function and method in the tree, inner ones too."""
    for node in ast.iter_child_nodes(tree):
        if isinstance(node, ast.FunctionDef | ast.AsyncFunctionDef):
            name = prefix + node.name
            yield name, (node.end_lineno or node.lineno) - node.lineno + 1
            yield from functions_measured(node, name + ".")
        elif isinstance(node, ast.ClassDef):
            yield from functions_measured(node, prefix + node.name + ".")
        else:
            yield from functions_measured(node, prefix)


def sizes(root: Path) -> dict[tuple[str, str], int]:
    """Every module's and function's length under root, tests and migrations left out."""
    found: dict[tuple[str, str], int] = {}
    for path in sorted(root.rglob("*.py")):
        relative = path.relative_to(root)
        if LEFT_OUT & set(relative.parts):
            continue
        source = path.read_text(encoding="utf-8")
        found[(relative.as_posix(), "")] = len(source.splitlines())
        for name, lines in functions_measured(ast.parse(source, filename=str(path))):
            found[(relative.as_posix(), name)] = lines
    return found


def over_limit(found: dict[tuple[str, str], int]) -> dict[tuple[str, str], int]:
    return {
        key: lines
        for key, lines in found.items()
        if lines > (MODULE_LIMIT if key[1] == "" else FUNCTION_LIMIT)
    }


def said(items: dict[tuple[str, str], int]) -> str:
    return "\n".join(
        f"  {path} {name or '(module)'}: {lines}" for (path, name), lines in items.items()
    )


class SizesTestCase(SimpleTestCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.found = sizes(ROOT)
        cls.over = over_limit(cls.found)

    def test_the_measure_reads_every_module_and_its_functions(self):
        self.assertIn(("core/todo.py", ""), self.found)
        self.assertIn(("core/apps.py", "CoreConfig.ready"), self.found)
        self.assertFalse([key for key in self.found if "tests" in Path(key[0]).parts])

    def test_a_function_is_measured_from_its_def_to_its_last_line(self):
        lines = ["class A:", "    def f(self):"] + [f"        x{i} = {i}" for i in range(60)]
        lines += [
            "",
            "",
            "def g():",
            "    def inner():",
            "        return 1",
            "",
            "    return inner",
        ]
        source = "\n".join(lines) + "\n"
        measured = dict(functions_measured(ast.parse(source)))
        self.assertEqual(measured["A.f"], 61)  # the def line and 60 lines of body
        self.assertEqual(measured["g"], 5)
        self.assertEqual(measured["g.inner"], 2)
        self.assertEqual(
            over_limit({("x.py", name): n for name, n in measured.items()}), {("x.py", "A.f"): 61}
        )

    def test_no_new_module_over_500_lines_or_function_over_60(self):
        new = {key: lines for key, lines in self.over.items() if key not in ALLOWED}
        self.assertFalse(new, f"Over the limit (split by subject):\n{said(new)}")

    def test_no_allowed_module_or_function_grew(self):
        grown = {
            key: lines
            for key, lines in self.over.items()
            if key in ALLOWED and lines > ALLOWED[key]
        }
        self.assertFalse(grown, f"Grown past their allowance (lines now):\n{said(grown)}")

    def test_the_allowlist_only_names_what_still_exceeds_the_limit(self):
        gone = {key: ALLOWED[key] for key in ALLOWED if key not in self.over}
        self.assertFalse(
            gone, f"Within the limit now (or gone): take them off ALLOWED:\n{said(gone)}"
        )
