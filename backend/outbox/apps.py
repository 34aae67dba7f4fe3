from django.apps import AppConfig
from django.utils.module_loading import autodiscover_modules
from django.utils.translation import gettext_lazy as _


class OutboxConfig(AppConfig):
    name = "backend.outbox"
    label = "outbox"
    verbose_name = _("Outbox")

    def ready(self) -> None:
        # Each app registers the handlers of its kinds in its `tasks` module; the outbox
        # finds them by module name and never imports a domain app itself.
        autodiscover_modules("tasks")
