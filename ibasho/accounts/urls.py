from django.contrib.auth import views as auth_views
from django.urls import path

from ibasho.accounts import views

urlpatterns = [
    path("", views.home, name="home"),
    path("login/", auth_views.LoginView.as_view(redirect_authenticated_user=True), name="login"),
    path("logout/", auth_views.LogoutView.as_view(), name="logout"),
    path("password/", views.PasswordChange.as_view(), name="password_change"),
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
