from django.contrib.auth import views as auth_views
from django.urls import path

from ibasho.accounts import security_views as security
from ibasho.accounts import views

urlpatterns = [
    path("", views.home, name="home"),
    path("login/", security.SignIn.as_view(), name="login"),
    path("login/code/", security.two_factor_verify, name="two_factor_verify"),
    path("logout/", auth_views.LogoutView.as_view(), name="logout"),
    path("password/", security.PasswordChange.as_view(), name="password_change"),
    path("password/reset/", auth_views.PasswordResetView.as_view(), name="password_reset"),
    path(
        "password/reset/sent/",
        auth_views.PasswordResetDoneView.as_view(),
        name="password_reset_done",
    ),
    path(
        "password/reset/<uidb64>/<token>/",
        security.PasswordResetConfirm.as_view(),
        name="password_reset_confirm",
    ),
    path(
        "password/reset/done/",
        auth_views.PasswordResetCompleteView.as_view(),
        name="password_reset_complete",
    ),
    path("account/", security.account_security, name="account_security"),
    path("account/two-factor/", security.two_factor_enrol, name="two_factor_enrol"),
    path("account/sign-out-everywhere/", security.sign_out_everywhere, name="sign_out_everywhere"),
    path("account/keep-alive/", security.keep_alive, name="keep_alive"),
    path("account/tokens/", security.token_list, name="token_list"),
    path("account/tokens/<uuid:code>/revoke/", security.token_revoke, name="token_revoke"),
    path(
        "staff/<uuid:code>/second-factor/reset/",
        security.member_factor_reset,
        name="member_factor_reset",
    ),
    path("staff/security/", security.organisation_security, name="organisation_security"),
    path("staff/<uuid:code>/unlock/", security.member_unlock, name="member_unlock"),
    path("staff/<uuid:code>/password/", security.member_password, name="member_password"),
    path("organisation/switch/", views.switch_organisation, name="switch_organisation"),
    path("staff/", views.staff_list, name="staff_list"),
    path("staff/new/", views.staff_create, name="staff_create"),
    path("staff/invite/", views.staff_invite, name="staff_invite"),
    path("staff/<uuid:code>/role/", views.membership_role, name="membership_role"),
    path(
        "staff/<uuid:code>/deactivate/", views.membership_deactivate, name="membership_deactivate"
    ),
    path(
        "staff/<uuid:code>/reactivate/", views.membership_reactivate, name="membership_reactivate"
    ),
    path(
        "staff/invitations/<uuid:code>/withdraw/",
        views.invitation_withdraw,
        name="invitation_withdraw",
    ),
    path("invitations/", views.invitation_list, name="invitation_list"),
    path("invitations/<uuid:code>/accept/", views.invitation_accept, name="invitation_accept"),
    path("invitations/<uuid:code>/decline/", views.invitation_decline, name="invitation_decline"),
]
