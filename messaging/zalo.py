"""Zalo Notification Service (ZNS): approved template messages to a phone number through our Official Account.

- Send: `POST https://business.openapi.zalo.me/message/template`, header `access_token`, JSON
  `{"phone": "84912345678", "template_id": "…", "template_data": {…}, "tracking_id": "…"}` (plus
  `"mode": "development"` to reach only the OA's admins without using quota). Answer `{"error": 0,
  "data": {"msg_id": …, "sent_time": …, "quota": {"dailyQuota": …, "remainingQuota": …}}}`.
  ZNS does not de-duplicate on `tracking_id` (it is for reconciliation): a send retried after a lost
  answer may reach the phone twice.
- Templates are registered and approved at Zalo per message kind; `ZNS_TEMPLATE_<KIND>` names the id and
  `ZNS_TEMPLATE_<KIND>_PARAMS` maps Zalo's parameter names to ours (`order_code:order_number,…`).
- Error codes from Zalo's "Cách xử lý mã lỗi" (zalo.cloud/zns/guidelines/handle-error-code). That page
  was read for -100 to -112; -114 and -118 are confirmed by provider callbacks quoting Zalo's text; the
  rows marked [inferred] follow the order of the same table as republished by Zalo partners.
- Delivery receipts: the OA webhook's `user_received_message` event, signed in `X-ZEvent-Signature` as
  `mac=sha256(app_id + raw body + timestamp + OA secret key)`. [unverified: from third-party webhook
  handlers; the event's field names too.]"""

from __future__ import annotations

import hashlib
import hmac
import json
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from datetime import UTC, datetime
from typing import Any

from adapter_http import DEFAULT_TIMEOUT, HttpResponse, Transport, json_request, setting, urllib_transport
from messaging.base import (
    AddressKind,
    DeliveryError,
    DeliveryReceipt,
    DeliveryResult,
    InboundRequest,
    InvalidReceipt,
    Medium,
    Message,
    ReceiptNotSupported,
    ReceiptStatus,
    Recipient,
)
from messaging.calls import call_json, phone_refusal
from messaging.phones import international_digits
from messaging.zalo_oauth import TokenRefreshFailed, ZaloTokenManager

DEFAULT_ENDPOINT = "https://business.openapi.zalo.me"
SEND_PATH = "/message/template"
TOKEN_ERRORS = frozenset({-124, -220})  # "Access token invalid"; "access_token is expired or removed"

_AUTH, _RECIPIENT = DeliveryError.AUTH_FAILED, DeliveryError.RECIPIENT_UNREACHABLE
ERRORS: Mapping[int, tuple[DeliveryError, bool]] = {
    -100: (DeliveryError.PROVIDER_UNAVAILABLE, True),  # unknown error, try again later
    -101: (_AUTH, False),  # application invalid
    -102: (_AUTH, False),  # application not existed
    -103: (_AUTH, False),  # application not activated
    -104: (_AUTH, False),  # app secret key invalid
    -105: (_AUTH, False),  # application not linked to any OA
    -106: (DeliveryError.PROVIDER_ERROR, False),  # method unsupported
    -107: (DeliveryError.PROVIDER_ERROR, False),  # message id invalid
    -108: (DeliveryError.RECIPIENT_INVALID, False),  # phone number invalid
    -109: (DeliveryError.TEMPLATE_REJECTED, False),  # template id invalid
    -110: (_RECIPIENT, False),  # the recipient's Zalo app is too old
    -111: (DeliveryError.TEMPLATE_DATA_INVALID, False),  # template data empty
    -112: (DeliveryError.TEMPLATE_DATA_INVALID, False),  # template data invalid
    -113: (DeliveryError.TEMPLATE_DATA_INVALID, False),  # button invalid [inferred]
    -114: (_RECIPIENT, False),  # user inactive, refuses ZNS, outdated app, or other internal errors
    -115: (DeliveryError.QUOTA_EXCEEDED, False),  # out of quota [inferred]
    -116: (DeliveryError.CONTENT_REJECTED, False),  # text invalid [inferred]
    -117: (DeliveryError.TEMPLATE_REJECTED, False),  # OA or app not allowed this template (not approved) [inferred]
    -118: (_RECIPIENT, False),  # Zalo account not existed (no Zalo on this number)
    -119: (_RECIPIENT, False),  # account cannot receive ZNS [inferred]
    -124: (_AUTH, False),  # access token invalid (after one refresh)
    -220: (_AUTH, False),  # access token expired or removed (after one refresh)
}


