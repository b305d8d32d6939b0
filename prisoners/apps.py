from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class PrisonersConfig(AppConfig):
    default_auto_field = "django.db.models.BigAutoField"
    name = "prisoners"
    verbose_name = _("Political prisoners")

    def ready(self) -> None:
        from . import history  # noqa: F401  (connects the history signal)
        from .data_version import connect_signals

        connect_signals()
