from django.urls import path

from ibasho.families import views

app_name = "families"
urlpatterns = [
    path("risk/", views.risk_board, name="risk_board"),
    path("settings/", views.risk_settings, name="risk_settings"),
    path("households/<uuid:code>/plan/", views.plan_edit, name="plan_edit"),
    path(
        "households/<uuid:code>/circumstances/",
        views.circumstances_edit,
        name="circumstances_edit",
    ),
    path(
        "households/<uuid:code>/consultations/new/",
        views.consultation_create,
        name="consultation_create",
    ),
    path("family-members/<uuid:code>/health/", views.health_update, name="health_update"),
    path("people/<uuid:code>/steps/new/", views.behaviour_create, name="behaviour_create"),
    path("people/<uuid:code>/safety/new/", views.safety_create, name="safety_create"),
    path("safety/<uuid:code>/acknowledge/", views.safety_acknowledge, name="safety_acknowledge"),
    path("safety/<uuid:code>/resolve/", views.safety_resolve, name="safety_resolve"),
]
