import uuid
from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.cache import add_never_cache_headers
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from ibasho.accounts import services
from ibasho.accounts.decorators import member_required
from ibasho.accounts.forms import InvitationForm, RoleForm, StaffAccountForm
from ibasho.accounts.http import AppRequest, MemberRequest
from ibasho.accounts.middleware import SESSION_KEY
from ibasho.accounts.models import Invitation, Membership, Role


@login_required
def home(request: AppRequest) -> HttpResponse:
    membership = request.membership
    if membership is None:
        # Someone with no place yet (or no more) may still have been invited somewhere.
        if Invitation.objects.pending().addressed_to(request.user).exists():
            return redirect("invitation_list")
        raise Http404
    if not membership.reads_personal_data:
        return redirect("reports:home")
    return redirect("outreach:today")


@login_required
@require_POST
def switch_organisation(request: HttpRequest) -> HttpResponse:
    try:
        code = uuid.UUID(request.POST.get("organisation", ""))
    except ValueError:
        raise Http404 from None  # not an organisation's code: as for one the user is not in
    membership = (
        Membership.objects.active()
        .filter(user_id=request.user.pk or 0, organisation__code=code)
        .first()
    )
    if membership is None:
        raise Http404
    request.session[SESSION_KEY] = str(membership.organisation.code)
    target = request.POST.get("next", "")
    if not url_has_allowed_host_and_scheme(target, allowed_hosts={request.get_host()}):
        target = "home"
    return redirect(target)


def _show_errors(form: Any, error: ValidationError) -> None:
    """Put a service's refusal on the form, on the field it names if the form has that field."""
    if hasattr(error, "error_dict"):
        for field, errors in error.error_dict.items():
            form.add_error(field if field in form.fields else None, errors)
    else:
        form.add_error(None, error)


def _member(request: MemberRequest, code: str) -> Membership:
    return get_object_or_404(
        Membership.objects.visible_to(request.membership).select_related("user", "organisation"),
        code=code,
    )


def _back_to_staff(request: MemberRequest, member: Membership) -> HttpResponse:
    """Back to the staff page, unless the admin has just given up their own admin place."""
    if member.pk == request.membership.pk and not (member.is_admin and member.is_active):
        return redirect("home")
    return redirect("staff_list")


@member_required(Role.ADMIN)
def staff_list(request: MemberRequest) -> HttpResponse:
    membership = request.membership
    staff = (
        Membership.objects.visible_to(membership)
        .select_related("user")
        .order_by("-is_active", "user__display_name_kana", "user__username")
    )
    invitations = Invitation.objects.visible_to(membership).pending().select_related("invited_by")
    context = {"staff": staff, "invitations": invitations, "roles": Role.choices}
    return render(request, "accounts/staff_list.html", context)


@member_required(Role.ADMIN)
@require_POST
def membership_role(request: MemberRequest, code: str) -> HttpResponse:
    member = _member(request, code)
    form = RoleForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("Choose a valid role."))
        return redirect("staff_list")
    try:
        changed = services.change_role(member, form.cleaned_data["role"], by=request.user)
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    else:
        if changed:
            messages.success(
                request,
                _("%(name)s's role is now: %(role)s.")
                % {"name": member.user, "role": member.get_role_display()},
            )
    return _back_to_staff(request, member)


def _set_active(request: MemberRequest, code: str, active: bool) -> HttpResponse:
    member = _member(request, code)
    try:
        services.set_membership_active(member, active, by=request.user)
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    else:
        done = _("%(name)s can work here again.") if active else _("%(name)s no longer has access.")
        messages.success(request, done % {"name": member.user})
    return _back_to_staff(request, member)


@member_required(Role.ADMIN)
@require_POST
def membership_deactivate(request: MemberRequest, code: str) -> HttpResponse:
    return _set_active(request, code, active=False)


@member_required(Role.ADMIN)
@require_POST
def membership_reactivate(request: MemberRequest, code: str) -> HttpResponse:
    return _set_active(request, code, active=True)


@member_required(Role.ADMIN)
def staff_create(request: MemberRequest) -> HttpResponse:
    form = StaffAccountForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        organisation = request.membership.organisation
        try:
            member, password = services.create_staff_account(
                organisation,
                **form.cleaned_data,
                by=request.user,
                site_url=request.build_absolute_uri("/").rstrip("/"),
            )
        except ValidationError as error:
            _show_errors(form, error)
        else:
            context = {"member": member, "password": password}
            response = render(request, "accounts/staff_created.html", context)
            add_never_cache_headers(response)  # the password is shown this once only
            return response
    return render(request, "accounts/staff_form.html", {"form": form})


@member_required(Role.ADMIN)
def staff_invite(request: MemberRequest) -> HttpResponse:
    form = InvitationForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        organisation = request.membership.organisation
        try:
            invitation = services.invite(
                organisation,
                **form.cleaned_data,
                by=request.user,
                site_url=request.build_absolute_uri("/").rstrip("/"),
            )
        except ValidationError as error:
            _show_errors(form, error)
        else:
            messages.success(
                request,
                _(
                    "Invitation sent if an account answers to “%(who)s”: its owner will find it "
                    "when they sign in, and joins only if they accept."
                )
                % {"who": invitation.invited_as},
            )
            return redirect("staff_list")
    return render(request, "accounts/staff_invite.html", {"form": form})


@member_required(Role.ADMIN)
@require_POST
def invitation_withdraw(request: MemberRequest, code: str) -> HttpResponse:
    invitation = get_object_or_404(
        Invitation.objects.visible_to(request.membership),
        code=code,
    )
    try:
        services.withdraw_invitation(invitation, by=request.user)
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    else:
        messages.success(request, _("Invitation withdrawn."))
    return redirect("staff_list")


@login_required
def invitation_list(request: HttpRequest) -> HttpResponse:
    invitations = (
        Invitation.objects.pending()
        .addressed_to(request.user)
        .select_related("organisation", "invited_by")
    )
    return render(request, "accounts/invitation_list.html", {"invitations": invitations})


def _my_invitation(request: HttpRequest, code: str) -> Invitation:
    return get_object_or_404(
        Invitation.objects.addressed_to(request.user).select_related("organisation"), code=code
    )


@login_required
@require_POST
def invitation_accept(request: HttpRequest, code: str) -> HttpResponse:
    invitation = _my_invitation(request, code)
    try:
        membership = services.accept_invitation(invitation, by=request.user)
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
        return redirect("invitation_list")
    # Work in the organisation just joined.
    request.session[SESSION_KEY] = str(membership.organisation.code)
    messages.success(
        request, _("You are now a member of %(name)s.") % {"name": membership.organisation}
    )
    return redirect("home")


@login_required
@require_POST
def invitation_decline(request: HttpRequest, code: str) -> HttpResponse:
    invitation = _my_invitation(request, code)
    try:
        services.decline_invitation(invitation, by=request.user)
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    else:
        messages.success(request, _("Invitation declined."))
    return redirect("invitation_list")
