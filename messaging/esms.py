"""eSMS.vn (ViHAT) brandname SMS: "customer care" messages (SmsType 2) sent one per request.

From eSMS's public developer documentation (developers.esms.vn, English edition; the same text is in
the public `devesms/gitbook_esms_for_develop_v2_en` repository): "Send OTP/Customer care message",
"Table of error codes" and "Callback Url". Never called live from here: see the README.

- `POST https://rest.esms.vn/MainService.svc/json/SendMultipleMessage_V4_post_json/`, JSON body with
  `ApiKey`, `SecretKey`, `Phone`, `Content`, `Brandname`, `SmsType`, `IsUnicode` ("0"/"1"), `Sandbox`
  ("1": validated, neither charged nor sent), `RequestId` (de-duplication: code 124 on a repeat) and
  `CallbackUrl`. All values are sent as strings, as in the documented request.
- Answer `{"CodeResult": "100", "SMSID": "…"}`; 100 only means eSMS accepted the request.
- The final status comes to `CallbackUrl` as an unsigned GET (`SMSID`, `SendStatus`, `SendSuccess`,
  `SendFailed`, `RequestId`…), retried up to 5 times. As eSMS signs nothing, the URL we give carries
  our key and an HMAC of it (keyed with the secret key) in its path, and a receipt is believed only
  when that HMAC matches.
- Phone numbers in the national form of the documentation's examples (`0901888484`)."""

from __future__ import annotations

import hashlib
import hmac
from collections.abc import Mapping
from typing import Any
from urllib.parse import quote, unquote

from adapter_http import DEFAULT_TIMEOUT, HttpResponse, Transport, flag, json_request, setting, urllib_transport
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
from messaging.phones import national_form
from messaging.text import sms_length, to_gsm7

DEFAULT_ENDPOINT = "https://rest.esms.vn"
SEND_PATH = "/MainService.svc/json/SendMultipleMessage_V4_post_json/"
CUSTOMER_CARE = "2"

# CodeResult -> (error, retryable). 100 is success and 124 a repeated RequestId (sent before).
ERRORS: Mapping[str, tuple[DeliveryError, bool]] = {
    "99": (DeliveryError.RECIPIENT_UNREACHABLE, False),  # "The phone number is blocked in the system"
    "101": (DeliveryError.AUTH_FAILED, False),  # wrong ApiKey or SecretKey
    "102": (DeliveryError.AUTH_FAILED, False),  # no price list: the account is not set up
    "103": (DeliveryError.INSUFFICIENT_BALANCE, False),
    "104": (DeliveryError.AUTH_FAILED, False),  # brandname not registered for this account
    "108": (DeliveryError.RECIPIENT_INVALID, False),
    "118": (DeliveryError.PROVIDER_ERROR, False),  # unsupported message type: our configuration
    "140": (DeliveryError.AUTH_FAILED, False),  # our IP is not whitelisted
    "146": (DeliveryError.CONTENT_REJECTED, False),  # text does not match a registered customer-care template
    "177": (DeliveryError.RECIPIENT_UNREACHABLE, False),  # brandname not registered with the recipient's operator
    "300": (DeliveryError.PROVIDER_ERROR, False),  # missing message type
}
SENT, DUPLICATE = "100", "124"


def _digest(secret: str, key: str) -> str:
    return hmac.new(secret.encode("utf-8"), key.encode("utf-8"), hashlib.sha256).hexdigest()[:32]


