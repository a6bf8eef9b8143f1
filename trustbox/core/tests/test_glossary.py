"""Every translation uses the words of docs/glossary.md (issue 11, point 15)."""

import ast
import json
import re
import tomllib
from dataclasses import dataclass
from pathlib import Path

from django.conf import settings
from django.test import SimpleTestCase
from django.utils.translation.template import templatize

ROOT = Path(settings.BASE_DIR)
GLOSSARY = ROOT / "docs" / "glossary.md"
LANGUAGES = ("ky", "ru")
GETTEXT_NAMES = {
    "_",
    "gettext",
    "gettext_lazy",
    "gettext_noop",
    "ngettext",
    "ngettext_lazy",
    "pgettext",
    "pgettext_lazy",
    "npgettext",
    "npgettext_lazy",
}


@dataclass(frozen=True)
class Rule:
    lang: str
    forbid: re.Pattern[str]
    use: str
    example: str
    msgid: re.Pattern[str] | None = None
    msgid_not: re.Pattern[str] | None = None
    allow: re.Pattern[str] | None = None
    scope: str | None = None

    def applies_to(self, msgid: str, *, public: bool) -> bool:
        if self.scope == "public" and not public:
            return False
        if self.scope == "staff" and public:
            return False
        if self.msgid and not self.msgid.search(msgid):
            return False
        return not (self.msgid_not and self.msgid_not.search(msgid))

    def finds(self, text: str) -> str | None:
        if self.allow:
            text = self.allow.sub(" ", text)
        found = self.forbid.search(text)
        return found.group(0) if found else None


def _pattern(value: str | None) -> re.Pattern[str] | None:
    return re.compile(value, re.IGNORECASE) if value else None


def glossary_rules() -> tuple[list[Rule], list[str]]:
    """The rules and the writer's sources, from the toml block of docs/glossary.md."""
    block = re.search(r"^```toml\n(.*?)^```", GLOSSARY.read_text(encoding="utf-8"), re.M | re.S)
    assert block, "docs/glossary.md has no toml block of rules"
    data = tomllib.loads(block.group(1))
    rules = []
    for raw in data["rule"]:
        assert raw["lang"] in LANGUAGES, raw
        assert raw.get("scope") in (None, "public", "staff"), raw
        rules.append(
            Rule(
                lang=raw["lang"],
                forbid=re.compile(raw["forbid"], re.IGNORECASE),
                use=raw["use"],
                example=raw["example"],
                msgid=_pattern(raw.get("msgid")),
                msgid_not=_pattern(raw.get("msgid_not")),
                allow=_pattern(raw.get("allow")),
                scope=raw.get("scope"),
            )
        )
    return rules, data["public_sources"]


def po_entries(language: str) -> dict[str, list[str]]:
    """msgid → its msgstrs, for every live entry of the language's catalog."""
    po = ROOT / "trustbox" / "locale" / language / "LC_MESSAGES" / "django.po"
    entries: dict[str, list[str]] = {}
    for block in po.read_text(encoding="utf-8").split("\n\n"):
        fields: dict[str, str] = {}
        key = ""
        for line in block.splitlines():
            if line.startswith("#"):
                continue
            if line.startswith('"'):
                fields[key] += ast.literal_eval(line)
                continue
            key, _, value = line.partition(" ")
            fields[key] = ast.literal_eval(value)
        if fields.get("msgid"):
            entries[fields["msgid"]] = [v for k, v in fields.items() if k.startswith("msgstr")]
    return entries


def pending_entries(language: str) -> dict[str, list[str]]:
    """msgid → msgstrs of the translations/*.json files waiting to be merged into the catalogs."""
    entries: dict[str, list[str]] = {}
    for path in sorted((ROOT / "translations").glob("*.json")):
        for msgid, value in json.loads(path.read_text(encoding="utf-8")).items():
            text = value.get(language, [])
            entries[msgid] = [text] if isinstance(text, str) else list(text)
    return entries


def public_msgids(sources: list[str]) -> set[str]:
    """Every msgid of the writer's pages: their templates and their Python code."""
    found: set[str] = set()
    paths: list[Path] = []
    for source in sources:
        path = ROOT / source
        paths.extend(sorted(path.rglob("*")) if path.is_dir() else [path])
    for path in paths:
        if not path.is_file() or "tests" in path.relative_to(ROOT).parts:
            continue
        if path.suffix == ".py":
            found |= _python_msgids(path.read_text(encoding="utf-8"))
        elif path.suffix in (".html", ".svg", ".txt"):
            code = templatize(path.read_text(encoding="utf-8"), origin=str(path))
            literals = re.findall(r"""\bu('(?:[^'\\]|\\.)*'|"(?:[^"\\]|\\.)*")""", code)
            found |= {ast.literal_eval(literal) for literal in literals}
    return found


