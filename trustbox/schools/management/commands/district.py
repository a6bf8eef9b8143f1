"""Operator command: add and list districts."""

from __future__ import annotations

from typing import Any

from django.core.exceptions import ValidationError
from django.core.management.base import CommandParser
from django.db.models import Count
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from trustbox.lib.commands import OperatorCommand
from trustbox.schools.management.commands._operator import actor, add_by_argument, refused
from trustbox.schools.models import District
from trustbox.schools.services import district_add


class Command(OperatorCommand):
    help = gettext_lazy(
        "Districts (district or city education departments): "
        '`district add --slug kara-suu --name "Кара-Суу району"`, `district list`.'
    )

    def add_arguments(self, parser: CommandParser) -> None:
        actions = parser.add_subparsers(dest="action", required=True)
        add = actions.add_parser("add", help=_("add a district"))
        add.add_argument(
            "--slug", required=True, help=_("short name: small Latin letters, digits, -")
        )
        add.add_argument("--name", required=True, help=_("the district's full name"))
        add_by_argument(add)
        actions.add_parser("list", help=_("list the districts with their number of schools"))

    def handle(self, *args: Any, action: str, **options: Any) -> None:
        if action == "add":
            try:
                district = district_add(
                    by=actor(options["by"]), slug=options["slug"], name=options["name"]
                )
            except ValidationError as error:
                raise refused(error) from error
            self.stdout.write(
                _("District %(slug)s (%(name)s) is added.")
                % {"slug": district.slug, "name": district.name}
            )
            return
        for district in District.objects.annotate(n=Count("schools")).order_by("slug"):
            self.stdout.write(f"{district.slug:<24} {district.n:>5}  {district.name}")