@dataclass(frozen=True)
class ZnsTemplate:
    template_id: str
    params: Mapping[str, str] = field(default_factory=dict)  # Zalo parameter name -> our parameter name

    def data(self, message: Message) -> dict[str, str] | None:
        """The template data for `message`, or None when a parameter it needs is missing."""
        if not self.params:
            return {name: str(value) for name, value in message.params.items()}
        data: dict[str, str] = {}
        for zalo_name, ours in self.params.items():
            value = message.params.get(ours)
            if value is None or str(value) == "":
                return None
            data[zalo_name] = str(value)
        return data


def env_name(kind: str) -> str:
    """`order.placed` -> `ZNS_TEMPLATE_ORDER_PLACED`."""
    return "ZNS_TEMPLATE_" + kind.upper().replace(".", "_").replace("-", "_")


def templates_from_env(environ: Mapping[str, str], kinds: Iterable[str]) -> dict[str, ZnsTemplate]:
    """For each message kind with `ZNS_TEMPLATE_<KIND>=312345`, its template, with the optional parameter
    mapping `ZNS_TEMPLATE_<KIND>_PARAMS=order_code:order_number,total:total_text` (Zalo's name:ours)."""
    templates: dict[str, ZnsTemplate] = {}
    for kind in kinds:
        template_id = setting(environ, env_name(kind))
        if not template_id:
            continue
        pairs = [pair.split(":", 1) for pair in (setting(environ, env_name(kind) + "_PARAMS") or "").split(",")]
        templates[kind] = ZnsTemplate(template_id, {z.strip(): o.strip() for z, o in (p for p in pairs if len(p) == 2)})
    return templates


