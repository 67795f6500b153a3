"""Signing in and keeping an account safe: the second factor, sessions, API tokens, password
changes and resets, and an admin's help for a member (new password, factor reset, unlock)."""

import time
from typing import Any

from django import forms
from django.contrib import messages
from django.contrib.auth import logout
from django.contrib.auth import views as auth_views
from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse, reverse_lazy
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_POST
from django_otp import login as otp_login
from django_otp import match_token

from ibasho.accounts import lockout, services, twofactor
from ibasho.accounts.decorators import member_required
from ibasho.accounts.forms import OrganisationSecurityForm
from ibasho.accounts.http import MemberRequest
from ibasho.accounts.middleware import FACTOR_PENDING, LAST_SEEN, MUST_CHANGE, MUST_ENROL
from ibasho.accounts.models import TOKEN_DAYS, TOKEN_MAX_DAYS, ApiToken, Membership, Role
from ibasho.accounts.tokens import issue_token, revoke_token
from ibasho.lib.web import form_page

ALL_ROLES = tuple(Role.values)


class SignIn(auth_views.LoginView):
    """Django's sign-in, refused at once to an address that has failed too often."""

    redirect_authenticated_user = True

    def post(self, request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        if lockout.address_blocked(request):
            return lockout.lockout_page(request, minutes=60, address=True)
        return super().post(request, *args, **kwargs)


class CodeForm(forms.Form):
    code = forms.CharField(
        label=gettext_lazy("Code"),
        max_length=16,
        widget=forms.TextInput(attrs={"autocomplete": "one-time-code", "inputmode": "numeric"}),
    )


def _next(request: HttpRequest) -> str:
    target = request.POST.get("next") or request.GET.get("next") or ""
    if url_has_allowed_host_and_scheme(target, allowed_hosts={request.get_host()}):
        return target
    return reverse("home")


@never_cache
@login_required
def two_factor_verify(request: HttpRequest) -> HttpResponse:
    form = CodeForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        device = match_token(request.user, form.cleaned_data["code"].replace(" ", ""))
        if device is not None:
            otp_login(request, device)
            request.session.pop(FACTOR_PENDING, None)
            return redirect(_next(request))
        form.add_error(
            "code", _("This code is not valid. Try the current one, or a recovery code.")
        )
    return render(request, "registration/two_factor_verify.html", {"form": form})


@never_cache
@login_required
def two_factor_enrol(request: HttpRequest) -> HttpResponse:
    device = twofactor.pending_device(request.user)  # type: ignore[arg-type]
    form = CodeForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        codes = twofactor.confirm(device, form.cleaned_data["code"], by=request.user)
        if codes is not None:
            otp_login(request, device)
            request.session.pop(MUST_ENROL, None)
            request.session.pop(FACTOR_PENDING, None)
            return render(request, "accounts/recovery_codes.html", {"codes": codes})
        form.add_error("code", _("This code is not valid. Check the clock of your phone."))
    context = {
        "form": form,
        "qr": twofactor.qr_svg(twofactor.provisioning_uri(device)),
        "secret": twofactor.secret_of(device),
    }
    return render(request, "accounts/two_factor_enrol.html", context)


@login_required
def account_security(request: HttpRequest) -> HttpResponse:
    user = request.user
    context = {
        "has_factor": twofactor.has_factor(user),  # type: ignore[arg-type]
        "required": twofactor.required_for(user),  # type: ignore[arg-type]
        "grace_left": twofactor.grace_left(user),  # type: ignore[arg-type]
    }
    return render(request, "accounts/security.html", context)


@login_required
@require_POST
def sign_out_everywhere(request: HttpRequest) -> HttpResponse:
    services.end_sessions(request.user, by=request.user)  # type: ignore[arg-type]
    logout(request)
    return redirect(reverse("login") + "?ended=everywhere")


@login_required
@require_POST
def keep_alive(request: HttpRequest) -> HttpResponse:
    request.session[LAST_SEEN] = time.time()
    return HttpResponse(status=204)


class PasswordChange(auth_views.PasswordChangeView):
    """Change one's own password: other sessions end, this one goes on."""

    template_name = "accounts/password_change.html"
    success_url = reverse_lazy("account_security")

    def form_valid(self, form: Any) -> HttpResponse:
        forced = self.request.session.pop(MUST_CHANGE, False)
        super().form_valid(form)
        services.password_changed(form.user, by=form.user)
        messages.success(self.request, _("Your password has been changed."))
        # A first password of one's own leads on to the work; otherwise back to the account.
        return redirect("home" if forced else "account_security")


class PasswordResetConfirm(auth_views.PasswordResetConfirmView):
    """The e-mailed link (single use: it is bound to the old password; valid for
    PASSWORD_RESET_TIMEOUT)."""

    success_url = reverse_lazy("password_reset_complete")

    def form_valid(self, form: Any) -> HttpResponse:
        response = super().form_valid(form)
        services.password_changed(form.user, by=form.user)
        return response


# -- API tokens -------------------------------------------------------------------------------


class TokenForm(forms.Form):
    name = forms.CharField(label=gettext_lazy("name"), max_length=100)
    scope = forms.ChoiceField(
        label=gettext_lazy("scope"), choices=ApiToken.Scope.choices, initial=ApiToken.Scope.READ
    )
    days = forms.IntegerField(
        label=gettext_lazy("valid for (days)"),
        min_value=1,
        max_value=TOKEN_MAX_DAYS,
        initial=TOKEN_DAYS,
    )


@never_cache
@member_required(*ALL_ROLES)
def token_list(request: MemberRequest) -> HttpResponse:
    form = TokenForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        token, raw = issue_token(request.membership, **form.cleaned_data, by=request.user)
        return render(request, "accounts/token_created.html", {"token": token, "raw": raw})
    tokens = (
        ApiToken.objects.visible_to(request.membership)
        .select_related("membership__user")
        .order_by("revoked_at", "-created_at")
    )
    return render(request, "accounts/tokens.html", {"form": form, "tokens": tokens})


@member_required(*ALL_ROLES)
@require_POST
def token_revoke(request: MemberRequest, code: str) -> HttpResponse:
    token = get_object_or_404(ApiToken.objects.visible_to(request.membership), code=code)
    revoke_token(token, by=request.user)
    messages.success(request, _("The token “%(name)s” no longer works.") % {"name": token.name})
    return redirect("token_list")


# -- an admin helps a member ------------------------------------------------------------------


def _member(request: MemberRequest, code: str) -> Membership:
    return get_object_or_404(
        Membership.objects.visible_to(request.membership).select_related("user"), code=code
    )


@member_required(Role.ADMIN)
@require_POST
def member_factor_reset(request: MemberRequest, code: str) -> HttpResponse:
    member = _member(request, code)
    twofactor.reset(member.user, by=request.user)
    messages.success(
        request,
        _("%(name)s's second factor was removed; they set up a new one when they next sign in.")
        % {"name": member.user},
    )
    return redirect("staff_list")


@member_required(Role.ADMIN)
@require_POST
def member_unlock(request: MemberRequest, code: str) -> HttpResponse:
    member = _member(request, code)
    services.unlock(member, by=request.user)
    messages.success(request, _("%(name)s can sign in again.") % {"name": member.user})
    return redirect("staff_list")


@never_cache
@member_required(Role.ADMIN)
@require_POST
def member_password(request: MemberRequest, code: str) -> HttpResponse:
    member = _member(request, code)
    password = services.issue_password(member, by=request.user)
    context = {"member": member, "password": password}
    return render(request, "accounts/staff_created.html", context)


@member_required(Role.ADMIN)
def organisation_security(request: MemberRequest) -> HttpResponse:
    organisation = request.membership.organisation
    initial = {
        "second_factor_for_all": organisation.second_factor_for_all,
        "idle_timeout_minutes": organisation.idle_timeout_minutes,
    }
    form = OrganisationSecurityForm(request.POST or None, initial=initial)

    def save(**values: Any) -> None:
        services.set_security(organisation, **values, by=request.user)

    return form_page(request, form, save, done="staff_list", title=_("Security settings"))
