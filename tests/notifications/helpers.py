"""Reading what the sandbox channels sent (as a tester does at /dev/outbox/), and the phone operations."""

from __future__ import annotations

import re
from typing import Any

import pytest

from backend.notifications.models import SandboxMessage

OTP_REQUEST = """
mutation Otp($phone: String!, $purpose: OtpPurpose) {
  otpRequest(phone: $phone, purpose: $purpose) {
    phone resendAfterSeconds expiresInSeconds errors { field code message }
  }
}
"""

TOKEN_CREATE_WITH_OTP = """
mutation SignIn($phone: String!, $code: String!) {
  tokenCreateWithOtp(phone: $phone, code: $code) {
    token refreshToken user { id email phone phoneVerified } errors { field code message }
  }
}
"""

REGISTER_WITH_PHONE = """
mutation Register($input: AccountRegisterWithPhoneInput!) {
  accountRegisterWithPhone(input: $input) {
    token refreshToken created user { id email phone phoneVerified fullName } errors { field code message }
  }
}
"""

PHONE_VERIFY = """
mutation Verify($phone: String!, $code: String!) {
  phoneVerify(phone: $phone, code: $code) { user { phone phoneVerified } errors { field code message } }
}
"""

SET_PASSWORD_WITH_OTP = """
mutation Reset($phone: String!, $code: String!, $password: String!) {
  setPasswordWithOtp(phone: $phone, code: $code, password: $password) {
    token user { phone } errors { field code message }
  }
}
"""

REQUEST_PASSWORD_RESET = """
mutation Ask($phone: String) { requestPasswordReset(phone: $phone) { errors { field code message } } }
"""

PHONE = "+84912345678"


def last_code(address: str = PHONE) -> str:
    """The 6 digits of the newest sandbox message to `address`."""
    message = SandboxMessage.objects.filter(address=address).order_by("-id").first()
    assert message is not None, f"nothing was sent to {address}"
    found = re.search(r"\b(\d{6})\b", message.text)
    assert found, message.text
    return found.group(1)


@pytest.fixture
def sandbox(settings: Any) -> None:
    """Sandbox channels (DEBUG) with the platform's default Zalo → SMS → e-mail, no quiet hours."""
    settings.DEBUG = True
    settings.NOTIFY_QUIET_HOURS = "off"
