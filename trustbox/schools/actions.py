"""What the audit log says of schools and their people."""

from django.utils.translation import gettext_lazy as _

from trustbox.audit.actions import AuditAction, audit_actions


@audit_actions(group=_("every action on people"))
class PersonAction(AuditAction):
    ADD = "person.add", _("added a person to the school")
