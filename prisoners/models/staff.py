"""What a staff user chose for themselves: the admin's language."""

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _


class StaffPreference(models.Model):
    """A staff user's own settings, kept across sessions and browsers. Until
    they choose, the admin follows their browser's language."""

    derived = True  # not a record: no history, no data version, never exported

    user = models.OneToOneField(
        settings.AUTH_USER_MODEL,
        on_delete=models.CASCADE,
        related_name="staff_preference",
        verbose_name=_("user"),
    )
    language = models.CharField(_("admin language"), max_length=8, choices=settings.LANGUAGES)

    class Meta:
        verbose_name = _("staff preference")
        verbose_name_plural = _("staff preferences")

    def __str__(self) -> str:
        return f"{self.user}: {self.language}"
