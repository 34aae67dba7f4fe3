"""Sign in (or up) and reset a password with a phone and a one-time code, over `backend.accounts.phone_auth`.

Two steps on one URL: the number (a code is sent by Zalo or SMS; the page says the same whether or not
the number has an account), then the code. A right code signs the account in, or creates it (with the
optional name) when the number has none. The number waits in the session between the steps.
"""

from __future__ import annotations

from django.contrib.auth import login
from django.http import HttpRequest, HttpResponse, HttpResponseRedirect
from django.shortcuts import render
from django.urls import reverse
from django.views.decorators.http import require_http_methods

from backend.accounts import phone_auth
from backend.accounts.models import CodePurpose
from backend.accounts.phone_auth import NotRegistered
from backend.core.errors import DomainError
from backend.core.net import client_ip
from backend.web.forms.auth import PHONE_FIELDS, PhoneCodeForm, PhoneForm, PhoneResetForm
from backend.web.views.auth import MODEL_BACKEND, _next
from backend.web.views.common import add_domain_errors

PHONE_SESSION_KEY = "otp_phone"
RESET_PHONE_SESSION_KEY = "otp_reset_phone"


def _ask_code(request: HttpRequest, form: PhoneForm, *, purpose: str, session_key: str) -> bool:
    try:
        asked = phone_auth.request_code(phone=form.cleaned_data["phone"], purpose=purpose, ip=client_ip(request))
    except DomainError as exc:
        add_domain_errors(form, exc, PHONE_FIELDS)
        return False
    request.session[session_key] = asked.phone
    return True


@require_http_methods(["GET", "POST"])
def phone_login_view(request: HttpRequest) -> HttpResponse:
    target, next_error = _next(request)
    phone = request.session.get(PHONE_SESSION_KEY, "")
    step = request.POST.get("step", "")
    phone_form = PhoneForm(request.POST if step == "phone" else None)
    code_form = PhoneCodeForm(request.POST if step == "code" else None)
    if step == "phone" and not next_error and phone_form.is_valid():
        if _ask_code(request, phone_form, purpose=CodePurpose.SIGN_IN, session_key=PHONE_SESSION_KEY):
            phone = request.session[PHONE_SESSION_KEY]
            code_form = PhoneCodeForm()
    elif step == "code" and phone and not next_error and code_form.is_valid():
        data = code_form.cleaned_data
        ip = client_ip(request)
        try:
            try:
                pair = phone_auth.token_create_with_otp(phone=phone, code=data["code"], ip=ip)
            except NotRegistered:
                pair = phone_auth.account_register_with_phone(
                    phone=phone,
                    code=data["code"],
                    full_name=data["full_name"],
                    preferred_language=(request.LANGUAGE_CODE or "vi")[:2],
                    ip=ip,
                ).tokens
        except DomainError as exc:
            add_domain_errors(code_form, exc, PHONE_FIELDS)
        else:
            request.session.pop(PHONE_SESSION_KEY, None)
            login(request, pair.user, backend=MODEL_BACKEND)
            return HttpResponseRedirect(target or reverse("web:home"))
    elif step == "restart":
        request.session.pop(PHONE_SESSION_KEY, None)
        phone = ""
    status = (
        400 if (request.method == "POST" and step != "restart" and (phone_form.errors or code_form.errors)) else 200
    )
    context = {
        "phone_form": phone_form,
        "code_form": code_form,
        "phone": phone if step != "restart" else "",
        "next": target,
        "next_error": next_error,
    }
    return render(request, "web/auth/phone_login.html", context, status=400 if next_error else status)


@require_http_methods(["GET", "POST"])
def phone_reset_view(request: HttpRequest) -> HttpResponse:
    """Reset a password with a code sent to the account's verified phone."""
    phone = request.session.get(RESET_PHONE_SESSION_KEY, "")
    step = request.POST.get("step", "")
    phone_form = PhoneForm(request.POST if step == "phone" else None)
    reset_form = PhoneResetForm(request.POST if step == "code" else None)
    if step == "phone" and phone_form.is_valid():
        if _ask_code(request, phone_form, purpose=CodePurpose.PASSWORD_RESET, session_key=RESET_PHONE_SESSION_KEY):
            phone = request.session[RESET_PHONE_SESSION_KEY]
            reset_form = PhoneResetForm()
    elif step == "code" and phone and reset_form.is_valid():
        try:
            pair = phone_auth.set_password_with_otp(
                phone=phone,
                code=reset_form.cleaned_data["code"],
                password=reset_form.cleaned_data["password"],
                ip=client_ip(request),
            )
        except DomainError as exc:
            add_domain_errors(reset_form, exc, PHONE_FIELDS)
        else:
            request.session.pop(RESET_PHONE_SESSION_KEY, None)
            login(request, pair.user, backend=MODEL_BACKEND)
            return render(request, "web/auth/password_new.html", {"done": True})
    status = 400 if request.method == "POST" and (phone_form.errors or reset_form.errors) else 200
    context = {"phone_form": phone_form, "reset_form": reset_form, "phone": phone}
    return render(request, "web/auth/phone_reset.html", context, status=status)
