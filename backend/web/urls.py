"""Storefront URLs, mounted at `/`."""

from django.urls import path

from backend.web.views import (
    account,
    auth,
    cart,
    experiences,
    notifications,
    phone_auth,
    privacy,
    province_storefront,
    reviews,
    site,
    storefront,
)

app_name = "web"

urlpatterns = [
    path("", storefront.home, name="home"),
    path("search/", storefront.search, name="search"),
    path("search/suggest", storefront.search_suggest, name="suggest"),
    path("p/<slug:slug>/", storefront.product, name="product"),
    path("p/<slug:slug>/book", experiences.booking_add, name="booking-add"),
    path("s/<slug:slug>/", storefront.seller, name="seller"),
    path("cart/", cart.cart, name="cart"),
    path("cart/add", cart.cart_add, name="cart-add"),
    path("cart/update", cart.cart_update, name="cart-update"),
    path("cart/remove/<int:line_id>", cart.cart_remove, name="cart-remove"),
    path("cart/delivery", cart.cart_delivery, name="cart-delivery"),
    path("checkout/", cart.checkout, name="checkout"),
    path("checkout/address", cart.checkout_address, name="checkout-address"),
    path("checkout/place", cart.checkout_place, name="checkout-place"),
    path("checkout/contact", experiences.checkout_contact, name="checkout-contact"),
    path("communes/", cart.commune_options, name="communes"),
    # The payment pages (sandbox, VNPay return) send the buyer back here.
    path("orders/<str:token>", storefront.order_status, name="order"),
    path("orders/<str:token>/bookings/<int:booking_id>/cancel", experiences.booking_cancel_view, name="booking-cancel"),
    path("orders/<str:token>/lines/<int:line_id>/review", reviews.review_write, name="review-write"),
    path("reviews/<int:pk>/reply", reviews.review_reply, name="review-reply"),
    path("reviews/<int:pk>/edit", reviews.review_edit, name="review-edit"),
    path("reviews/<int:pk>/hide", reviews.review_hide, name="review-hide"),
    path("account/login", auth.login_view, name="login"),
    path("account/signup", auth.signup_view, name="signup"),
    path("account/phone", phone_auth.phone_login_view, name="phone-login"),
    path("account/password/phone", phone_auth.phone_reset_view, name="phone-reset"),
    path("account/logout", auth.logout_view, name="logout"),
    path("account/password/forgot", auth.password_forgot_view, name="password-forgot"),
    path("account/password/reset/<str:token>", auth.password_reset_view, name="password-reset"),
    path("account/password/new", auth.password_new_view, name="password-new"),
    path("account/orders/", account.my_orders, name="my-orders"),
    path("account/notifications", notifications.notification_preferences, name="notification-preferences"),
    path("account/privacy/", privacy.privacy_page, name="privacy"),
    path("account/privacy/consent/<str:action>", privacy.consent_change, name="consent"),
    path("account/privacy/my-data.<str:fmt>", privacy.data_download, name="my-data"),
    path("account/privacy/delete", privacy.account_delete_view, name="account-delete"),
    path("account/orders/find", account.order_find, name="order-find"),
    path("manifest.webmanifest", site.manifest, name="manifest"),
    path("favicon.ico", site.favicon),
    # Last: a served province's storefront (404 for any other word).
    path("<slug:province>/", province_storefront.province_home, name="province-home"),
]
