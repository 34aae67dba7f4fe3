"""Published documents: every page in vi/en, linked from every page's footer, versioned acceptances."""

from __future__ import annotations

import pytest
from django.test import Client

from backend.legal.documents import BUYER_TERMS, DOCUMENTS, SELLER_TERMS
from backend.legal.models import Acceptance
from backend.orders import services as order_services
from storefront_api.core.ids import global_id
from tests.checkout.helpers import make_shop
from tests.factories import UserFactory, commune
from tests.orders.test_services_smoke import _ready_checkout
from tests.sellers.operations import SELLER_APPLY

pytestmark = pytest.mark.django_db

REGISTER = """
mutation R($email: String!, $password: String!) {
  accountRegister(input: {email: $email, password: $password}) { errors { field code } }
}
"""


@pytest.mark.parametrize("document", DOCUMENTS, ids=lambda d: d.slug)
def test_every_document_exists_in_vietnamese_and_english(client: Client, document) -> None:
    vietnamese = client.get(f"/legal/{document.slug}/", HTTP_ACCEPT_LANGUAGE="vi").content.decode()
    english = client.get(f"/legal/{document.slug}/", HTTP_ACCEPT_LANGUAGE="en").content.decode()
    assert f'data-version="{document.version}"' in vietnamese and f'data-version="{document.version}"' in english
    assert 'lang="vi"' in vietnamese and 'lang="en"' in english
    assert vietnamese.split("<article")[1] != english.split("<article")[1]


def test_every_page_links_every_document_in_its_footer(client: Client, regions) -> None:
    for path in ("/", "/search/", "/cart/", "/account/login", "/legal/privacy/"):
        footer = client.get(path).content.decode().split("<footer")[1]
        for document in DOCUMENTS:
            assert f'href="/legal/{document.slug}/"' in footer, (path, document.slug)


def test_the_return_policy_says_deadline_how_refund_and_who_pays(client: Client) -> None:
    page = client.get("/legal/returns/", HTTP_ACCEPT_LANGUAGE="en").content.decode()
    for heading in ("Deadline", "How to return or exchange", "Refund method", "Who pays"):
        assert heading in page


def test_the_moit_badge_and_number_come_from_settings(client: Client, settings) -> None:
    assert 'data-moit="pending"' in client.get("/legal/registration/").content.decode()
    settings.MOIT_REGISTRATION_NUMBER = "TMĐT-2026-0042"
    page = client.get("/legal/registration/").content.decode()
    assert 'data-moit="registered"' in page and "TMĐT-2026-0042" in page and "moit-registered.svg" in page


def test_graphql_lists_documents_and_registration(gql, settings) -> None:
    settings.MOIT_REGISTRATION_NUMBER = "TMĐT-2026-0042"
    data = gql("{ legalDocuments { slug version url } marketplaceRegistration { moitRegistrationNumber } }").data
    assert [d["slug"] for d in data["legalDocuments"]] == [d.slug for d in DOCUMENTS]
    assert data["marketplaceRegistration"]["moitRegistrationNumber"] == "TMĐT-2026-0042"


def test_sign_up_records_the_versions_accepted(gql) -> None:
    result = gql(REGISTER, {"email": "moi@example.vn", "password": "Mat-khau-rat-dai-2026"})
    assert result.payload("accountRegister")["errors"] == []
    rows = Acceptance.objects.filter(user__email="moi@example.vn", context="SIGNUP")
    assert sorted(rows.values_list("document", "version")) == sorted((d.slug, d.version) for d in BUYER_TERMS)


def test_a_seller_application_records_the_seller_terms(gql, regions) -> None:
    applicant = UserFactory()
    place = global_id("Commune", commune().pk)
    variables = {"input": {"name": "HTX A", "kind": "COOPERATIVE", "commune": place, "phone": "0903123456"}}
    assert gql(SELLER_APPLY, variables, user=applicant).payload("sellerApply")["errors"] == []
    rows = Acceptance.objects.filter(user=applicant, context="SELLER_APPLICATION")
    assert {r.document for r in rows} == {d.slug for d in SELLER_TERMS}
    assert {r.seller_id for r in rows} == {applicant.seller_memberships.get().seller_id}


def test_checkout_records_the_buyer_terms_once_per_order(regions) -> None:
    shop = make_shop(price=100_000)
    checkout = _ready_checkout([shop])
    order = order_services.checkout_complete(checkout=checkout, gateway_id="cod", user=None).order
    order_services.checkout_complete(checkout=checkout, gateway_id="cod", user=None)  # a double submit
    rows = Acceptance.objects.filter(order_id=order.pk, context="CHECKOUT")
    assert sorted(rows.values_list("document", "version")) == sorted((d.slug, d.version) for d in BUYER_TERMS)
