"""The operator's command line: Trust Box's own commands first, each with its one line.

`python -m trustbox` (or `help`) lists the commands an operator of Trust Box uses; Django's
own (migrate, check, shell, …) stay reachable and are listed by `help --all`.

Every command speaks the operator's language: `LANGUAGE_CODE` (Kyrgyz) unless the global
option `--language ky|ru|en` (before or after the command's name) says otherwise. The language
is active before the command is loaded, so its messages, errors included, are in it.
"""

from __future__ import annotations

import sys

from django.conf import settings
from django.core.management import ManagementUtility, get_commands, load_command_class
from django.core.management.base import BaseCommand
from django.utils import translation
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

OWN_APPS_PREFIX = "trustbox."
# Django's commands an operator of Trust Box runs, named in the short list too, with a line of
# ours (Django's own help is English only).
DJANGO_COMMANDS_USED = {
    "migrate": gettext_lazy("Create or update the database's tables to this version of the code."),
    "check": gettext_lazy(
        "Check the install's settings (and with --database default, that the database answers)."
    ),
}
LANGUAGE_OPTION = "--language"


def _first_sentence(text: str) -> str:
    line = " ".join(text.split())
    return line.split(". ")[0].rstrip(".")


def language_taken_out(argv: list[str]) -> tuple[list[str], str | None]:
    """The command line without the global `--language X` (or `--language=X`), and X."""
    kept: list[str] = []
    language = None
    words = iter(argv)
    for word in words:
        if word == "--":
            kept.append(word)
            kept.extend(words)
            break
        if word == LANGUAGE_OPTION:
            language = next(words, "")
        elif word.startswith(LANGUAGE_OPTION + "="):
            language = word.partition("=")[2]
        else:
            kept.append(word)
    return kept, language


class TrustBoxUtility(ManagementUtility):
    def __init__(self, argv: list[str] | None = None) -> None:
        super().__init__(argv)
        self.argv, self.language = language_taken_out(self.argv)

    def fetch_command(self, subcommand: str) -> BaseCommand:
        self.activate_language()
        return super().fetch_command(subcommand)

    def activate_language(self) -> None:
        """The operator's language, before the command is loaded (settings are ready here)."""
        codes = [code for code, _name in settings.LANGUAGES]
        language = self.language or settings.LANGUAGE_CODE
        if language not in codes:
            sys.stderr.write(
                f"{LANGUAGE_OPTION} {language!r}: not a language of Trust Box "
                f"({', '.join(codes)}).\n"
            )
            sys.exit(1)
        translation.activate(language)

    def main_help_text(self, commands_only: bool = False) -> str:
        if commands_only or "--all" in self.argv:
            return super().main_help_text(commands_only=commands_only)
        self.activate_language()
        commands = get_commands()
        own = sorted(
            name
            for name, app in commands.items()
            if app.startswith(OWN_APPS_PREFIX) or name in DJANGO_COMMANDS_USED
        )
        width = max(len(name) for name in own)
        lines = [
            _("Usage: %(program)s <command> [options] [--language ky|ru|en]")
            % {"program": self.prog_name},
            "",
            _("Trust Box's commands:"),
        ]
        for name in own:
            said = DJANGO_COMMANDS_USED.get(name) or load_command_class(commands[name], name).help
            lines.append(f"  {name.ljust(width)}  {_first_sentence(str(said))}")
        lines += [
            "",
            _("'%(program)s help <command>' tells the options of one command;")
            % {"program": self.prog_name},
            _("'%(program)s help --all' lists Django's own commands as well.")
            % {"program": self.prog_name},
            _("%(option)s chooses the language of the messages (default: %(language)s).")
            % {"option": LANGUAGE_OPTION, "language": settings.LANGUAGE_CODE},
        ]
        return "\n".join(lines)
