"""Sign in, sign up and sign out with Django sessions, over the accounts services."""

from __future__ import annotations

from django.contrib.auth import login, logout
from django.http import HttpRequest, HttpResponse, HttpResponseRedirect
from django.shortcuts import redirect, render
from django.urls import reverse
from django.views.decorators.http import require_http_methods, require_POST

from backend.accounts.services import account_register, token_create
from backend.core.errors import DomainError
from backend.core.net import client_ip
from backend.web.forms.auth import SIGNUP_FIELDS, LoginForm, SignupForm
from backend.web.views.common import add_domain_errors, safe_next

MODEL_BACKEND = "django.contrib.auth.backends.ModelBackend"


@require_http_methods(["GET", "POST"])
def login_view(request: HttpRequest) -> HttpResponse:
    """Throttled like `tokenCreate` (same service); the session then carries the user."""
    form = LoginForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            pair = token_create(
                email=form.cleaned_data["email"], password=form.cleaned_data["password"], ip=client_ip(request)
            )
        except DomainError as exc:
            add_domain_errors(form, exc, {})
        else:
            login(request, pair.user, backend=MODEL_BACKEND)
            return HttpResponseRedirect(safe_next(request, reverse("web:home")))
    status = 400 if request.method == "POST" else 200
    return render(request, "web/auth/login.html", {"form": form, "next": safe_next(request, "")}, status=status)


@require_http_methods(["GET", "POST"])
def signup_view(request: HttpRequest) -> HttpResponse:
    form = SignupForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            user = account_register(
                email=data["email"],
                password=data["password"],
                full_name=data["full_name"],
                phone=data["phone"],
                preferred_language=(request.LANGUAGE_CODE or "vi")[:2],
            )
        except DomainError as exc:
            add_domain_errors(form, exc, SIGNUP_FIELDS)
        else:
            login(request, user, backend=MODEL_BACKEND)
            return HttpResponseRedirect(safe_next(request, reverse("web:home")))
    status = 400 if request.method == "POST" else 200
    return render(request, "web/auth/signup.html", {"form": form, "next": safe_next(request, "")}, status=status)


@require_POST
def logout_view(request: HttpRequest) -> HttpResponse:
    logout(request)
    return redirect("web:home")
