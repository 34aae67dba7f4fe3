"""Write side of province reports: evaluating the alert rules."""

from __future__ import annotations

from datetime import datetime

from django.conf import settings
from django.db import transaction
from django.db.models import Q
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from backend.accounts.selectors import province_admins
from backend.notifications.services import notify
from backend.regions.models import Province
from backend.regions.served import served_province_slugs
from backend.reports.alerts import RULES, Finding, Thresholds
from backend.reports.models import Alert


def _apply(*, province: Province, kind: str, findings: list[Finding], now: datetime) -> tuple[int, int]:
    """Open alerts for new findings, refresh the open ones, resolve those whose condition cleared.

    Returns (opened, resolved)."""
    current = {finding.subject_key: finding for finding in findings}
    open_rows = {
        a.subject_key: a
        for a in Alert.objects.select_for_update().filter(kind=kind, province=province, resolved_at__isnull=True)
    }
    gone = [a.pk for key, a in open_rows.items() if key not in current]
    resolved = Alert.objects.filter(pk__in=gone).update(resolved_at=now) if gone else 0
    fresh = []
    for key, finding in current.items():
        alert = open_rows.get(key)
        if alert is None:
            fresh.append(
                Alert(
                    province=province,
                    kind=kind,
                    subject_key=key,
                    commune_id=finding.commune_id,
                    seller_id=finding.seller_id,
                    product_id=finding.product_id,
                    figure=finding.figure,
                    threshold=finding.threshold,
                    first_seen_at=now,
                    last_seen_at=now,
                )
            )
        else:
            alert.figure, alert.threshold, alert.last_seen_at = finding.figure, finding.threshold, now
            alert.save(update_fields=["figure", "threshold", "last_seen_at"])
    Alert.objects.bulk_create(fresh)
    if fresh:
        _tell_officers(province=province, alerts=fresh)
    return len(fresh), resolved


def _tell_officers(*, province: Province, alerts: list[Alert]) -> None:
    """Each newly opened alert reaches the province's officers (Zalo, SMS or e-mail), in this transaction."""
    url = settings.PUBLIC_URL + reverse("province:alerts")
    for officer in province_admins(province_id=province.pk):
        with translation.override(officer.preferred_language or settings.LANGUAGE_CODE):
            for alert in alerts:
                subject = alert.subject_key
                text = _("%(alert)s in %(province)s (%(subject)s): %(figure)s, threshold %(threshold)s.") % {
                    "alert": alert.get_kind_display(),
                    "province": province.name,
                    "subject": subject,
                    "figure": f"{alert.figure:g}",
                    "threshold": f"{alert.threshold:g}",
                }
                notify(
                    kind="officer.alert",
                    event_key=f"alert:{alert.kind}:{alert.subject_key}:{alert.first_seen_at.timestamp():.0f}",
                    recipients=[officer],
                    params={"text": text, "url": url},
                )


def evaluate_alerts(*, province: Province | None = None, now: datetime | None = None) -> dict[str, int]:
    """Run every rule for one province (or all of them): one transaction per province.

    "All" is every served province (SERVED_PROVINCES) and every other province that has sellers:
    the same rules with each province's own thresholds.

    An alert stays one row while its condition holds; it gets `resolved_at` when the condition
    clears, and a new row is opened if it comes back later. Returns counts of opened and resolved.
    """
    moment = now or timezone.now()
    provinces = (
        [province]
        if province is not None
        else list(
            Province.objects.filter(Q(communes__sellers__isnull=False) | Q(slug__in=served_province_slugs()))
            .distinct()
            .order_by("code")
        )
    )
    totals = {"opened": 0, "resolved": 0}
    for target in provinces:
        limits = Thresholds.for_province(target)
        with transaction.atomic():
            for kind, rule in RULES.items():
                opened, resolved = _apply(province=target, kind=kind, findings=rule(target, limits, moment), now=moment)
                totals["opened"] += opened
                totals["resolved"] += resolved
    return totals
