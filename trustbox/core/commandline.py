"""The operator's command line: Trust Box's own commands first, each with its one line.

`python -m trustbox` (or `help`) lists the commands an operator of Trust Box uses; Django's
own (migrate, check, shell, …) stay reachable and are listed by `help --all`.
"""

from __future__ import annotations

from django.core.management import ManagementUtility, get_commands, load_command_class

OWN_APPS_PREFIX = "trustbox."
# Django's commands an operator of Trust Box runs, named in the short list too.
DJANGO_COMMANDS_USED = ("migrate", "check", "changepassword")


def _first_sentence(text: str) -> str:
    line = " ".join(text.split())
    return line.split(". ")[0].rstrip(".")


class TrustBoxUtility(ManagementUtility):
    def main_help_text(self, commands_only: bool = False) -> str:
        if commands_only or "--all" in self.argv:
            return super().main_help_text(commands_only=commands_only)
        commands = get_commands()
        own = sorted(
            name
            for name, app in commands.items()
            if app.startswith(OWN_APPS_PREFIX) or name in DJANGO_COMMANDS_USED
        )
        width = max(len(name) for name in own)
        lines = [
            f"Usage: {self.prog_name} <command> [options]",
            "",
            "Trust Box's commands:",
        ]
        for name in own:
            command = load_command_class(commands[name], name)
            lines.append(f"  {name.ljust(width)}  {_first_sentence(str(command.help))}")
        lines += [
            "",
            f"'{self.prog_name} help <command>' tells the options of one command;",
            f"'{self.prog_name} help --all' lists Django's own commands as well.",
        ]
        return "\n".join(lines)
