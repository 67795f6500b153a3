from django.urls import path

from ibasho.meetings import views

app_name = "meetings"
urlpatterns = [
    path("", views.index, name="index"),
    path("new/", views.create, name="create"),
    path("<uuid:code>/", views.detail, name="detail"),
    path("<uuid:code>/acknowledge/", views.acknowledge, name="acknowledge"),
    path("<uuid:code>/organisations/", views.add_organisation, name="add_organisation"),
    path("<uuid:code>/members/", views.add_member, name="add_member"),
    path("<uuid:code>/participants/", views.add_participant, name="add_participant"),
    path("<uuid:code>/people/", views.bring, name="bring"),
    path("<uuid:code>/minutes/", views.minutes, name="minutes"),
    path("<uuid:code>/withdraw/", views.withdraw, name="withdraw"),
    path("shared/<uuid:code>/", views.shared, name="shared"),
]
