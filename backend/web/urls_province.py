"""Province console URLs, mounted at `/province/`."""

from django.urls import path

from backend.web.views import helpers, identity, national, province, province_reports, reviews, takedowns, tax

app_name = "province"

urlpatterns = [
    path("", province.home, name="home"),
    path("helpers/", helpers.helpers_page, name="helpers"),
    path("sellers/", province.queue, name="queue"),
    path("sellers/<int:pk>/", province.seller_detail, name="seller"),
    path("sellers/<int:pk>/documents/<int:document_id>", province.seller_document, name="document"),
    path("sellers/<int:pk>/<str:action>", province.seller_decide, name="decide"),
    path("identity/", identity.review_queue, name="identity-queue"),
    path("identity/<int:pk>/", identity.review, name="identity-review"),
    path("takedowns/", takedowns.takedowns, name="takedowns"),
    path("takedowns/export.<str:fmt>", takedowns.takedowns_export, name="takedowns-export"),
    path("reports/", province.reports, name="reports"),
    path("reports/<int:pk>/<str:action>", province.report_act, name="report-act"),
    path("reviews/", reviews.province_reviews, name="reviews"),
    path("audit/", province.audit, name="audit"),
    path("dashboard/", province_reports.dashboard, name="dashboard"),
    path("dashboard/export.<str:fmt>", province_reports.dashboard_export, name="dashboard-export"),
    path("alerts/", province_reports.alerts, name="alerts"),
    path("imports/", province_reports.imports, name="imports"),
    path("national/", national.overview, name="national"),
    path("tax/", tax.declaration, name="tax"),
    path("tax/export.<str:fmt>", tax.declaration_export, name="tax-export"),
    path("tax/close", tax.declaration_close, name="tax-close"),
    path("tax/sellers.<str:fmt>", tax.seller_information_export, name="tax-sellers"),
]
