"""Operator command: add and list schools."""

from __future__ import annotations

from typing import Any

from django.core.exceptions import ValidationError
from django.core.management.base import CommandError, CommandParser
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from trustbox.lib.commands import OperatorCommand
from trustbox.schools.management.commands._operator import actor, add_by_argument, refused
from trustbox.schools.models import District, School
from trustbox.schools.services import director_of, school_add


class Command(OperatorCommand):
    help = gettext_lazy(
        'Schools: `school add --slug myrzakmatov --name "…" [--district kara-suu]`, '
        "`school list [--district kara-suu]`. Many at once: `schools import FILE.csv`."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        actions = parser.add_subparsers(dest="action", required=True)
        add = actions.add_parser("add", help=_("add a school"))
        add.add_argument(
            "--slug", required=True, help=_("short name in the box's address /b/<slug>/")
        )
        add.add_argument("--name", required=True, help=_("the school's full name"))
        add.add_argument("--district", help=_("the district's short name"))
        add_by_argument(add)
        listing = actions.add_parser("list", help=_("list the schools and their directors"))
        listing.add_argument("--district", help=_("only this district's schools"))

    def handle(self, *args: Any, action: str, **options: Any) -> None:
        district = None
        if options["district"]:
            district = District.objects.filter(slug=options["district"]).first()
            if district is None:
                raise CommandError(
                    _("No district %(slug)s: add it with `district add`.")
                    % {"slug": options["district"]}
                )
        if action == "list":
            schools = School.objects.select_related("district").order_by("slug")
            for school in schools.filter(district=district) if district else schools:
                director = director_of(school)
                self.stdout.write(
                    f"{school.slug:<24} {school.district.slug if school.district else '—':<16} "
                    f"{director.username if director else '—':<16} {school.name}"
                )
            return
        try:
            school = school_add(
                by=actor(options["by"]),
                slug=options["slug"],
                name=options["name"],
                district=district,
            )
        except ValidationError as error:
            raise refused(error) from error
        self.stdout.write(
            _(
                "School %(slug)s (%(name)s) is added. Next: invite its director with "
                "`director invite --school %(slug)s`."
            )
            % {"slug": school.slug, "name": school.name}
        )
