"""The `database_independent` marker (scripts/test.sh runs such tests on SQLite only) is never
put on a test whose subject is the database: a module named for PostgreSQL, concurrency or
transactions, or one that reaches for what differs between the two databases."""

from __future__ import annotations

import ast
import re
from pathlib import Path

import pytest
from django.test import SimpleTestCase

ROOT = Path(__file__).resolve().parents[3]
MARKER = "database_independent"
NAMED_FOR_THE_DATABASE = re.compile(r"postgres|concurren|transaction|durab|database", re.I)
# What a test reaches for when the database it runs on is its subject.
DATABASE_SPECIFIC = (
    "TransactionTestCase",
    "select_for_update",
    "connection.vendor",
    "connections[",
    "execute_wrapper",
    "DATABASE_URL",
    "transaction.atomic",
    "on_commit",
    "IntegrityError",
)


def _is_marker(node: ast.AST) -> bool:
    return any(isinstance(n, ast.Attribute) and n.attr == MARKER for n in ast.walk(node))


def marked(path: Path) -> list[tuple[str, str]]:
    """What a module marks: (the module or the class or test marked, its source)."""
    text = path.read_text(encoding="utf-8")
    tree = ast.parse(text)
    found = []
    for node in tree.body:
        if isinstance(node, ast.Assign) and _is_marker(node.value):
            found.append(("module", text))  # pytestmark: every test of the module
        elif isinstance(node, ast.ClassDef | ast.FunctionDef):
            if any(_is_marker(decorator) for decorator in node.decorator_list):
                found.append((node.name, ast.get_source_segment(text, node) or ""))
            for inner in ast.walk(node):
                if (
                    inner is not node
                    and isinstance(inner, ast.FunctionDef)
                    and any(_is_marker(decorator) for decorator in inner.decorator_list)
                ):
                    found.append((inner.name, ast.get_source_segment(text, inner) or ""))
    return found


def marked_modules() -> dict[Path, list[tuple[str, str]]]:
    """Every test module that puts the marker on a test, a class or itself."""
    paths = [
        *ROOT.joinpath("trustbox").rglob("test_*.py"),
        *ROOT.joinpath("tests").rglob("test_*.py"),
    ]
    return {
        path: found
        for path in paths
        if path != Path(__file__).resolve() and (found := marked(path))
    }


class DatabaseIndependentMarkerTestCase(SimpleTestCase):
    def test_the_marker_is_registered_and_put_on_some_tests(self):
        conftest = (ROOT / "conftest.py").read_text(encoding="utf-8")
        self.assertIn(f'"{MARKER}: ', conftest)
        self.assertGreater(len(marked_modules()), 3)
        self.assertIn("not database_independent", (ROOT / "scripts" / "test.sh").read_text())

    def test_no_module_named_for_the_database_or_reaching_for_it_is_marked(self):
        for path, found in marked_modules().items():
            for what, source in found:
                with self.subTest(f"{path.relative_to(ROOT).as_posix()}::{what}"):
                    self.assertIsNone(NAMED_FOR_THE_DATABASE.search(path.name))
                    self.assertEqual([sign for sign in DATABASE_SPECIFIC if sign in source], [])

    def test_the_check_catches_a_module_that_would_break_the_rule(self):
        text = "import pytest\npytestmark = pytest.mark.database_independent\n"
        tree = ast.parse(text + "with transaction.atomic(): pass\n")
        self.assertTrue(
            any(isinstance(n, ast.Attribute) and n.attr == MARKER for n in ast.walk(tree))
        )
        self.assertIsNotNone(NAMED_FOR_THE_DATABASE.search("test_concurrency.py"))
        self.assertIsNotNone(NAMED_FOR_THE_DATABASE.search("test_postgres_locks.py"))
        self.assertIsNotNone(NAMED_FOR_THE_DATABASE.search("test_transactions.py"))


@pytest.mark.database_independent
class MarkedTestCase(SimpleTestCase):
    def test_a_marked_test_is_deselected_by_the_postgresql_steps_expression(self):
        # The PostgreSQL step's -m expression, read from scripts/test.sh, as pytest reads it.
        from _pytest.mark.expression import Expression

        script = (ROOT / "scripts" / "test.sh").read_text()
        step = script[script.index('step "tests on PostgreSQL"') :]
        expression = Expression.compile(re.search(r'-m "([^"]+)"', step)[1])
        self.assertFalse(expression.evaluate(lambda name, **_kwargs: name == MARKER))
        self.assertTrue(expression.evaluate(lambda name, **_kwargs: name == "django_db"))