class ZaloZnsChannel:
    id: str = "zalo_zns"
    name: str = "Zalo (ZNS)"
    medium: Medium = Medium.ZALO
    address_kind: AddressKind = AddressKind.PHONE

    def __init__(
        self,
        tokens: ZaloTokenManager,
        templates: Mapping[str, ZnsTemplate],
        *,
        oa_id: str,
        oa_secret_key: str | None = None,
        development_mode: bool = False,
        endpoint: str = DEFAULT_ENDPOINT,
        transport: Transport | None = None,
        timeout: float = DEFAULT_TIMEOUT,
    ) -> None:
        self.tokens = tokens
        self.templates = dict(templates)
        self.oa_id = oa_id
        self._oa_secret_key = oa_secret_key
        self.development_mode = development_mode
        self.endpoint = endpoint.rstrip("/")
        self._transport: Transport = transport or urllib_transport
        self.timeout = timeout

    def __repr__(self) -> str:
        return f"ZaloZnsChannel(oa_id={self.oa_id!r}, templates={sorted(self.templates)!r})"

    def can_address(self, recipient: Recipient) -> bool:
        return international_digits(recipient.phone) is not None

    def request_body(self, message: Message, template: ZnsTemplate, data: Mapping[str, str]) -> dict[str, Any]:
        body: dict[str, Any] = {
            "phone": international_digits(message.recipient.phone),
            "template_id": template.template_id,
            "template_data": dict(data),
            "tracking_id": message.channel_key(self.id),
        }
        if self.development_mode:
            body["mode"] = "development"
        return body

    def send(self, message: Message) -> DeliveryResult:
        refusal = phone_refusal(self.id, message.recipient, self.can_address(message.recipient))
        if refusal is not None:
            return refusal
        template = self.templates.get(message.kind)
        if template is None:
            return DeliveryResult.failed(self.id, DeliveryError.TEMPLATE_NOT_CONFIGURED, detail=message.kind)
        data = template.data(message)
        if data is None:
            return DeliveryResult.failed(self.id, DeliveryError.TEMPLATE_DATA_INVALID, detail="missing parameter")
        body = self.request_body(message, template, data)
        try:
            token = self.tokens.access_token()
            answer = self._post(body, token)
            if not isinstance(answer, DeliveryResult) and _code(answer) in TOKEN_ERRORS:
                answer = self._post(body, self.tokens.refresh(stale=token).access_token)
        except TokenRefreshFailed as exc:
            return DeliveryResult.failed(
                self.id,
                DeliveryError.AUTH_FAILED,
                retryable=exc.retryable,
                provider_code=exc.code,
                detail="token refresh",
            )
        if isinstance(answer, DeliveryResult):
            return answer
        code = _code(answer)
        if code == 0:
            data_out = _object(answer.get("data"))
            quota = _object(data_out.get("quota"))
            info = {"remaining_quota": str(quota["remainingQuota"])} if "remainingQuota" in quota else {}
            return DeliveryResult.sent(self.id, str(data_out.get("msg_id") or "") or None, provider_code="0", info=info)
        error, retryable = ERRORS.get(code, (DeliveryError.PROVIDER_ERROR, False))
        return DeliveryResult.failed(
            self.id, error, retryable=retryable, provider_code=str(code), detail=str(answer.get("message", ""))[:200]
        )

    def _post(self, body: Mapping[str, Any], token: str) -> dict[str, Any] | DeliveryResult:
        request = json_request(self.endpoint + SEND_PATH, body, headers={"access_token": token})
        return call_json(self._transport, request, self.timeout, self.id)

    def parse_receipt(self, request: InboundRequest) -> DeliveryReceipt | None:
        if not self._oa_secret_key:
            raise ReceiptNotSupported("ZALO_OA_SECRET_KEY is not set")
        try:
            event = json.loads(request.body.decode("utf-8"))
        except (UnicodeDecodeError, ValueError) as exc:
            raise InvalidReceipt("Zalo event is not JSON") from exc
        if not isinstance(event, dict):
            raise InvalidReceipt("Zalo event is not a JSON object")
        app_id, timestamp = str(event.get("app_id", "")), str(event.get("timestamp", ""))
        signed = f"{app_id}{request.body.decode('utf-8')}{timestamp}{self._oa_secret_key}".encode()
        expected = "mac=" + hashlib.sha256(signed).hexdigest()
        received = request.header("X-ZEvent-Signature").strip().lower()
        if not received.startswith("mac="):
            received = "mac=" + received
        if not hmac.compare_digest(expected.encode(), received.encode("utf-8", "replace")):
            raise InvalidReceipt("Zalo event signature does not match")
        if app_id != self.tokens.app_id:
            raise InvalidReceipt("Zalo event for another app")
        # Signed by Zalo from here on.
        if event.get("event_name") != "user_received_message":
            return None
        detail = _object(event.get("message"))
        msg_id = str(detail.get("msg_id", ""))
        if not msg_id:
            return None
        delivered = str(detail.get("delivery_time", ""))
        at = datetime.fromtimestamp(int(delivered) / 1000, tz=UTC) if delivered.isdigit() else None
        tracking = detail.get("tracking_id")
        return DeliveryReceipt(
            channel_id=self.id,
            provider_message_id=msg_id,
            status=ReceiptStatus.DELIVERED,
            at=at,
            idempotency_key=str(tracking) if tracking else None,
        )

    def receipt_reply(self, *, accepted: bool) -> HttpResponse:
        # Zalo wants a 200 fast (about 2 s) and retries otherwise; a forged event gets 403.
        return HttpResponse(status=200 if accepted else 403)


def _code(answer: Mapping[str, Any]) -> int:
    try:
        return int(answer.get("error", -100))
    except (TypeError, ValueError):
        return -100


def _object(value: object) -> dict[str, Any]:
    return value if isinstance(value, dict) else {}
