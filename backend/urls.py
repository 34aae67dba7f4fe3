from django.conf import settings
from django.contrib import admin
from django.urls import include, path
from django.utils.translation import gettext_lazy as _

from backend.core.views import healthz
from backend.health import ready
from backend.notifications.receipts import receipt
from backend.web.views.dev_outbox import dev_outbox
from storefront_api.core.view import StorefrontGraphQLView

admin.site.site_header = _("Chợ Phiên administration")
admin.site.site_title = _("Chợ Phiên")
admin.site.index_title = _("Marketplace administration")

urlpatterns = [
    path("healthz", healthz, name="healthz"),
    path("healthz/ready", ready, name="healthz-ready"),
    path("graphql/", StorefrontGraphQLView.as_view(), name="graphql"),
    path("admin/", admin.site.urls),
    path("payments/", include("backend.orders.urls")),
    path("tickets/", include("backend.experiences.urls")),
    path("sellers/", include("backend.sellers.urls")),
    path("legal/", include("backend.legal.urls")),
    path("i18n/", include("django.conf.urls.i18n")),
    path("seller/", include("backend.web.urls_seller")),
    path("province/", include("backend.web.urls_province")),
    path("messaging/<str:channel_id>/receipt", receipt, name="messaging-receipt"),
    path("messaging/<str:channel_id>/receipt/<path:rest>", receipt),
    path("dev/outbox/", dev_outbox, name="dev-outbox"),  # answers 404 unless DEBUG
    path("", include("backend.web.urls")),
]

if settings.DEBUG:
    from django.conf.urls.static import static

    # Public media only: sellers' documents live in PRIVATE_MEDIA_ROOT, outside MEDIA_ROOT.
    urlpatterns += static(settings.MEDIA_URL, document_root=settings.MEDIA_ROOT)
