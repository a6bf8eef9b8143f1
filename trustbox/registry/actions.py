"""What the audit log says of appeals and the registry, and how it names an appeal."""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from typing import Any

from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from trustbox.audit.actions import AuditAction, audit_actions
from trustbox.audit.targets import TargetName
from trustbox.registry.models import Appeal


@audit_actions(group=_("every action on appeals"))
class AppealAction(AuditAction):
    READ = "appeal.read", _("read an appeal")
    REGISTER = "appeal.register", _("registered an appeal")
    ASSIGN = "appeal.assign", _("assigned an appeal")
    NOTE = "appeal.note", _("added an internal note to an appeal")
    REPLY = "appeal.reply", _("replied to the writer of an appeal")
    DECIDE = "appeal.decide", _("recorded the decision on an appeal")
    CLOSE = "appeal.close", _("closed an appeal's file")
    WRITER_MESSAGE = "appeal.writer_message", _("wrote back about their appeal")
    BACKDATE = "appeal.backdate", _("set the dates of a demonstration appeal")
    UNREACHED = (
        "appeal.unreached",
        _("put an appeal back under consideration: its answer could not reach the writer"),
    )
    WRITE_BACK_CLOSE = (
        "appeal.write_back_close",
        _("closed an appeal with thanks after its writer wrote back"),
    )
    WRITE_BACK_RESTORE = (
        "appeal.write_back_restore",
        _("put back as answered an appeal that a writer's message had reopened"),
    )
    NEW_REQUEST = (
        "appeal.new_request",
        _("took a writer's message as a new request, with a new deadline"),
    )
    CLOSE_ASK = "appeal.close_ask", _("asked with the receipt code to close their appeal")
    WITHDRAWN_CLOSE = (
        "appeal.withdrawn_close",
        _("closed an appeal as withdrawn by its writer, as the writer asked"),
    )
    CLOSE_DECLINE = (
        "appeal.close_decline",
        _("answered a writer who asked to close her appeal why it stays open"),
    )
    MESSAGES_CLOSE = (
        "appeal.messages_close",
        _("closed a writer's conversation to further messages"),
    )
    MESSAGES_REOPEN = (
        "appeal.messages_reopen",
        _("reopened a writer's conversation to messages"),
    )
    DESTROY = (
        "appeal.destroy",
        _("destroyed a closed appeal's content and keys by the act of destruction"),
    )


@audit_actions(group=_("every action on the registry as a whole"))
class RegistryAction(AuditAction):
    EXPORT = "registry.export", _("exported the registry")
    TAKE_IN = "registry.take_in", _("took the appeals of an opening into the registry")
    KEY_MAKE = (
        "registry.key_make",
        _("made the registry key for the commission's record before the first opening"),
    )
    KEY_ROTATE = "registry.key_rotate", _("gave the registry a new key for the commission in force")
    ACCESS_END = (
        "registry.access_end",
        _("ended the registry access of people who left the commission"),
    )


# Why an appeal was read (the "purpose" of an appeal.read entry).
class ReadPurpose:
    VIEW = "view"
    ACT = "act"
    ATTACHMENT = "attachment"
    CARD = "card"
    CASE_FILE = "case_file"
    LETTER = "letter"
    NOTICE = "notice"


READ_PURPOSES = {
    ReadPurpose.VIEW: _("to view its file"),
    ReadPurpose.ACT: _("for the act of opening"),
    ReadPurpose.ATTACHMENT: _("to download an attachment"),
    ReadPurpose.CARD: _("to print its registration card"),
    ReadPurpose.CASE_FILE: _("to print its whole file"),
    ReadPurpose.LETTER: _("to print a reply letter"),
    ReadPurpose.NOTICE: _("to print a reply sheet for the foyer"),
}


def appeals_name(school: Any, pks: Iterable[int]) -> Mapping[int, TargetName]:
    """The registration number of each appeal, or its place in an opening's act if unregistered."""
    rows = Appeal.objects.filter(school=school, pk__in=set(pks)).values_list(
        "pk", "year", "serial", "opening__journal_number", "number_in_act"
    )
    names = {}
    for pk, year, serial, journal_number, line in rows:
        name = (
            f"{year}/{serial:03d}"
            if year and serial
            else _("opening %(number)s, line %(line)s") % {"number": journal_number, "line": line}
        )
        names[pk] = TargetName(name, reverse("registry:detail", args=[school.slug, pk]))
    return names
