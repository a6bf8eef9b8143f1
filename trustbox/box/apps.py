from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class BoxConfig(AppConfig):
    name = "trustbox.box"
    label = "box"
    verbose_name = _("Trust box")

    def ready(self) -> None:
        from trustbox.audit.digests import DigestChain, digest_chain_register
        from trustbox.audit.services import row_check_register
        from trustbox.audit.targets import detail_register
        from trustbox.box import (
            actions,  # noqa: F401  (the log names the box's actions)
            withdrawal,  # noqa: F401  (its audit actions)
        )
        from trustbox.box.erasure import erasures_check
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
        row_check_register(erasures_check)
        detail_register("reason", _("reason"), {})
        detail_register("key_code", _("box key code"), {})
        detail_register("waiting", _("sealed appeals still waiting on the tablet"), {})
