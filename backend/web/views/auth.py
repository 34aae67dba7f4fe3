"""Sign in, sign up, sign out and password reset with Django sessions, over the accounts services.

Every `next` parameter must be a page of this site or an allowed front end (FRONTEND_URLS); any
other is refused with an error on the page, so a link to our sign-in page cannot send the visitor
elsewhere afterwards. Sign-up answers "check your e-mail" whether or not the address already had an
account.
"""

from __future__ import annotations

from django.contrib.auth import login, logout
from django.http import HttpRequest, HttpResponse, HttpResponseRedirect
from django.shortcuts import redirect, render
from django.urls import reverse
from django.views.decorators.http import require_http_methods, require_POST

from backend.accounts.recovery import request_password_reset, set_password
from backend.accounts.services import account_register, token_create
from backend.accounts.tokens import user_from_password_reset_token
from backend.core.errors import DomainError
from backend.core.net import client_ip
from backend.core.redirects import InvalidRedirect, checked_next
from backend.web.forms.auth import (
    NEW_PASSWORD_FIELDS,
    PASSWORD_FORGOT_FIELDS,
    SIGNUP_FIELDS,
    LoginForm,
    NewPasswordForm,
    PasswordForgotForm,
    SignupForm,
)
from backend.web.views.common import add_domain_errors

MODEL_BACKEND = "django.contrib.auth.backends.ModelBackend"
RESET_SESSION_KEY = "password_reset_token"


def _next(request: HttpRequest) -> tuple[str, str]:
    """The requested `next` when allowed, and the error to show when it is not."""
    try:
        return checked_next(request.POST.get("next") or request.GET.get("next")), ""
    except InvalidRedirect as exc:
        return "", str(exc.details[0].message)


@require_http_methods(["GET", "POST"])
def login_view(request: HttpRequest) -> HttpResponse:
    """Throttled like `tokenCreate` (same service); the session then carries the user."""
    form = LoginForm(request.POST or None)
    target, next_error = _next(request)
    if request.method == "POST" and not next_error and form.is_valid():
        try:
            pair = token_create(
                email=form.cleaned_data["email"], password=form.cleaned_data["password"], ip=client_ip(request)
            )
        except DomainError as exc:
            add_domain_errors(form, exc, {})
        else:
            login(request, pair.user, backend=MODEL_BACKEND)
            return HttpResponseRedirect(target or reverse("web:home"))
    status = 400 if request.method == "POST" or next_error else 200
    context = {"form": form, "next": target, "next_error": next_error}
    return render(request, "web/auth/login.html", context, status=status)


@require_http_methods(["GET", "POST"])
def signup_view(request: HttpRequest) -> HttpResponse:
    form = SignupForm(request.POST or None)
    target, next_error = _next(request)
    if request.method == "POST" and not next_error and form.is_valid():
        data = form.cleaned_data
        try:
            account_register(
                email=data["email"],
                password=data["password"],
                full_name=data["full_name"],
                phone=data["phone"],
                preferred_language=(request.LANGUAGE_CODE or "vi")[:2],
                ip=client_ip(request),
                channel="WEB",
            )
        except DomainError as exc:
            add_domain_errors(form, exc, SIGNUP_FIELDS)
        else:
            context = {"email": data["email"].strip(), "next": target}
            return render(request, "web/auth/signup_sent.html", context)
    status = 400 if request.method == "POST" or next_error else 200
    context = {"form": form, "next": target, "next_error": next_error}
    return render(request, "web/auth/signup.html", context, status=status)


@require_POST
def logout_view(request: HttpRequest) -> HttpResponse:
    logout(request)
    return redirect("web:home")


@require_http_methods(["GET", "POST"])
def password_forgot_view(request: HttpRequest) -> HttpResponse:
    """Ask for a reset link by e-mail address or phone; the same answer whether or not one matches."""
    form = PasswordForgotForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            request_password_reset(
                email=form.cleaned_data["email"], phone=form.cleaned_data["phone"], ip=client_ip(request)
            )
        except DomainError as exc:
            add_domain_errors(form, exc, PASSWORD_FORGOT_FIELDS)
        else:
            return render(request, "web/auth/password_sent.html")
    status = 400 if request.method == "POST" else 200
    return render(request, "web/auth/password_forgot.html", {"form": form}, status=status)


def password_reset_view(request: HttpRequest, token: str) -> HttpResponse:
    """The e-mailed link: keep its token in the session and continue on a URL without it, so the
    token never sits in the address bar, the history or a Referer header."""
    if user_from_password_reset_token(token) is None:
        return render(request, "web/auth/password_new.html", {"invalid": True}, status=400)
    request.session[RESET_SESSION_KEY] = token
    return redirect("web:password-new")


@require_http_methods(["GET", "POST"])
def password_new_view(request: HttpRequest) -> HttpResponse:
    token = request.session.get(RESET_SESSION_KEY, "")
    if not token or user_from_password_reset_token(token) is None:
        return render(request, "web/auth/password_new.html", {"invalid": True}, status=400)
    form = NewPasswordForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            user = set_password(token=token, password=form.cleaned_data["password"], ip=client_ip(request))
        except DomainError as exc:
            add_domain_errors(form, exc, NEW_PASSWORD_FIELDS)
        else:
            request.session.pop(RESET_SESSION_KEY, None)
            login(request, user, backend=MODEL_BACKEND)
            return render(request, "web/auth/password_new.html", {"done": True})
    status = 400 if request.method == "POST" else 200
    return render(request, "web/auth/password_new.html", {"form": form}, status=status)
