"""The main pages of the three areas, with the data and the signed-in user each needs."""

from __future__ import annotations

from dataclasses import dataclass

from django.test import Client

from backend.accounts.models import User
from backend.orders.models import SellerOrder
from backend.sellers.models import SellerStatus
from tests.checkout.helpers import Shop
from tests.factories import SellerFactory, UserFactory


@dataclass
class MainPage:
    name: str
    client: Client
    url: str


def main_pages(shop: Shop, admin: User, placed: SellerOrder) -> list[MainPage]:
    """Every main page, fetched the way its user does (anonymous buyer, seller staff, province admin)."""
    buyer, seller, officer, member = Client(), Client(), Client(), Client()
    member.force_login(placed.order.user or UserFactory())
    buyer.post("/cart/add", {"variant": shop.variant.pk, "quantity": 1})
    seller.force_login(shop.staff)
    officer.force_login(admin)
    pending = SellerFactory(name="HTX Chờ Duyệt", status=SellerStatus.PENDING)
    product, base = shop.variant.product, f"/seller/{shop.seller.pk}"
    return [
        MainPage("home", buyer, "/"),
        MainPage("search", buyer, "/search/?q=dau+tay"),
        MainPage("product", buyer, f"/p/{product.slug}/"),
        MainPage("seller", buyer, f"/s/{shop.seller.slug}/"),
        MainPage("cart", buyer, "/cart/"),
        MainPage("checkout", buyer, "/checkout/"),
        MainPage("order", buyer, f"/orders/{placed.order.token}"),
        MainPage("order-lookup", Client(), "/account/orders/"),
        MainPage("my-orders", member, "/account/orders/"),
        MainPage("login", Client(), "/account/login"),
        MainPage("signup", Client(), "/account/signup"),
        MainPage("seller-dashboard", seller, f"{base}/"),
        MainPage("seller-products", seller, f"{base}/products/"),
        MainPage("seller-product-new", seller, f"{base}/products/new"),
        MainPage("seller-product-edit", seller, f"{base}/products/{product.pk}/"),
        MainPage("seller-orders", seller, f"{base}/orders/?status=ALL"),
        MainPage("seller-order", seller, f"{base}/orders/{placed.pk}/"),
        MainPage("seller-payouts", seller, f"{base}/payouts/"),
        MainPage("seller-reviews", seller, f"{base}/reviews/"),
        MainPage("seller-staff", seller, f"{base}/staff/"),
        MainPage("seller-apply", seller, "/seller/apply"),
        MainPage("province-queue", officer, "/province/sellers/"),
        MainPage("province-seller", officer, f"/province/sellers/{pending.pk}/"),
        MainPage("province-reports", officer, "/province/reports/"),
        MainPage("province-reviews", officer, "/province/reviews/"),
        MainPage("province-audit", officer, "/province/audit/"),
        MainPage("province-dashboard", officer, "/province/dashboard/"),
        MainPage("province-alerts", officer, "/province/alerts/?state=all"),
        MainPage("province-imports", officer, "/province/imports/"),
    ]
