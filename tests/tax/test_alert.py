"""The early warning before the 20th: a month with tax withheld that nobody closed raises
TAX_MONTH_NOT_CLOSED (figure: days left until the due date), and closing it resolves the alert."""

from __future__ import annotations

from datetime import datetime, timedelta
from typing import Any

import pytest
from django.test import Client
from django.utils import timezone

from backend.regions.models import Province
from backend.reports.models import Alert, AlertKind
from backend.reports.services import evaluate_alerts
from backend.sellers.models import SellerKind
from backend.tax.models import TaxPeriodClose
from backend.tax.periods import next_month
from tests.checkout.helpers import PICKUP
from tests.orders.payment_helpers import configure_gateways
from tests.reports.helpers import province_admin
from tests.tax.helpers import make_shop_of, pay_online

pytestmark = pytest.mark.django_db


def _at(day: Any, hour: int = 9) -> datetime:
    return timezone.make_aware(datetime(day.year, day.month, day.day, hour), timezone.get_default_timezone())


def test_an_unclosed_month_warns_before_the_20th_until_it_is_closed(
    regions: None, client: Client, monkeypatch: pytest.MonkeyPatch, settings: Any
) -> None:
    configure_gateways(monkeypatch, settings)
    lam_dong = Province.objects.get(slug="lam-dong")
    this_month = timezone.localdate().replace(day=1)
    evaluate_alerts(province=lam_dong, now=_at(this_month + timedelta(days=3)))
    assert not Alert.objects.filter(kind=AlertKind.TAX_MONTH_NOT_CLOSED).exists()  # nothing withheld yet

    pay_online(client, make_shop_of(SellerKind.HOUSEHOLD, price=100_000), quantity=1, kind=PICKUP)
    evaluate_alerts(province=lam_dong, now=_at(timezone.localdate(), 23))
    assert not Alert.objects.filter(kind=AlertKind.TAX_MONTH_NOT_CLOSED).exists()  # the month is not over

    following = next_month(this_month)
    evaluate_alerts(province=lam_dong, now=_at(following.replace(day=12)))
    [alert] = Alert.objects.filter(kind=AlertKind.TAX_MONTH_NOT_CLOSED, resolved_at__isnull=True)
    assert alert.subject_key == f"tax:{this_month:%Y-%m}" and alert.figure == 8  # 8 days to the 20th
    evaluate_alerts(province=lam_dong, now=_at(following.replace(day=22)))
    alert.refresh_from_db()
    assert alert.figure == -2 and alert.resolved_at is None  # overdue: still open
    web = Client()
    web.force_login(province_admin())
    page = web.get("/province/alerts/")
    assert page.status_code == 200 and "Tháng khấu trừ thuế chưa khai" in page.content.decode()

    TaxPeriodClose.objects.create(province=lam_dong, period=this_month, vat=1_000, pit=500)
    evaluate_alerts(province=lam_dong, now=_at(following.replace(day=23)))
    alert.refresh_from_db()
    assert alert.resolved_at is not None
    # Another province with no sales has no alert.
    assert not Alert.objects.filter(kind=AlertKind.TAX_MONTH_NOT_CLOSED, province__slug="ha-noi").exists()
