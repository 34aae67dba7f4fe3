"""The message kinds and their texts: English in the code, Vietnamese in the translation catalogue.

Each kind renders, in the recipient's language, an e-mail subject and body, a short text (SMS, and the
line a Zalo sandbox shows) and the named parameters a ZNS template takes. `params` are plain strings
the caller gives (order number, amounts already formatted, a link); a missing one renders as "".
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass

from django.utils import translation
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, gettext_noop

from messaging.planner import DEFAULT_KIND_POLICIES, KindPolicy


@dataclass(frozen=True)
class Rendered:
    subject: str
    text: str
    short_text: str


class _Params(dict[str, str]):
    def __missing__(self, key: str) -> str:
        return ""


def _otp(p: Mapping[str, str]) -> Rendered:
    purposes = {
        "SIGN_IN": _("to sign in"),
        "PASSWORD_RESET": _("to choose a new password"),
        "VERIFY_PHONE": _("to confirm your phone"),
        "HELPER_CONSENT": _("to let a commune helper sell for you"),
    }
    values = {**p, "purpose": purposes.get(p["purpose"], "")}
    short = _("Cho Phien: %(code)s is your code %(purpose)s. It expires in %(minutes)s minutes. Never share it.")
    return Rendered(_("Your Chợ Phiên code: %(code)s") % values, short % values, short % values)


def _simple(subject: str, body: str) -> Callable[[Mapping[str, str]], Rendered]:
    def render(p: Mapping[str, str]) -> Rendered:
        text = _(body) % p
        link = f"\n{p['url']}" if p.get("url") else ""
        return Rendered(_(subject) % p, text + link, (text + (f" {p['url']}" if p.get("url") else "")).strip())

    return render


# Marked for translation here (gettext_noop); rendered with `_()` in the recipient's language.
TEMPLATES: dict[str, Callable[[Mapping[str, str]], Rendered]] = {
    "otp": _otp,
    "order.placed": _simple(
        gettext_noop("Order %(number)s received"),
        gettext_noop("Chợ Phiên: thank you! Order %(number)s (%(total)s) has been received."),
    ),
    "order.new_for_seller": _simple(
        gettext_noop("New order %(number)s"),
        gettext_noop("Chợ Phiên: new order %(number)s for %(seller)s: %(total)s. Confirm it in the seller portal."),
    ),
    "order.confirmed": _simple(
        gettext_noop("Order %(number)s confirmed"),
        gettext_noop("Chợ Phiên: %(seller)s confirmed your order %(number)s."),
    ),
    "order.shipped": _simple(
        gettext_noop("Order %(number)s is on its way"),
        gettext_noop("Chợ Phiên: %(seller)s sent your order %(number)s. %(tracking)s"),
    ),
    "order.delivered": _simple(
        gettext_noop("Order %(number)s delivered"),
        gettext_noop("Chợ Phiên: your order %(number)s from %(seller)s was delivered."),
    ),
    "order.cancelled": _simple(
        gettext_noop("Order %(number)s cancelled"),
        gettext_noop("Chợ Phiên: %(seller)s cancelled your order %(number)s. %(reason)s"),
    ),
    "cod.to_collect": _simple(
        gettext_noop("Cash to collect for order %(number)s"),
        gettext_noop("Chợ Phiên: collect %(total)s in cash for order %(number)s on delivery."),
    ),
    "refund.issued": _simple(
        gettext_noop("Refund for order %(number)s"),
        gettext_noop("Chợ Phiên: %(amount)s is being refunded for order %(number)s."),
    ),
    "booking.ticket": _simple(
        gettext_noop("Your ticket for %(experience)s"),
        gettext_noop("Chợ Phiên: your booking %(number)s for %(experience)s on %(date)s is confirmed."),
    ),
    "booking.cancelled": _simple(
        gettext_noop("Booking %(number)s cancelled"),
        gettext_noop("Chợ Phiên: your booking %(number)s for %(experience)s was cancelled."),
    ),
    "seller.application_approved": _simple(
        gettext_noop("Your shop %(seller)s has been approved"),
        gettext_noop("Chợ Phiên: %(seller)s is approved. You can list products now."),
    ),
    "seller.application_rejected": _simple(
        gettext_noop("Your application for %(seller)s was not approved"),
        gettext_noop("Chợ Phiên: the application of %(seller)s was not approved. %(reason)s"),
    ),
    "seller.suspended": _simple(
        gettext_noop("%(seller)s is suspended on Chợ Phiên"),
        gettext_noop("Chợ Phiên: %(seller)s is suspended; its products are hidden until it is reinstated. %(reason)s"),
    ),
    "seller.reinstated": _simple(
        gettext_noop("%(seller)s is active again on Chợ Phiên"),
        gettext_noop("Chợ Phiên: %(seller)s is active again; your products are visible and buyers can order."),
    ),
    "seller.listings_hidden": _simple(
        gettext_noop("Listings hidden at the request of %(authority)s"),
        gettext_noop(
            "Chợ Phiên: %(count)s listings of %(seller)s are hidden at the request of %(authority)s "
            "(document %(number)s). Reason: %(reason)s"
        ),
    ),
    "marketing.news": _simple(gettext_noop("News from Chợ Phiên"), gettext_noop("Chợ Phiên: %(text)s")),
    "officer.alert": _simple(gettext_noop("Chợ Phiên alert"), gettext_noop("Chợ Phiên: %(text)s")),
}

# The labels the preferences page shows (only kinds a person may change are listed there).
LABELS = {
    "order.placed": gettext_lazy("Order received"),
    "order.confirmed": gettext_lazy("Order confirmed"),
    "order.shipped": gettext_lazy("Order shipped"),
    "order.delivered": gettext_lazy("Order delivered"),
    "order.cancelled": gettext_lazy("Order cancelled"),
    "order.new_for_seller": gettext_lazy("New orders for my shop"),
    "booking.ticket": gettext_lazy("Booking tickets"),
    "marketing.news": gettext_lazy("News and offers"),
}


def policy(kind: str) -> KindPolicy:
    return DEFAULT_KIND_POLICIES.get(kind, KindPolicy())


def render(kind: str, params: Mapping[str, str], *, language: str) -> Rendered:
    """The texts of `kind` in `language`; an unknown kind raises KeyError (a programming error)."""
    template = TEMPLATES[kind]
    with translation.override(language):
        return template(_Params({k: str(v) for k, v in params.items()}))