def _python_msgids(source: str) -> set[str]:
    found = set()
    for node in ast.walk(ast.parse(source)):
        if isinstance(node, ast.Call):
            func = node.func
            name = func.id if isinstance(func, ast.Name) else getattr(func, "attr", "")
            if name in GETTEXT_NAMES:
                found |= {
                    arg.value
                    for arg in node.args
                    if isinstance(arg, ast.Constant) and isinstance(arg.value, str)
                }
    return found


def violations(language: str, entries: dict[str, list[str]]) -> list[str]:
    rules, sources = glossary_rules()
    public = public_msgids(sources)
    found = []
    for msgid, msgstrs in entries.items():
        for rule in rules:
            if rule.lang != language or not rule.applies_to(msgid, public=msgid in public):
                continue
            for msgstr in msgstrs:
                if word := rule.finds(msgstr):
                    found.append(f"[{language}] {msgid!r}: «{word}» in {msgstr!r} → {rule.use}")
    return found


class GlossaryTestCase(SimpleTestCase):
    def test_every_catalog_entry_uses_the_words_of_the_glossary(self):
        for language in LANGUAGES:
            entries = po_entries(language)
            self.assertGreater(len(entries), 100)
            with self.subTest(language=language):
                self.assertEqual(violations(language, entries), [])

    def test_translations_waiting_to_be_merged_use_the_words_of_the_glossary(self):
        for language in LANGUAGES:
            with self.subTest(language=language):
                self.assertEqual(violations(language, pending_entries(language)), [])

    def test_every_rule_catches_its_own_example(self):
        rules, _ = glossary_rules()
        self.assertGreater(len(rules), 30)
        for rule in rules:
            with self.subTest(rule=rule.forbid.pattern):
                self.assertIsNotNone(rule.finds(rule.example))

    def test_the_chosen_words_pass_the_rules(self):
        chosen = {
            "ky": [
                "Сырсөзүңүз",
                "Аутентификатор колдонмосундагы код",
                "Кайрылуулардын реестри",
                "Мүчөлөрдүн саны так сан болушу керек (3, 5, 7…).",
                "Кызматтык эскертме",
                "Камдык бөлүктү кошуу",
                "Мөөрдүн %(seal_code)s кодун тастыктайм",
                "кийинки жыйналышта; жыйынтык, жыйынтыгы",
                "«Ишеним кутусунан» жарандардын кайрылууларын алып коюу актысы",
                '<a href="%(url)s">Адегенде ал адамды кошуңуз</a>',
            ],
            "ru": [
                "Ответственное лицо назначается из состава комиссии.",
                "Учётная запись",
                "Акт изъятия обращений",
                "Представитель родительской общественности",
                '<a href="%(url)s">Сначала добавьте этого человека</a>',
            ],
        }
        rules, _ = glossary_rules()
        for rule in rules:
            if rule.msgid or rule.scope:
                continue
            for text in chosen[rule.lang]:
                with self.subTest(rule=rule.forbid.pattern, text=text):
                    self.assertIsNone(rule.finds(text))

    def test_a_rule_for_the_writers_pages_leaves_staff_pages_alone(self):
        _, sources = glossary_rules()
        public = public_msgids(sources)
        self.assertIn("Taken out of the box by the commission.", public)
        self.assertIn("I stay anonymous", public)
        self.assertNotIn("Act of removal", public)
        staff_entry = {"Act of removal": ["Акт изъятия обращений"]}
        public_entry = {"Taken out of the box by the commission.": ["Изъято из ящика комиссией."]}
        self.assertEqual(violations("ru", staff_entry), [])
        self.assertEqual(len(violations("ru", public_entry)), 1)

    def test_the_menu_and_the_heading_name_the_registry_alike(self):
        for language, word in (("ky", "Реестр"), ("ru", "Реестр")):
            entries = po_entries(language)
            with self.subTest(language=language):
                self.assertEqual(entries["Registry"], [word])
                self.assertIn(word.lower(), entries["Registry of appeals"][0].lower())

    def test_an_odd_number_is_said_so_that_nobody_reads_exact(self):
        entries = po_entries("ky")
        for msgid in (
            "An odd number of people, at least three.",
            "The number of members must be odd (regulation, cl. 4.1); you chose %(count)d member."
            " Add or remove one.",
        ):
            with self.subTest(msgid=msgid):
                self.assertIn("так сан", entries[msgid][0])
                self.assertIn("(3, 5, 7…", entries[msgid][0])
