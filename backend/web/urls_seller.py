"""Seller portal URLs, mounted at `/seller/`."""

from django.urls import path

from backend.web.views import helpers, identity, reviews, seller, seller_experiences, seller_orders, seller_photos, tax

app_name = "seller"

urlpatterns = [
    path("", seller.home, name="home"),
    path("apply", seller.apply, name="apply"),
    path("helper/register", helpers.household_register, name="helper-register"),
    path("invitations/accept", seller_orders.invitation_accept, name="invitation-accept"),
    path("<int:seller_id>/", seller.dashboard, name="dashboard"),
    path("<int:seller_id>/identity/", identity.seller_identity, name="identity"),
    path("<int:seller_id>/products/", seller.products, name="products"),
    path("<int:seller_id>/products/new", seller.product_new, name="product-new"),
    path("<int:seller_id>/products/<int:pk>/", seller.product_edit, name="product"),
    path("<int:seller_id>/products/<int:pk>/save", seller.product_save, name="product-save"),
    path("<int:seller_id>/products/<int:pk>/variants/new", seller.variant_save, name="variant-new"),
    path("<int:seller_id>/products/<int:pk>/variants/<int:variant_id>", seller.variant_save, name="variant-save"),
    path("<int:seller_id>/products/<int:pk>/photos", seller_photos.photo_upload, name="photo-upload"),
    path(
        "<int:seller_id>/products/<int:pk>/photos/<int:image_id>/move-<str:direction>",
        seller_photos.photo_move,
        name="photo-move",
    ),
    path(
        "<int:seller_id>/products/<int:pk>/photos/<int:image_id>/delete",
        seller_photos.photo_delete,
        name="photo-delete",
    ),
    path("<int:seller_id>/products/<int:pk>/<str:action>", seller.product_publish_toggle, name="product-publish"),
    path("<int:seller_id>/orders/", seller_orders.orders, name="orders"),
    path("<int:seller_id>/orders/<int:pk>/", seller_orders.order_detail, name="order"),
    path("<int:seller_id>/orders/<int:pk>/<str:action>", seller_orders.order_act, name="order-act"),
    path("<int:seller_id>/payouts/", seller_orders.payouts, name="payouts"),
    path("<int:seller_id>/reviews/", reviews.seller_reviews_page, name="reviews"),
    path("<int:seller_id>/tax/", tax.statement, name="tax"),
    path("<int:seller_id>/tax/export.<str:fmt>", tax.statement_export, name="tax-export"),
    path("<int:seller_id>/staff/", seller_orders.staff, name="staff"),
    path("<int:seller_id>/helpers/", helpers.seller_helpers, name="helpers"),
    # Experiences (weekly schedules, blackout dates, slots), bookings and check-in.
    path("check-in/", seller_experiences.check_in, name="check-in"),
    path("<int:seller_id>/experiences/", seller_experiences.experiences, name="experiences"),
    path("<int:seller_id>/experiences/<int:pk>/", seller_experiences.experience, name="experience"),
    path("<int:seller_id>/experiences/<int:pk>/save", seller_experiences.experience_save, name="experience-save"),
    path("<int:seller_id>/experiences/<int:pk>/schedules/new", seller_experiences.schedule_new, name="schedule-new"),
    path(
        "<int:seller_id>/experiences/<int:pk>/schedules/<int:schedule_id>/delete",
        seller_experiences.schedule_remove,
        name="schedule-delete",
    ),
    path("<int:seller_id>/experiences/<int:pk>/blackouts/new", seller_experiences.blackout_new, name="blackout-new"),
    path(
        "<int:seller_id>/experiences/<int:pk>/blackouts/<int:blackout_id>/delete",
        seller_experiences.blackout_delete,
        name="blackout-delete",
    ),
    path("<int:seller_id>/experiences/<int:pk>/slots/new", seller_experiences.slot_new, name="slot-new"),
    path(
        "<int:seller_id>/experiences/<int:pk>/slots/<int:slot_id>/",
        seller_experiences.slot_detail,
        name="experience-slot",
    ),
    path(
        "<int:seller_id>/experiences/<int:pk>/slots/<int:slot_id>/capacity",
        seller_experiences.slot_capacity,
        name="slot-capacity",
    ),
    path(
        "<int:seller_id>/experiences/<int:pk>/slots/<int:slot_id>/cancel",
        seller_experiences.slot_cancel_view,
        name="slot-cancel",
    ),
    path(
        "<int:seller_id>/bookings/<int:booking_id>/no-show",
        seller_experiences.booking_no_show_view,
        name="booking-no-show",
    ),
]
