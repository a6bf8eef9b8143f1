"""Operator commands whose `--help` speaks the operator's language (issue 23, point 8).

A command of Trust Box derives from `OperatorCommand`: its `help` (a `gettext_lazy` string) and
the `help=` of its arguments (`gettext`, called in `add_arguments`, when the operator's language
is already active: trustbox/core/commandline.py) come out translated, and so do the words
argparse and Django add themselves: "usage:", the headings, `-h`, `--verbosity`, `--settings` …
(in this module's table, by the option's name), in the command's sub-commands too.
"""

from __future__ import annotations

import argparse
from collections.abc import Iterable
from typing import Any

from django.core.management.base import BaseCommand, CommandParser, DjangoHelpFormatter
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

# The options argparse and Django's BaseCommand give every command, by their `dest`.
STANDARD_OPTIONS = {
    "help": gettext_lazy("Show this help and exit."),
    "version": gettext_lazy("Show the program's version and exit."),
    "verbosity": gettext_lazy("How much to print: 0 the least, 1 normal, 2 more, 3 the most."),
    "settings": gettext_lazy(
        "The settings module as a Python path (default: the DJANGO_SETTINGS_MODULE variable)."
    ),
    "pythonpath": gettext_lazy("A folder to add to Python's search path."),
    "traceback": gettext_lazy("Show the whole traceback when the command fails."),
    "no_color": gettext_lazy("Print without colours."),
    "force_color": gettext_lazy("Print in colours even into a file or a pipe."),
    "skip_checks": gettext_lazy("Do not run the system checks first."),
    "database": gettext_lazy('The database to use (default: "default").'),
}


class TranslatedHelpFormatter(DjangoHelpFormatter):
    """Django's formatter (its own options last) with "usage:" in the operator's language."""

    def add_usage(
        self,
        usage: str | None,
        actions: Iterable[argparse.Action],
        groups: Iterable[Any],
        prefix: str | None = None,
    ) -> None:
        super().add_usage(usage, actions, groups, _("usage: ") if prefix is None else prefix)


def parser_translated(parser: argparse.ArgumentParser) -> None:
    """Put argparse's and Django's own words of `parser` (and its sub-commands') in the language."""
    parser.formatter_class = TranslatedHelpFormatter
    parser._positionals.title = _("positional arguments")
    parser._optionals.title = _("options")
    for action in parser._actions:
        if action.dest in STANDARD_OPTIONS and action.help is not argparse.SUPPRESS:
            action.help = str(STANDARD_OPTIONS[action.dest])
        if isinstance(action, argparse._SubParsersAction):
            for sub in action.choices.values():
                parser_translated(sub)


def argument_help(parser: argparse.ArgumentParser, dest: str, text: str) -> None:
    """Say a borrowed argument's help (one Django's own command adds) in the language."""
    for action in parser._actions:
        if action.dest == dest:
            action.help = text


class OperatorCommand(BaseCommand):
    # A gettext_lazy string, said in the operator's language when the help is shown.
    help: Any = ""

    def create_parser(self, prog_name: str, subcommand: str, **kwargs: Any) -> CommandParser:
        parser = super().create_parser(prog_name, subcommand, **kwargs)
        # argparse wraps the description with re, which takes a str, not a lazy translation.
        parser.description = str(self.help) if self.help else None
        parser_translated(parser)
        return parser
