from django.contrib.auth.models import AbstractUser
from django.db import models
from django.utils.translation import gettext_lazy as _

from trustbox.lib.languages import NATIVE_NAMES


class User(AbstractUser):
    """A staff account: a director, a commission member, a district viewer or an operator.

    Writers of appeals never have accounts.
    """

    full_name = models.CharField(_("full name"), max_length=200)
    is_operator = models.BooleanField(
        _("operator"),
        default=False,
        help_text=_("Installs, backs up and restores the system; reads no appeal."),
    )
    must_change_password = models.BooleanField(_("must change password"), default=False)
    # The language of the person's email; blank: the school's (lib/mail.py, mail_language).
    language = models.CharField(
        _("language of your email"),
        max_length=2,
        blank=True,
        default="",
        choices=list(NATIVE_NAMES.items()),
    )

    REQUIRED_FIELDS = ["full_name"]

    class Meta:
        verbose_name = _("staff account")
        verbose_name_plural = _("staff accounts")
        ordering = ["full_name"]

    def __str__(self) -> str:
        return self.full_name or self.username

    def get_full_name(self) -> str:
        return self.full_name

    def get_short_name(self) -> str:
        return self.full_name or self.username
