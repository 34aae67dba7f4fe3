from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class CoreConfig(AppConfig):
    name = "backend.core"
    label = "core"
    verbose_name = _("Core")

    def ready(self) -> None:
        # Inside ready(): models can be imported only once the app registry is loaded.
        from backend.core.response_cache import connect_signals

        connect_signals()