class EsmsChannel:
    id: str = "esms"
    name: str = "SMS (eSMS)"
    medium: Medium = Medium.SMS
    address_kind: AddressKind = AddressKind.PHONE

    def __init__(
        self,
        api_key: str,
        secret_key: str,
        brandname: str,
        *,
        endpoint: str = DEFAULT_ENDPOINT,
        unicode: bool = False,
        sandbox: bool = False,
        sms_type: str = CUSTOMER_CARE,
        callback_url: str | None = None,
        max_segments: int = 3,
        transport: Transport | None = None,
        timeout: float = DEFAULT_TIMEOUT,
    ) -> None:
        if not api_key or not secret_key or not brandname:
            raise ValueError("eSMS needs an API key, a secret key and a brandname")
        self._api_key = api_key
        self._secret_key = secret_key
        self.brandname = brandname
        self.endpoint = endpoint.rstrip("/")
        self.unicode = unicode
        self.sandbox = sandbox
        self.sms_type = sms_type
        self.callback_url = callback_url.rstrip("/") if callback_url else None
        self.max_segments = max_segments
        self._transport: Transport = transport or urllib_transport
        self.timeout = timeout

    def __repr__(self) -> str:
        return f"EsmsChannel(brandname={self.brandname!r}, endpoint={self.endpoint!r}, sandbox={self.sandbox})"

    @classmethod
    def from_env(cls, environ: Mapping[str, str], **kwargs: Any) -> EsmsChannel | None:
        api_key, secret_key, brandname = (
            setting(environ, n) for n in ("ESMS_API_KEY", "ESMS_SECRET_KEY", "ESMS_BRANDNAME")
        )
        if not api_key or not secret_key or not brandname:
            return None
        return cls(
            api_key,
            secret_key,
            brandname,
            endpoint=setting(environ, "ESMS_ENDPOINT") or DEFAULT_ENDPOINT,
            unicode=flag(environ, "ESMS_UNICODE"),
            sandbox=flag(environ, "ESMS_SANDBOX"),
            callback_url=setting(environ, "ESMS_CALLBACK_URL"),
            max_segments=int(setting(environ, "ESMS_MAX_SEGMENTS") or 3),
            **kwargs,
        )

    def can_address(self, recipient: Recipient) -> bool:
        return national_form(recipient.phone) is not None

    def content(self, message: Message) -> str:
        """What is sent: the SMS text as written when sending Unicode, folded to GSM-7 otherwise."""
        return message.short_text if self.unicode else to_gsm7(message.short_text)

    def callback_for(self, key: str) -> str | None:
        if not self.callback_url:
            return None
        return f"{self.callback_url}/{quote(key, safe='')}/{_digest(self._secret_key, key)}"

    def request_body(self, message: Message) -> dict[str, str]:
        key = message.channel_key(self.id)
        body = {
            "ApiKey": self._api_key,
            "Content": self.content(message),
            "Phone": national_form(message.recipient.phone) or "",
            "SecretKey": self._secret_key,
            "Brandname": self.brandname,
            "SmsType": self.sms_type,
            "IsUnicode": "1" if self.unicode else "0",
            "Sandbox": "1" if self.sandbox else "0",
            "RequestId": key,
        }
        callback = self.callback_for(key)
        if callback:
            body["CallbackUrl"] = callback
        return body

    def send(self, message: Message) -> DeliveryResult:
        refusal = phone_refusal(self.id, message.recipient, self.can_address(message.recipient))
        if refusal is not None:
            return refusal
        content = self.content(message)
        if not content.strip():
            return DeliveryResult.failed(self.id, DeliveryError.CONTENT_REJECTED, detail="no SMS text")
        length = sms_length(content)
        if length.segments > self.max_segments:
            return DeliveryResult.failed(self.id, DeliveryError.MESSAGE_TOO_LONG, detail=f"{length.segments} segments")
        answer = call_json(
            self._transport, json_request(self.endpoint + SEND_PATH, self.request_body(message)), self.timeout, self.id
        )
        if isinstance(answer, DeliveryResult):
            return answer
        code = str(answer.get("CodeResult", ""))
        info = {"segments": str(length.segments), "unicode": "1" if length.unicode else "0"}
        if code == SENT:
            return DeliveryResult.sent(self.id, str(answer.get("SMSID") or "") or None, provider_code=code, info=info)
        if code == DUPLICATE:
            return DeliveryResult.sent(self.id, None, duplicate=True, provider_code=code, info=info)
        error, retryable = ERRORS.get(code, (DeliveryError.PROVIDER_ERROR, False))
        return DeliveryResult.failed(
            self.id,
            error,
            retryable=retryable,
            provider_code=code or "?",
            detail=str(answer.get("ErrorMessage", ""))[:200],
        )

    def parse_receipt(self, request: InboundRequest) -> DeliveryReceipt | None:
        if not self.callback_url:
            raise ReceiptNotSupported("ESMS_CALLBACK_URL is not set")
        parts = request.path.rstrip("/").split("/")
        if len(parts) < 2:
            raise InvalidReceipt("eSMS callback path lacks the key and its signature")
        key, signature = unquote(parts[-2]), parts[-1]
        if not hmac.compare_digest(_digest(self._secret_key, key).encode(), signature.encode("utf-8", "replace")):
            raise InvalidReceipt("eSMS callback signature does not match")
        sms_id = request.query.get("SMSID", "")
        if not sms_id:
            raise InvalidReceipt("eSMS callback lacks SMSID")
        status = request.query.get("SendStatus", "")
        succeeded, failed = _count(request.query.get("SendSuccess")), _count(request.query.get("SendFailed"))
        if status == "4" or (status == "5" and failed and not succeeded):
            outcome = ReceiptStatus.FAILED
        elif status == "5" and succeeded:
            outcome = ReceiptStatus.DELIVERED
        else:  # 1 pending approval, 2 waiting, 7 at the operator awaiting its report
            outcome = ReceiptStatus.PENDING
        return DeliveryReceipt(
            channel_id=self.id,
            provider_message_id=sms_id,
            status=outcome,
            idempotency_key=key,
            error=DeliveryError.RECIPIENT_UNREACHABLE if outcome is ReceiptStatus.FAILED else None,
            provider_code=status,
        )

    def receipt_reply(self, *, accepted: bool) -> HttpResponse:
        # Any 200 stops eSMS's retries; a forged callback gets 403 and nothing else.
        return HttpResponse(status=200 if accepted else 403, body=b"OK" if accepted else b"")


def _count(value: str | None) -> int:
    return int(value) if value and value.isdigit() else 0
