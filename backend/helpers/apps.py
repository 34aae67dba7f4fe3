from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class HelpersConfig(AppConfig):
    name = "backend.helpers"
    label = "helpers"
    verbose_name = _("Commune helpers")

    def ready(self) -> None:
        from backend.helpers import permissions  # noqa: F401  (registers the commune helper role)
