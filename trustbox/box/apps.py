from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class BoxConfig(AppConfig):
    name = "trustbox.box"
    label = "box"
    verbose_name = _("Trust box")

    def ready(self) -> None:
        from trustbox.audit.digests import DigestChain, digest_chain_register
        from trustbox.box import withdrawal  # noqa: F401  (its audit actions)
        from trustbox.box.services import box_head, box_head_holds

        digest_chain_register(
            DigestChain(
                name="box",
                order=10,
                label=_("The box (appeals sealed)"),
                head=box_head,
                holds=box_head_holds,
            )
        )
