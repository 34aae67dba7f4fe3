from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class SellersConfig(AppConfig):
    name = "backend.sellers"
    label = "sellers"
    verbose_name = _("Sellers")

    def ready(self) -> None:
        # Registers the seller owner and seller staff roles of the permission table.
        # Inside ready(): registers the seller place rules once the app registry is loaded.
        from backend.sellers import permissions  # noqa: F401
