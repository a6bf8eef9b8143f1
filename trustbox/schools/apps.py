from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class SchoolsConfig(AppConfig):
    name = "trustbox.schools"
    label = "schools"
    verbose_name = _("Schools")

    def ready(self) -> None:
        from trustbox.accounts.access import role_source_register
        from trustbox.audit.targets import target_namer_register
        from trustbox.schools.actions import schools_name
        from trustbox.schools.roles import school_roles

        role_source_register(school_roles)
        target_namer_register("schools.school", schools_name)
